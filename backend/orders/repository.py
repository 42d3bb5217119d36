"""Queries on orders, their lines and the number series; rows become Structs here."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from backend.orders.schemas import OrderLineRead, OrderRead, PriceMismatch
from backend.orders.tables import NumberSeries, Order, OrderLine

ORDER_COLUMNS = (
    Order.id,
    Order.number,
    Order.customer,
    Order.author,
    Order.distributor,
    Order.visit,
    Order.price_list,
    Order.currency,
    Order.status,
    Order.document_discount_pct,
    Order.subtotal,
    Order.discount_total,
    Order.tax_total,
    Order.total,
    Order.price_mismatch,
    Order.mismatches,
    Order.notes,
    Order.delivery_date,
    Order.captured_at,
    Order.created_at,
    Order.updated_at,
    Order.version,
)
LINE_COLUMNS = (
    OrderLine.id,
    OrderLine.order,
    OrderLine.position,
    OrderLine.product,
    OrderLine.sku,
    OrderLine.name,
    OrderLine.unit,
    OrderLine.quantity,
    OrderLine.unit_price,
    OrderLine.discount_pct,
    OrderLine.tax_rate,
    OrderLine.net,
    OrderLine.tax_amount,
    OrderLine.total,
)


def _q(value: Decimal, places: int) -> Decimal:
    # SQLite drops a NUMERIC's scale ("37.00" comes back as 37): give it back, same on both.
    return value.quantize(Decimal(1).scaleb(-places))


def to_order_read(row: dict[str, Any], lines: list[OrderLineRead] | None) -> OrderRead:
    mismatches = row["mismatches"]
    if isinstance(mismatches, str):  # JSON comes back as text on some engines
        mismatches = json.loads(mismatches)
    return OrderRead(
        id=row["id"],
        number=row["number"],
        customer_id=row["customer"],
        author_id=row["author"],
        distributor_id=row["distributor"],
        visit_id=row["visit"],
        price_list_id=row["price_list"],
        currency=row["currency"],
        status=row["status"],
        document_discount_pct=_q(row["document_discount_pct"], 2),
        subtotal=_q(row["subtotal"], 2),
        discount_total=_q(row["discount_total"], 2),
        tax_total=_q(row["tax_total"], 2),
        total=_q(row["total"], 2),
        price_mismatch=row["price_mismatch"],
        mismatches=[PriceMismatch(**m) for m in mismatches or []],
        notes=row["notes"],
        delivery_date=row["delivery_date"],
        captured_at=row["captured_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        lines=lines,
    )


def to_line_read(row: dict[str, Any]) -> OrderLineRead:
    return OrderLineRead(
        id=row["id"],
        position=row["position"],
        product_id=row["product"],
        sku=row["sku"],
        name=row["name"],
        unit=row["unit"],
        quantity=_q(row["quantity"], 3),
        unit_price=_q(row["unit_price"], 4),
        discount_pct=_q(row["discount_pct"], 2),
        tax_rate=_q(row["tax_rate"], 2),
        net=_q(row["net"], 2),
        tax_amount=_q(row["tax_amount"], 2),
        total=_q(row["total"], 2),
    )


async def get_order_row(order_id: UUID, condition: Any | None = None) -> dict[str, Any] | None:
    where = (Order.id == order_id) & Order.deleted_at.is_null()
    if condition is not None:
        where = where & condition
    return await Order.select(*ORDER_COLUMNS).where(where).first()


async def get_order_owner(order_id: UUID) -> dict[str, Any] | None:
    """Author and deletion of an id, whoever's it is: for idempotent creates."""
    return await Order.select(Order.author, Order.deleted_at).where(Order.id == order_id).first()


async def number_taken(number: str) -> bool:
    return await Order.exists().where(Order.number == number)


async def list_line_reads(order_id: UUID) -> list[OrderLineRead]:
    rows = (
        await OrderLine.select(*LINE_COLUMNS)
        .where(OrderLine.order == order_id)
        .order_by(OrderLine.position)
    )
    return [to_line_read(r) for r in rows]


async def list_order_rows(condition: Any, limit: int, offset: int) -> list[dict[str, Any]]:
    return await (
        Order.select(*ORDER_COLUMNS)
        .where(condition)
        .order_by(Order.created_at, ascending=False)
        .order_by(Order.id)
        .limit(limit)
        .offset(offset)
    )


async def next_series_value(name: str) -> int:
    """Take the next value of a counter; atomic on both engines.

    The upsert locks the counter row until the writing transaction ends (PostgreSQL), and
    SQLite writers are serialised, so two transactions can never take the same value.
    """
    sql = (
        "INSERT INTO number_series (name, next_value) VALUES ({}, 2) "
        "ON CONFLICT (name) DO UPDATE SET next_value = number_series.next_value + 1 "
        "RETURNING next_value"
    )
    rows = await NumberSeries.raw(sql, name)
    return int(rows[0]["next_value"]) - 1
