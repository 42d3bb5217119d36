"""Orders: capture (online or replayed by sync), reading in scope, and status changes.

Who creates: a rep for customers of its territories, a distributor for the customers it
serves (a "distributor order", priced with the distributor's list), managers and admins in
scope; customer users only read their own orders.

Pricing: the server takes unit prices from the price list (the customer's, or the
distributor's for distributor orders) and tax rates from the products, recomputes every
figure with backend.documents.pricing (as quotes are) and stores that snapshot on each line.
An edit by the author (backend.orders.editing) goes through the same steps. What the device
sent (unit prices, tax rates, line and document totals) is compared with it; any difference
keeps the server's figure and sets price_mismatch with every difference listed.

Numbers can never collide:
* server numbers "SO-<year>-<6 digits>" come from a NumberSeries counter row taken with an
  atomic upsert inside the write transaction (the row lock, or SQLite's single writer,
  serialises concurrent orders);
* a device offline may send its own number "<install code>-<n>", where the install code is
  unique per installed app (handed out by sync) and n the device's own counter. It must match
  core.DEVICE_NUMBER (one dash, so never shaped like a server number) and come from the
  sending device's own series (backend.numbering: 422 ``foreign_series`` otherwise); the
  unique constraint on Order.number backs it, and a number already used answers Conflict (409).

Idempotency: creating with an id that exists and belongs to the same author returns the
existing order unchanged (created=False); an id of someone else's order is a Conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import structlog

from backend.accounts.principal import Principal, Role
from backend.approvals_visibility import shaped_document
from backend.customers.tables import Customer
from backend.db import is_unique_violation, write_transaction
from backend.documents import approval, pricing
from backend.documents.schemas import ApprovalDecision, DeviceTotals
from backend.documents.store import record_write, store_lines
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.orders import core
from backend.orders import repository as repo
from backend.orders.schemas import OrderCreate, OrderLineCreate, OrderRead, OrderStatusChange
from backend.orders.tables import Order, OrderLine
from backend.quotes.pricing import PricedDocument
from backend.schemas import Page
from backend.scope import combine, customer_condition, customer_in_scope
from backend.territories.tables import Distributor
from backend.visits.tables import Visit

log = structlog.get_logger(__name__)
CREATORS = ("admin", "manager", "rep", "distributor")
STATUS_CHANGERS = ("admin", "manager", "distributor")


def _now() -> datetime:
    return datetime.now(UTC)


def readable_order_condition(principal: Principal) -> Any | None:
    """Orders a principal reads (visibility.md): those of the customers it sees (a distributor
    the customers it serves, a customer its own). REST and sync ask this one rule."""
    return customer_condition(principal, via=Order.customer)


# --- reading ----------------------------------------------------------------------------


async def get_order(principal: Principal, order_id: UUID) -> OrderRead:
    row = await repo.get_order_row(order_id, readable_order_condition(principal))
    if row is None:
        raise NotFound(detail="No such order.")
    return shaped_document(principal, repo.to_order_read(row, await repo.list_line_reads(order_id)))


async def list_orders(
    principal: Principal,
    *,
    customer_id: UUID | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[OrderRead]:
    """Orders in scope, newest first, without lines; since/until bound created_at."""
    if cursor and (not cursor.isdigit() or len(cursor) > 9):
        raise ValidationFailed(
            detail="The cursor is not valid.",
            errors=[FieldError("cursor", "not a cursor from this list")],
        )
    offset = int(cursor or 0)
    condition = combine(
        Order.deleted_at.is_null(),
        readable_order_condition(principal),
        Order.customer == customer_id if customer_id else None,
        Order.status == status if status else None,
        Order.created_at >= since if since else None,
        Order.created_at < until if until else None,
    )
    rows = await repo.list_order_rows(condition, limit + 1, offset)
    return Page(
        items=[shaped_document(principal, repo.to_order_read(r, None)) for r in rows[:limit]],
        next_cursor=str(offset + limit) if len(rows) > limit else None,
    )


# --- capture ----------------------------------------------------------------------------


def _check_input(
    lines: list[OrderLineCreate],
    document_discount_pct: Decimal,
    number: str | None,
    captured_at: datetime | None,
    delivery_date: datetime | None,
) -> None:
    """The order as sent (new or edited), refused whole (422) with every problem named."""
    errors: list[FieldError] = []
    pricing.check_lines(errors, lines)
    pricing.check_document_discount(errors, document_discount_pct)
    if wrong := core.NUMBERS.shape_error(number):
        errors.append(wrong)
    for name, moment in (("captured_at", captured_at), ("delivery_date", delivery_date)):
        if moment is not None and moment.tzinfo is None:
            errors.append(FieldError(name, "needs a time zone offset", "naive_datetime"))
    if errors:
        raise ValidationFailed(detail="The order is not valid; nothing was stored.", errors=errors)


async def _customer_for(principal: Principal, customer_id: UUID) -> dict[str, Any]:
    row = (
        await Customer.select(
            Customer.id,
            Customer.region,
            Customer.territory,
            Customer.distributor,
            Customer.price_list,
        )
        .where((Customer.id == customer_id) & Customer.deleted_at.is_null())
        .first()
    )
    if row is None or not customer_in_scope(principal, row):
        raise NotFound(detail="No such customer.")
    return row


async def _price_list_for(principal: Principal, customer: dict[str, Any]) -> dict[str, Any]:
    if principal.role == Role.DISTRIBUTOR:
        row = (
            await Distributor.select(Distributor.price_list)
            .where(Distributor.id == principal.distributor_id)
            .first()
        )
        price_list_id, whose = (row["price_list"] if row else None), "your distributor"
    else:
        price_list_id, whose = customer["price_list"], "the customer"
    return await pricing.price_list_row(price_list_id, whose)


@dataclass(frozen=True)
class PricedOrder:
    """An order's lines priced for its author: what creating and editing store alike."""

    price_list: dict[str, Any]
    priced: PricedDocument
    mismatches: list[dict[str, Any]]
    approval: str | None  # "pending" when the author's discounts need an approval

    def figures(self) -> dict[str, Any]:
        """The order's priced columns, by name (Order(**...) and Order.update(...) alike)."""
        return {
            "price_list": self.price_list["id"],
            **pricing.document_figures(self.priced),
            **pricing.mismatch_figures(self.mismatches),
            "approval": self.approval,
        }


async def _price_order(
    principal: Principal,
    customer: dict[str, Any],
    lines: list[OrderLineCreate],
    document_discount_pct: Decimal,
    device_totals: DeviceTotals | None,
    *,
    agreed_prices: bool = False,
) -> PricedOrder:
    """Price the lines with the principal's price list for the customer; compare with the
    device's figures; say whether the discounts need an approval."""
    price_list = await _price_list_for(principal, customer)
    priced = await pricing.price_lines(
        lines,
        document_discount_pct,
        price_list,
        agreed_prices=agreed_prices,
        list_discount_limit=not agreed_prices,
    )
    return PricedOrder(
        price_list=price_list,
        priced=priced,
        mismatches=pricing.device_mismatches(lines, device_totals, priced),
        approval=approval.approval_for(principal, priced),
    )


async def _existing(principal: Principal, order_id: UUID) -> OrderRead | None:
    owner = await repo.get_order_owner(order_id)
    if owner is None:
        return None
    if owner["author"] != principal.user_id:
        raise Conflict(detail="An order with this id exists already.")
    row = await repo.get_order_row(order_id)
    if row is None:
        raise Conflict(detail="This order was deleted.")
    return repo.to_order_read(row, await repo.list_line_reads(order_id))


async def submit_order(
    principal: Principal,
    data: OrderCreate,
    *,
    captured_at: datetime | None = None,
    agreed_prices: bool = False,
) -> tuple[OrderRead, bool]:
    """Create an order (see the module docstring); returns it and whether it is new.

    agreed_prices (server-side callers only, never from a request): the lines' unit prices
    and tax rates were agreed with the customer (an accepted quote) and are kept instead of
    the current price list's.
    """
    if principal.role not in CREATORS:
        raise PermissionDenied(detail="Your role cannot create orders.")
    captured_at = captured_at or data.captured_at
    _check_input(
        data.lines, data.document_discount_pct, data.number, captured_at, data.delivery_date
    )
    order_id = data.id or uuid4()
    if data.id is not None and (found := await _existing(principal, order_id)):
        return found, False
    await core.NUMBERS.check_series(principal.user_id, data.number)
    customer = await _customer_for(principal, data.customer_id)
    if data.visit_id is not None and not await Visit.exists().where(
        (Visit.id == data.visit_id) & (Visit.customer == data.customer_id)
    ):
        raise ValidationFailed(
            detail="No such visit of this customer.",
            errors=[FieldError("visit_id", "no such visit", "unknown")],
        )
    priced = await _price_order(
        principal,
        customer,
        data.lines,
        data.document_discount_pct,
        data.device_totals,
        agreed_prices=agreed_prices,
    )
    try:
        async with write_transaction():
            if data.id is not None and (found := await _existing(principal, order_id)):
                return found, False
            number = await core.NUMBERS.take(data.number, _now().year, repo.number_taken)
            await _insert(principal, order_id, number, data, customer, priced, captured_at)
    except Exception as exc:
        if isinstance(exc, Conflict | ValidationFailed) or not is_unique_violation(exc):
            raise
        # Two creates racing with the same id or number: the loser learns it here.
        if data.id is not None and (found := await _existing(principal, order_id)):
            return found, False
        raise Conflict(detail="The order id or number is used already.") from None
    log.info(
        "orders.created",
        order_id=str(order_id),
        number=number,
        mismatch=bool(priced.mismatches),
        by=str(principal.user_id),
    )
    return await get_order(principal, order_id), True


async def create_order(
    principal: Principal, data: OrderCreate, *, captured_at: datetime | None = None
) -> OrderRead:
    """Create an order (or return the same author's existing one with that id)."""
    order, _ = await submit_order(principal, data, captured_at=captured_at)
    return order


async def _insert(
    principal: Principal,
    order_id: UUID,
    number: str,
    data: OrderCreate,
    customer: dict[str, Any],
    priced: PricedOrder,
    captured_at: datetime | None,
) -> None:
    is_distributor = principal.role == Role.DISTRIBUTOR
    await Order.insert(
        Order(
            id=order_id,
            number=number,
            customer=customer["id"],
            author=principal.user_id,
            distributor=principal.distributor_id if is_distributor else None,
            visit=data.visit_id,
            status="submitted",
            notes=data.notes,
            delivery_date=data.delivery_date,
            captured_at=captured_at,
            **priced.figures(),
        )
    )
    await store_lines(OrderLine.order, order_id, priced.priced, replace=False)
    doc = priced.priced
    await record_write(
        "orders",
        order_id,
        customer["id"],
        "distributor_order" if is_distributor else "order",
        actor_id=principal.user_id,
        summary=f"Order {number}: {doc.total} {doc.currency}"
        + (" (discounts await approval)" if priced.approval else ""),
        data={
            "number": number,
            "total": str(doc.total),
            "currency": doc.currency,
            "lines": len(doc.lines),
            "price_mismatch": bool(priced.mismatches),
            "status": "submitted",
            "approval": priced.approval,
        },
        captured_at=captured_at,
    )


# --- status -----------------------------------------------------------------------------


async def change_status(principal: Principal, order_id: UUID, data: OrderStatusChange) -> OrderRead:
    """Move an order along submitted → confirmed → shipped → delivered (or cancel it)."""
    async with write_transaction():
        row = await repo.get_order_row(order_id, readable_order_condition(principal))
        if row is None:
            raise NotFound(detail="No such order.")
        current = row["status"]
        if (
            data.status == "cancelled"
            and row["author"] == principal.user_id
            and principal.role not in STATUS_CHANGERS
        ):
            # The author may withdraw an order until the office has confirmed it.
            core.check_author_may_change(current, "cancelled")
        elif principal.role not in STATUS_CHANGERS or (
            principal.role == Role.DISTRIBUTOR and row["distributor"] != principal.distributor_id
        ):
            raise PermissionDenied(detail="You may not change this order's status.")
        if not core.can_move(current, data.status):
            raise Conflict(
                detail=f"An order that is {current} cannot become {data.status}.",
                errors=[FieldError("status", f"not allowed from {current}", "transition")],
            )
        if data.status != "cancelled":
            approval.check_can_go_out(row, "order")
        if data.captured_at is not None and data.captured_at.tzinfo is None:
            raise ValidationFailed(
                detail="captured_at needs a time zone offset.",
                errors=[FieldError("captured_at", "needs an offset")],
            )
        await Order.update(
            {Order.status: data.status, Order.version: Order.version + 1, Order.updated_at: _now()}
        ).where(Order.id == order_id)
        await record_write(
            "orders",
            order_id,
            row["customer"],
            "order_status",
            actor_id=principal.user_id,
            summary=f"Order {row['number']}: {current} → {data.status}",
            data={"number": row["number"], "from": current, "to": data.status, "note": data.note},
            captured_at=data.captured_at,
        )
        from notifications.reminders import order_status_changed  # push to author and customer

        await order_status_changed(
            order_id,
            row["customer"],
            row["number"],
            current,
            data.status,
            author_id=row["author"],
            actor_id=principal.user_id,
        )
    log.info(
        "orders.status_changed",
        order_id=str(order_id),
        status=data.status,
        by=str(principal.user_id),
    )
    return await get_order(principal, order_id)


# --- discount approval ------------------------------------------------------------------


async def decide_approval(
    principal: Principal, order_id: UUID, data: ApprovalDecision
) -> OrderRead:
    """A manager of the customer's region (or an admin) approves or rejects the discounts."""
    async with write_transaction():
        row = await repo.get_order_row(order_id, readable_order_condition(principal))
        if row is None:
            raise NotFound(detail="No such order.")
        await approval.record_decision(
            principal, Order, row, data, stream="orders", kind="order_approval", label="Order"
        )
    log.info(
        "orders.approval_decided",
        order_id=str(order_id),
        decision=data.decision,
        by=str(principal.user_id),
    )
    return await get_order(principal, order_id)
