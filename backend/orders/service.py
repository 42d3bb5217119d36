"""Orders: capture (online or replayed by sync), reading in scope, and status changes.

Who creates: a rep for customers of its territories, a distributor for the customers it
serves (a "distributor order", priced with the distributor's list), managers and admins in
scope; customer users only read their own orders.

Pricing: the server takes unit prices from the price list (the customer's, or the
distributor's for distributor orders) and tax rates from the products, recomputes every
figure with backend.quotes.pricing.price_document and stores that snapshot on each line. What
the device sent (unit prices, tax rates, line and document totals) is compared with it; any
difference keeps the server's figure and sets price_mismatch with every difference listed.

Numbers can never collide:
* server numbers "SO-<year>-<6 digits>" come from a NumberSeries counter row taken with an
  atomic upsert inside the write transaction (the row lock, or SQLite's single writer,
  serialises concurrent orders);
* a device offline may send its own number "<install code>-<n>", where the install code is
  unique per installed app (handed out by sync) and n the device's own counter. It must match
  core.DEVICE_NUMBER (one dash, so never shaped like a server number); the unique constraint
  on Order.number backs it, and a number already used answers Conflict (409).

Idempotency: creating with an id that exists and belongs to the same author returns the
existing order unchanged (created=False); an id of someone else's order is a Conflict.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import structlog

from backend.accounts.principal import Principal
from backend.catalogue import repository as catalogue_repo
from backend.catalogue.core import HUNDRED, check_decimal
from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.history.recorder import record_event
from backend.orders import core
from backend.orders import repository as repo
from backend.orders.schemas import OrderCreate, OrderRead, OrderStatusChange
from backend.orders.tables import Order, OrderLine
from backend.quotes.pricing import (
    LineInput,
    PricedDocument,
    PricingError,
    PricingPolicy,
    price_document,
)
from backend.schemas import Page
from backend.scope import combine, customer_condition, customer_in_scope
from backend.territories.tables import Distributor
from backend.visits.tables import Visit
from sync.changelog import record_change

log = structlog.get_logger(__name__)
CREATORS = ("admin", "manager", "rep", "distributor")
STATUS_CHANGERS = ("admin", "manager", "distributor")


def _now() -> datetime:
    return datetime.now(UTC)


def _scope(principal: Principal) -> Any | None:
    return customer_condition(principal, via=Order.customer)


# --- reading ----------------------------------------------------------------------------


async def get_order(principal: Principal, order_id: UUID) -> OrderRead:
    row = await repo.get_order_row(order_id, _scope(principal))
    if row is None:
        raise NotFound(detail="No such order.")
    return repo.to_order_read(row, await repo.list_line_reads(order_id))


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
        _scope(principal),
        Order.customer == customer_id if customer_id else None,
        Order.status == status if status else None,
        Order.created_at >= since if since else None,
        Order.created_at < until if until else None,
    )
    rows = await repo.list_order_rows(condition, limit + 1, offset)
    return Page(
        items=[repo.to_order_read(r, None) for r in rows[:limit]],
        next_cursor=str(offset + limit) if len(rows) > limit else None,
    )


# --- capture ----------------------------------------------------------------------------


def _check_input(data: OrderCreate, captured_at: datetime | None) -> None:
    errors: list[FieldError] = []
    for i, line in enumerate(data.lines):
        check_decimal(
            errors,
            f"lines[{i}].quantity",
            line.quantity,
            places=3,
            positive=True,
            lo=None,
            hi=Decimal("99999999999"),
        )
        check_decimal(errors, f"lines[{i}].discount_pct", line.discount_pct, places=2, hi=HUNDRED)
        if line.unit_price is not None:
            check_decimal(errors, f"lines[{i}].unit_price", line.unit_price, places=4)
        if line.tax_rate is not None:
            check_decimal(errors, f"lines[{i}].tax_rate", line.tax_rate, places=2, hi=HUNDRED)
    check_decimal(errors, "document_discount_pct", data.document_discount_pct, places=2, hi=HUNDRED)
    if data.number is not None and not core.is_device_number(data.number):
        errors.append(
            FieldError(
                "number",
                "a device number is '<install code>-<n>', e.g. "
                "'K7Q2-15'; leave it out to get a server number",
                "pattern",
            )
        )
    for name, moment in (("captured_at", captured_at), ("delivery_date", data.delivery_date)):
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
    if principal.role == "distributor":
        row = (
            await Distributor.select(Distributor.price_list)
            .where(Distributor.id == principal.distributor_id)
            .first()
        )
        price_list_id, whose = (row["price_list"] if row else None), "your distributor"
    else:
        price_list_id, whose = customer["price_list"], "the customer"
    price_list = await catalogue_repo.get_price_list_row(price_list_id) if price_list_id else None
    if price_list is None:
        raise ValidationFailed(
            detail=f"{whose.capitalize()} has no price list; nothing can be priced.",
            errors=[FieldError("customer_id", f"{whose} has no price list", "no_price_list")],
        )
    return price_list


async def _price(
    data: OrderCreate, price_list: dict[str, Any], *, agreed_prices: bool = False
) -> PricedDocument:
    product_ids = [line.product_id for line in data.lines]
    products = await catalogue_repo.get_products_for_pricing(product_ids)
    items = await catalogue_repo.get_item_rows(price_list["id"], product_ids)
    errors: list[FieldError] = []
    inputs: list[LineInput] = []
    for i, line in enumerate(data.lines):
        product, item = products.get(line.product_id), items.get(line.product_id)
        if product is None or not product["active"]:
            errors.append(FieldError(f"lines[{i}].product_id", "no such product", "unknown"))
            continue
        if agreed_prices and line.unit_price is not None:
            # A price already agreed with the customer (an accepted quote) is honoured.
            unit_price = line.unit_price
            tax_rate = line.tax_rate if line.tax_rate is not None else product["tax_rate"]
        elif item is None:
            errors.append(
                FieldError(
                    f"lines[{i}].product_id",
                    f"{product['sku']} has no price in price list {price_list['code']}",
                    "not_priced",
                )
            )
            continue
        else:
            unit_price, tax_rate = item["price"], product["tax_rate"]
        inputs.append(
            LineInput(
                product_id=str(product["id"]),
                sku=product["sku"],
                name=product["name"],
                quantity=line.quantity,
                unit_price=unit_price,
                tax_rate=tax_rate,
                discount_pct=line.discount_pct,
                unit=product["unit"],
            )
        )
    if errors:
        raise ValidationFailed(
            detail="Some lines cannot be priced; nothing was stored.", errors=errors
        )
    policy = PricingPolicy(
        currency=price_list["currency"], prices_include_tax=price_list["prices_include_tax"]
    )
    try:
        return price_document(
            inputs, document_discount_pct=data.document_discount_pct, policy=policy
        )
    except PricingError as exc:
        index = exc.line_index
        name = f"lines[{index}].{exc.field}" if index is not None else exc.field
        raise ValidationFailed(detail=str(exc), errors=[FieldError(name, str(exc))]) from None


def _device_figures(data: OrderCreate) -> dict[str, Any]:
    lines = [
        {
            "unit_price": line.unit_price,
            "tax_rate": line.tax_rate,
            "net": line.net,
            "tax_amount": line.tax_amount,
            "total": line.total,
        }
        for line in data.lines
    ]
    totals = data.device_totals
    sent = (
        {}
        if totals is None
        else {
            "subtotal": totals.subtotal,
            "document_discount_amount": totals.document_discount_amount,
            "net_total": totals.net_total,
            "tax_total": totals.tax_total,
            "total": totals.total,
        }
    )
    return core.device_document(lines, sent)


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


def _is_unique_violation(exc: Exception) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return "unique" in text or "integrity" in text or "duplicate" in text


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
    _check_input(data, captured_at)
    order_id = data.id or uuid4()
    if data.id is not None and (found := await _existing(principal, order_id)):
        return found, False
    customer = await _customer_for(principal, data.customer_id)
    if data.visit_id is not None and not await Visit.exists().where(
        (Visit.id == data.visit_id) & (Visit.customer == data.customer_id)
    ):
        raise ValidationFailed(
            detail="No such visit of this customer.",
            errors=[FieldError("visit_id", "no such visit", "unknown")],
        )
    price_list = await _price_list_for(principal, customer)
    priced = await _price(data, price_list, agreed_prices=agreed_prices)
    mismatches = core.price_mismatches(_device_figures(data), priced)
    is_distributor = principal.role == "distributor"
    try:
        async with write_transaction():
            if data.id is not None and (found := await _existing(principal, order_id)):
                return found, False
            if data.number is not None:
                if await repo.number_taken(data.number):
                    raise Conflict(
                        detail="The order number is used already.",
                        errors=[FieldError("number", "already used", "taken")],
                    )
                number = data.number
            else:
                now = _now()
                number = core.server_number(
                    now.year, await repo.next_series_value(core.series_name(now.year))
                )
            await _insert(
                principal,
                order_id,
                number,
                data,
                customer,
                price_list,
                priced,
                mismatches,
                captured_at,
                is_distributor,
            )
    except Exception as exc:
        if isinstance(exc, Conflict | ValidationFailed) or not _is_unique_violation(exc):
            raise
        # Two creates racing with the same id or number: the loser learns it here.
        if data.id is not None and (found := await _existing(principal, order_id)):
            return found, False
        raise Conflict(detail="The order id or number is used already.") from None
    log.info(
        "orders.created",
        order_id=str(order_id),
        number=number,
        mismatch=bool(mismatches),
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
    price_list: dict[str, Any],
    priced: PricedDocument,
    mismatches: list[dict[str, Any]],
    captured_at: datetime | None,
    is_distributor: bool,
) -> None:
    line_discounts = sum((line.discount_amount for line in priced.lines), Decimal(0))
    await Order.insert(
        Order(
            id=order_id,
            number=number,
            customer=customer["id"],
            author=principal.user_id,
            distributor=principal.distributor_id if is_distributor else None,
            visit=data.visit_id,
            price_list=price_list["id"],
            currency=priced.currency,
            status="submitted",
            document_discount_pct=priced.document_discount_pct,
            subtotal=priced.subtotal,
            discount_total=line_discounts + priced.document_discount_amount,
            tax_total=priced.tax_total,
            total=priced.total,
            price_mismatch=bool(mismatches),
            mismatches=mismatches,
            notes=data.notes,
            delivery_date=data.delivery_date,
            captured_at=captured_at,
        )
    )
    await OrderLine.insert(
        *[
            OrderLine(
                id=str(uuid4()),
                order=order_id,
                position=i,
                **core.line_snapshot(line),
            )
            for i, line in enumerate(priced.lines)
        ]
    )
    await record_change("orders", order_id, "put", customer_id=customer["id"])
    kind = "distributor_order" if is_distributor else "order"
    await record_event(
        customer["id"],
        kind,
        ref_id=order_id,
        actor_id=principal.user_id,
        summary=f"Order {number}: {priced.total} {priced.currency}",
        data={
            "number": number,
            "total": str(priced.total),
            "currency": priced.currency,
            "lines": len(priced.lines),
            "price_mismatch": bool(mismatches),
            "status": "submitted",
        },
        captured_at=captured_at,
    )


# --- status -----------------------------------------------------------------------------


async def change_status(principal: Principal, order_id: UUID, data: OrderStatusChange) -> OrderRead:
    """Move an order along submitted → confirmed → shipped → delivered (or cancel it)."""
    async with write_transaction():
        row = await repo.get_order_row(order_id, _scope(principal))
        if row is None:
            raise NotFound(detail="No such order.")
        if principal.role not in STATUS_CHANGERS or (
            principal.role == "distributor" and row["distributor"] != principal.distributor_id
        ):
            raise PermissionDenied(detail="You may not change this order's status.")
        current = row["status"]
        if not core.can_move(current, data.status):
            raise Conflict(
                detail=f"An order that is {current} cannot become {data.status}.",
                errors=[FieldError("status", f"not allowed from {current}", "transition")],
            )
        if data.captured_at is not None and data.captured_at.tzinfo is None:
            raise ValidationFailed(
                detail="captured_at needs a time zone offset.",
                errors=[FieldError("captured_at", "needs an offset")],
            )
        await Order.update(
            {Order.status: data.status, Order.version: Order.version + 1, Order.updated_at: _now()}
        ).where(Order.id == order_id)
        await record_change("orders", order_id, "put", customer_id=row["customer"])
        await record_event(
            row["customer"],
            "order_status",
            ref_id=order_id,
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
