"""The `orders` sync collection (lines inside): the REST read rule, create and status changes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from backend.approvals_visibility import shaped_document
from backend.orders import core, editing, service
from backend.orders import repository as repo
from backend.orders.schemas import OrderCreate, OrderEdit, OrderStatusChange
from backend.orders.tables import Order, OrderLine
from backend.principal import Principal
from sync.appliers import Applied, NotSupported, convert, existing, owned_version_check
from sync.collections import Collection
from sync.schemas import Mutation


async def _condition(principal: Principal) -> Any | None:
    return service.readable_order_condition(principal)


async def _wire(rows: list[dict[str, Any]], principal: Principal) -> list[Any]:
    ids = [r["id"] for r in rows]
    by_order: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        for line in (
            await OrderLine.select().where(OrderLine.order.is_in(ids)).order_by(OrderLine.position)
        ):
            by_order[line["order"]].append(line)
    return [
        shaped_document(
            principal, repo.to_order_read(r, [repo.to_line_read(x) for x in by_order[r["id"]]])
        )
        for r in rows
    ]


async def apply_order(principal: Principal, m: Mutation) -> Applied:
    """Create (lines inside), the author's edit, or a status change; never merged or deleted."""
    if m.op == "create":
        await existing("orders", m.id, must_exist=False)
        read = await service.create_order(
            principal, convert(m.fields, OrderCreate, id=str(m.id)), captured_at=m.captured_at
        )
        return Applied(read.version)
    row = await existing("orders", m.id, must_exist=True)
    assert row is not None
    if m.op == "delete":
        raise NotSupported('Orders are not deleted; cancel them with status "cancelled".')
    state = await Order.select(Order.author, Order.status).where(Order.id == m.id).first()
    assert state is not None
    by_author = state["author"] == principal.user_id and (
        "status" not in m.fields
        or (m.fields.get("status") == "cancelled" and principal.role not in service.STATUS_CHANGERS)
    )
    if by_author:
        # Confirmed meanwhile: say so, rather than "changed on the server since your version".
        core.check_author_may_change(
            state["status"], "cancelled" if "status" in m.fields else "changed"
        )
    owned_version_check(m, row)
    if "status" in m.fields:
        change = convert(m.fields, OrderStatusChange)
        if change.captured_at is None and m.captured_at is not None:
            change.captured_at = m.captured_at
        read = await service.change_status(principal, m.id, change)
    else:
        # The author's new lines, discount and notes (until the order is confirmed).
        read = await editing.edit_order(
            principal, m.id, convert(m.fields, OrderEdit), captured_at=m.captured_at
        )
    return Applied(read.version)


ORDERS = Collection("orders", Order, _condition, _wire, apply=apply_order, via=Order.customer)
