"""Queries on orders, their lines and the number series; rows become Structs here."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from backend.documents.reads import line_read, priced_fields
from backend.orders.schemas import OrderLineRead, OrderRead
from backend.orders.tables import Order, OrderLine

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
    Order.approval,
    Order.approval_by,
    Order.approval_at,
    Order.approval_reason,
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


def to_order_read(row: dict[str, Any], lines: list[OrderLineRead] | None) -> OrderRead:
    return OrderRead(
        id=row["id"],
        number=row["number"],
        customer_id=row["customer"],
        author_id=row["author"],
        distributor_id=row["distributor"],
        visit_id=row["visit"],
        status=row["status"],
        notes=row["notes"],
        delivery_date=row["delivery_date"],
        captured_at=row["captured_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        lines=lines,
        **priced_fields(row),
    )


def to_line_read(row: dict[str, Any]) -> OrderLineRead:
    return line_read(OrderLineRead, row)


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
