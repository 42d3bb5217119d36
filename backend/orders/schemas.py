"""Wire contract of orders and their lines (Decimals travel as strings)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from backend.schemas import LongText, ShortText

Status = Literal["submitted", "confirmed", "shipped", "delivered", "cancelled"]
OrderNumber = Annotated[str, Meta(min_length=1, max_length=40)]


class OrderLineCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One line as captured; unit_price/tax_rate are the device's snapshot, checked, not used."""

    product_id: UUID
    quantity: Decimal  # > 0, at most 3 decimal places
    discount_pct: Decimal = Decimal(0)  # 0..100
    unit_price: Decimal | None = None
    tax_rate: Decimal | None = None
    # The device's line figures, compared with the server's when sent.
    net: Decimal | None = None
    tax_amount: Decimal | None = None
    total: Decimal | None = None


class DeviceTotals(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The totals the device showed the customer."""

    subtotal: Decimal | None = None
    document_discount_amount: Decimal | None = None
    net_total: Decimal | None = None
    tax_total: Decimal | None = None
    total: Decimal | None = None


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


class OrderLineRead(msgspec.Struct, kw_only=True):
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


class PriceMismatch(msgspec.Struct, kw_only=True):
    field: str
    line_index: int | None
    device: str | None
    server: str | None


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


class OrderStatusChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Status
    note: ShortText = ""
    captured_at: datetime | None = None
