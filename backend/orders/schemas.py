"""Wire contract of orders and their lines (Decimals travel as strings)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from backend.documents.schemas import (
    Approval,
    DeviceTotals,
    PricedLineCreate,
    PricedLineRead,
    PriceMismatch,
)
from backend.schemas import LongText, ShortText

Status = Literal["submitted", "confirmed", "shipped", "delivered", "cancelled"]
OrderNumber = Annotated[str, Meta(min_length=1, max_length=40)]


class OrderLineCreate(PricedLineCreate):
    """One line as captured; unit_price/tax_rate are the device's snapshot, checked, not used."""


class OrderCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    number: OrderNumber | None = None  # a device number "<install code>-<n>", else assigned
    customer_id: UUID
    visit_id: UUID | None = None
    lines: Annotated[list[OrderLineCreate], Meta(min_length=1, max_length=500)]
    document_discount_pct: Decimal = Decimal(0)
    device_totals: DeviceTotals | None = None
    notes: LongText = ""
    delivery_date: datetime | None = None
    captured_at: datetime | None = None


class OrderLineRead(PricedLineRead):
    pass


class OrderRead(msgspec.Struct, kw_only=True):
    id: UUID
    number: str
    customer_id: UUID
    author_id: UUID
    distributor_id: UUID | None
    visit_id: UUID | None
    price_list_id: UUID | None
    currency: str
    status: Status
    document_discount_pct: Decimal
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    price_mismatch: bool
    mismatches: list[PriceMismatch]
    notes: str
    delivery_date: datetime | None
    captured_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    lines: list[OrderLineRead] | None = None
    approval: Approval | None = None
    approval_by_id: UUID | None = None
    approval_at: datetime | None = None
    approval_reason: str = ""


class OrderStatusChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Status
    note: ShortText = ""
    captured_at: datetime | None = None


class ReorderRequestRead(msgspec.Struct, kw_only=True):
    """A customer asked to order a past order again; whoever took it confirms it."""

    order_id: UUID
    number: str
    lines: int
    requested_at: datetime


class OrderEdit(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The author's change of an order not yet confirmed: new lines, discount, notes.

    Prices come from the current price list again; lines replace the old ones.
    """

    lines: Annotated[list[OrderLineCreate], Meta(min_length=1, max_length=500)]
    document_discount_pct: Decimal = Decimal(0)
    device_totals: DeviceTotals | None = None
    notes: LongText = ""
    delivery_date: datetime | None = None
    captured_at: datetime | None = None
