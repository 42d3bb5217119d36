"""An order changed by its author before the office confirms it (online or replayed by sync).

The author sends the whole set of lines again (as on capture); the server prices them with
today's price list, replaces the old lines and records the change in the customer's history.
Once the order is confirmed (or cancelled, shipped, delivered) the author's change is refused
with a 409 naming ``status`` (code ``order_locked``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import structlog

from backend.accounts.principal import Principal
from backend.db import write_transaction
from backend.documents.store import record_write, store_lines
from backend.errors import NotFound, PermissionDenied
from backend.orders import core, service
from backend.orders.schemas import OrderEdit, OrderRead
from backend.orders.tables import Order, OrderLine

log = structlog.get_logger(__name__)


async def edit_order(
    principal: Principal,
    order_id: UUID,
    data: OrderEdit,
    *,
    captured_at: datetime | None = None,
) -> OrderRead:
    """Replace an unconfirmed order's lines, discount and notes (its author only)."""
    captured_at = captured_at or data.captured_at
    row = await service.repo.get_order_row(order_id, service.readable_order_condition(principal))
    if row is None:
        raise NotFound(detail="No such order.")
    if row["author"] != principal.user_id:
        raise PermissionDenied(detail="Only the order's author may change its lines.")
    # Priced exactly as a new order is: the same checks, price list rules and steps.
    service._check_input(
        data.lines, data.document_discount_pct, None, captured_at, data.delivery_date
    )
    customer = await service._customer_for(principal, row["customer"])
    priced = await service._price_order(
        principal, customer, data.lines, data.document_discount_pct, data.device_totals
    )
    doc = priced.priced
    async with write_transaction():
        current = await service.repo.get_order_row(order_id)
        if current is None:
            raise NotFound(detail="No such order.")
        core.check_author_may_change(current["status"], "changed")
        await store_lines(OrderLine.order, order_id, doc, replace=True)
        values: dict[Any, Any] = {
            **priced.figures(),
            "notes": data.notes,
            "delivery_date": data.delivery_date,
            Order.version: Order.version + 1,
            Order.updated_at: datetime.now(UTC),
        }
        await Order.update(values).where(Order.id == order_id)
        await record_write(
            "orders",
            order_id,
            row["customer"],
            "order_edited",
            actor_id=principal.user_id,
            summary=f"Order {row['number']} changed: {doc.total} {doc.currency}",
            data={
                "number": row["number"],
                "total": str(doc.total),
                "previous_total": str(row["total"]),
                "currency": doc.currency,
                "lines": len(doc.lines),
                "approval": priced.approval,
            },
            captured_at=captured_at,
        )
    log.info("orders.edited", order_id=str(order_id), by=str(principal.user_id))
    return await service.get_order(principal, order_id)
