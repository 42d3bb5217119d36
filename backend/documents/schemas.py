"""Wire structs shared by orders and quotes (Decimals travel as strings).

Orders and quotes name their own line structs (OrderLineCreate, QuoteLineCreate,
OrderLineRead, QuoteLineRead: the names the OpenAPI document and the app know) as
subclasses of the ones here, so a line's fields are declared once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal
from uuid import UUID

import msgspec

from backend.schemas import ShortText

# Discounts above the author's limit: "pending" until a manager decides; None: not needed.
Approval = Literal["pending", "approved", "rejected"]


class PricedLineCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One line as captured; unit_price/tax_rate/net/... are the device's figures, checked
    (backend.documents.pricing.check_lines), compared, never used."""

    product_id: UUID
    quantity: Decimal  # > 0, at most 3 decimal places
    discount_pct: Decimal = Decimal(0)  # 0..100
    unit_price: Decimal | None = None
    tax_rate: Decimal | None = None
    # The device's line figures, compared with the server's when sent.
    net: Decimal | None = None
    tax_amount: Decimal | None = None
    total: Decimal | None = None


# A stored line: the product's snapshot and the server's figures. (No docstring: the
# OpenAPI document would describe OrderLineRead and QuoteLineRead with it.)
class PricedLineRead(msgspec.Struct, kw_only=True):
    id: str
    position: int
    product_id: UUID
    sku: str
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    tax_rate: Decimal
    net: Decimal
    tax_amount: Decimal
    total: Decimal


class DeviceTotals(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The totals the device showed the customer."""

    subtotal: Decimal | None = None
    document_discount_amount: Decimal | None = None
    net_total: Decimal | None = None
    tax_total: Decimal | None = None
    total: Decimal | None = None


class PriceMismatch(msgspec.Struct, kw_only=True):
    field: str
    line_index: int | None
    device: str | None
    server: str | None


class ApprovalDecision(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A manager's (or admin's) decision on a document's discounts; a rejection says why."""

    decision: Literal["approved", "rejected"]
    reason: ShortText = ""
