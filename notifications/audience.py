"""Who an offer reaches: customers by territory, segment and purchase history, then people."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from backend.accounts.tables import User
from backend.customers.tables import Contact, Customer
from backend.orders.tables import OrderLine
from notifications.core import offers_opted_in
from notifications.schemas import OfferTarget


@dataclass(frozen=True)
class Audience:
    customers: list[UUID]
    recipients: list[tuple[UUID, UUID]]  # (customer user id, their customer id), opted in
    contacts_opted_in: int


async def _buyers(product_id: UUID, since: datetime | None) -> set[UUID]:
    """Customers with a non-cancelled order holding `product_id` (since `since`, if given)."""
    where = (
        (OrderLine.product == product_id)
        & (OrderLine.order.status != "cancelled")
        & (OrderLine.order.deleted_at.is_null())
    )
    if since is not None:
        where &= OrderLine.order.created_at >= since
    rows = await OrderLine.select(OrderLine.order.customer.as_alias("customer")).where(where)
    return {r["customer"] for r in rows}


async def matching_customers(
    region_id: UUID | None, target: OfferTarget, now: datetime
) -> list[UUID]:
    """Customers in the region (None: all) meeting every condition of the target."""
    where: Any = Customer.deleted_at.is_null()
    if region_id is not None:
        where &= Customer.region == region_id
    if target.territory_ids:
        where &= Customer.territory.is_in(list(target.territory_ids))
    if target.segments:
        where &= Customer.segment.is_in(list(target.segments))
    ids = {r["id"] for r in await Customer.select(Customer.id).where(where)}
    if target.bought_product_id is not None:
        ids &= await _buyers(target.bought_product_id, now - timedelta(days=target.days))
    if target.never_product_id is not None:
        ids -= await _buyers(target.never_product_id, None)
    return sorted(ids)


async def audience_of(region_id: UUID | None, target: OfferTarget, now: datetime) -> Audience:
    """The customers, and the opted-in customer users who get the push."""
    customers = await matching_customers(region_id, target, now)
    if not customers:
        return Audience([], [], 0)
    users = await User.select(User.id, User.customer, User.preferences).where(
        (User.role == "customer")
        & User.active.eq(True)
        & User.deleted_at.is_null()
        & User.customer.is_in(customers)
    )
    recipients = []
    for user in users:
        prefs = user["preferences"]
        if isinstance(prefs, str):
            prefs = json.loads(prefs or "{}")
        if offers_opted_in(prefs or {}):
            recipients.append((user["id"], user["customer"]))
    contacts = await Contact.count().where(
        Contact.customer.is_in(customers)
        & Contact.offers_opt_in.eq(True)
        & Contact.deleted_at.is_null()
    )
    return Audience(customers, sorted(recipients), contacts)
