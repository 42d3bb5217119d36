"""A customer asks for a past order again: recorded in its history and sent to whoever took
the order (its rep or distributor), who confirms it by taking the order on their phone."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from backend.accounts.principal import Principal, Role
from backend.customers import repository as customers_repo
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied
from backend.history import repository as history_repo
from backend.history.recorder import record_event
from backend.orders import repository as repo
from backend.orders.schemas import ReorderRequestRead
from backend.orders.service import get_order


async def request_reorder(
    principal: Principal,
    order_id: UUID,
    *,
    event_id: UUID | None = None,
    captured_at: datetime | None = None,
) -> ReorderRequestRead:
    """Record the request and ask whoever took the order. A device-made ``event_id`` (a request
    queued offline and pushed through sync) makes a retried request land once; ``captured_at``
    is when the customer tapped it."""
    if principal.role != Role.CUSTOMER:
        raise PermissionDenied(detail="Only the customer asks to order again.")
    order = await get_order(principal, order_id)  # its own orders only: others are 404
    lines = order.lines or []
    now = captured_at or datetime.now(UTC)
    async with write_transaction():
        row = await repo.get_order_row(order_id)
        if row is None:
            raise NotFound(detail="No such order.")
        if event_id is not None:
            earlier = await history_repo.get_entry(event_id)
            if earlier is not None:
                if (
                    earlier.kind == "reorder_request"
                    and earlier.ref_id == order_id
                    and earlier.actor_id == principal.user_id
                ):
                    return ReorderRequestRead(
                        order_id=order_id,
                        number=order.number,
                        lines=len(lines),
                        requested_at=earlier.captured_at or earlier.recorded_at,
                    )
                raise Conflict(
                    detail="An entry with this id exists already.",
                    errors=[FieldError("id", "already used", "taken")],
                )
        shop = await customers_repo.read_customer(order.customer_id)
        await record_event(
            order.customer_id,
            "reorder_request",
            ref_id=order_id,
            actor_id=principal.user_id,
            summary=f"Asked to order {order.number} again",
            data={
                "order_id": str(order_id),
                "number": order.number,
                "lines": [
                    {"product_id": str(x.product_id), "sku": x.sku, "quantity": str(x.quantity)}
                    for x in lines
                ],
            },
            captured_at=now,
            event_id=event_id,
        )
        from notifications.reminders import reorder_requested  # push to whoever took it

        await reorder_requested(
            order_id,
            order.customer_id,
            shop.name if shop else "",
            order.number,
            len(lines),
            order.author_id,
        )
    return ReorderRequestRead(
        order_id=order_id, number=order.number, lines=len(lines), requested_at=now
    )
