"""Wire contract of products, price lists and imports (Decimals travel as strings)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from backend.schemas import Code, LongText, Name

Sku = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^\S(.*\S)?$")]
Unit = Annotated[str, Meta(min_length=1, max_length=20)]
Category = Annotated[str, Meta(max_length=120)]
Barcode = Annotated[str, Meta(max_length=64, pattern=r"^[0-9A-Za-z\-]*$")]
Currency = Annotated[str, Meta(pattern=r"^[A-Z]{3}$")]


class ProductRead(msgspec.Struct, kw_only=True):
    id: UUID
    sku: str
    name: str
    description: str
    category: str
    unit: str
    barcode: str
    tax_rate: Decimal
    active: bool
    version: int
    updated_at: datetime


class ProductCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    sku: Sku
    name: Name
    description: LongText = ""
    category: Category = ""
    unit: Unit = "pcs"
    barcode: Barcode = ""
    tax_rate: Decimal = Decimal(0)  # percent, 0..100
    active: bool = True


class ProductUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    sku: Sku | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    description: LongText | UnsetType = UNSET
    category: Category | UnsetType = UNSET
    unit: Unit | UnsetType = UNSET
    barcode: Barcode | UnsetType = UNSET
    tax_rate: Decimal | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class PriceListItemRead(msgspec.Struct, kw_only=True):
    product_id: UUID
    sku: str
    name: str
    price: Decimal
    min_quantity: Decimal


class PriceListRead(msgspec.Struct, kw_only=True):
    id: UUID
    code: str
    name: str
    currency: str
    prices_include_tax: bool
    valid_from: date | None
    valid_to: date | None
    max_discount_pct: Decimal | None = None
    version: int
    items: list[PriceListItemRead] | None = None


class PriceListCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    code: Code
    name: Name
    currency: Currency = "EUR"
    prices_include_tax: bool = False
    valid_from: date | None = None
    valid_to: date | None = None
    max_discount_pct: Decimal | None = None


class PriceListUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    code: Code | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    currency: Currency | UnsetType = UNSET
    prices_include_tax: bool | UnsetType = UNSET
    valid_from: date | UnsetType | None = UNSET
    valid_to: date | UnsetType | None = UNSET
    max_discount_pct: Decimal | UnsetType | None = UNSET


class PriceListItemPut(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    price: Decimal
    min_quantity: Decimal = Decimal(1)


class ImportRowError(msgspec.Struct, kw_only=True):
    row: int | None
    column: str | None
    message: str


class ImportReport(msgspec.Struct, kw_only=True):
    """What an import did (or, in a dry run, would do), with every row's problems."""

    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[ImportRowError]
