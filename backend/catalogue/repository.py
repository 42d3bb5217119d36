"""Queries on products and price lists; rows become Structs here."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

from backend.catalogue.schemas import PriceListItemRead, PriceListRead, ProductRead
from backend.catalogue.tables import PriceList, PriceListItem, Product

PRODUCT_COLUMNS = (
    Product.id,
    Product.sku,
    Product.name,
    Product.description,
    Product.category,
    Product.unit,
    Product.barcode,
    Product.tax_rate,
    Product.active,
    Product.version,
    Product.updated_at,
)
PRICE_LIST_COLUMNS = (
    PriceList.id,
    PriceList.code,
    PriceList.name,
    PriceList.currency,
    PriceList.prices_include_tax,
    PriceList.valid_from,
    PriceList.valid_to,
    PriceList.max_discount_pct,
    PriceList.version,
)
# Piccolo caps IN lists and bulk inserts well below SQLite's variable limit with this.
CHUNK = 400


def chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def quantize(value: Decimal, places: int) -> Decimal:
    """A NUMERIC with its declared scale: SQLite hands back 22 for 22.00, PostgreSQL 22.00."""
    return value.quantize(Decimal(1).scaleb(-places))


def to_product_read(row: dict[str, Any]) -> ProductRead:
    values = {c._meta.name: row[c._meta.name] for c in PRODUCT_COLUMNS}
    values["tax_rate"] = quantize(values["tax_rate"], 2)
    return ProductRead(**values)


def to_price_list_read(
    row: dict[str, Any], items: list[PriceListItemRead] | None = None
) -> PriceListRead:
    return PriceListRead(
        **{c._meta.name: row[c._meta.name] for c in PRICE_LIST_COLUMNS}, items=items
    )


def live_product_condition() -> Any:
    return Product.deleted_at.is_null()


async def get_product_row(product_id: UUID) -> dict[str, Any] | None:
    return (
        await Product.select(*PRODUCT_COLUMNS)
        .where((Product.id == product_id) & live_product_condition())
        .first()
    )


async def list_product_rows(condition: Any, limit: int, offset: int) -> list[dict[str, Any]]:
    return await (
        Product.select(*PRODUCT_COLUMNS)
        .where(condition)
        .order_by(Product.name)
        .order_by(Product.id)
        .limit(limit)
        .offset(offset)
    )


async def sku_taken(sku: str, except_id: UUID | None = None) -> bool:
    condition: Any = Product.sku == sku
    if except_id is not None:
        condition = condition & (Product.id != except_id)
    return await Product.exists().where(condition)


async def get_products_by_skus(skus: list[str]) -> dict[str, dict[str, Any]]:
    """Every product (deleted ones too: a sku stays taken) for these skus, by sku."""
    out: dict[str, dict[str, Any]] = {}
    for part in chunks(skus):
        rows = await Product.select(*PRODUCT_COLUMNS, Product.deleted_at).where(
            Product.sku.is_in(part)
        )
        out.update({r["sku"]: r for r in rows})
    return out


async def get_products_for_pricing(product_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    out: dict[UUID, dict[str, Any]] = {}
    for part in chunks(product_ids):
        rows = await Product.select(
            Product.id,
            Product.sku,
            Product.name,
            Product.unit,
            Product.tax_rate,
            Product.active,
        ).where(Product.id.is_in(part) & live_product_condition())
        out.update({r["id"]: r for r in rows})
    return out


async def get_price_list_row(price_list_id: UUID) -> dict[str, Any] | None:
    return (
        await PriceList.select(*PRICE_LIST_COLUMNS)
        .where((PriceList.id == price_list_id) & PriceList.deleted_at.is_null())
        .first()
    )


async def list_price_list_rows(condition: Any) -> list[dict[str, Any]]:
    query = PriceList.select(*PRICE_LIST_COLUMNS)
    live = PriceList.deleted_at.is_null()
    return await query.where(live if condition is None else live & condition).order_by(
        PriceList.name
    )


async def list_item_reads(price_list_id: UUID) -> list[PriceListItemRead]:
    rows = (
        await PriceListItem.select(
            PriceListItem.product,
            PriceListItem.product.sku.as_alias("sku"),
            PriceListItem.product.name.as_alias("name"),
            PriceListItem.price,
            PriceListItem.min_quantity,
        )
        .where(
            (PriceListItem.price_list == price_list_id)
            & PriceListItem.deleted_at.is_null()
            & PriceListItem.product.deleted_at.is_null()
        )
        .order_by(PriceListItem.product.name)
    )
    return [
        PriceListItemRead(
            product_id=r["product"],
            sku=r["sku"],
            name=r["name"],
            price=quantize(r["price"], 4),
            min_quantity=quantize(r["min_quantity"], 3),
        )
        for r in rows
    ]


async def get_item_rows(
    price_list_id: UUID, product_ids: list[UUID] | None = None
) -> dict[UUID, dict[str, Any]]:
    """Live items of a price list (optionally only these products), by product id."""
    base = (PriceListItem.price_list == price_list_id) & PriceListItem.deleted_at.is_null()
    columns = (
        PriceListItem.id,
        PriceListItem.product,
        PriceListItem.price,
        PriceListItem.min_quantity,
    )
    if product_ids is None:
        rows = await PriceListItem.select(*columns).where(base)
        return {r["product"]: r for r in rows}
    out: dict[UUID, dict[str, Any]] = {}
    for part in chunks(product_ids):
        rows = await PriceListItem.select(*columns).where(base & PriceListItem.product.is_in(part))
        out.update({r["product"]: r for r in rows})
    return out
