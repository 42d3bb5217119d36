"""Who an offer reaches: customers by territory, segment and purchase history, then people.

The customers are one SQL condition (purchases as sub-selects), so the composer's live count
is one `SELECT count(*)` however large the region.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from backend.accounts.tables import User
from backend.customers.tables import Contact, Customer
from backend.orders.tables import OrderLine
from backend.principal import Role
from notifications.core import offers_opted_in
from notifications.schemas import OfferTarget


@dataclass(frozen=True)
class Recipient:
    user_id: UUID
    customer_id: UUID
    locale: str


@dataclass(frozen=True)
class Audience:
    customers: list[UUID]
    recipients: list[Recipient]  # opted-in customer users
    contacts_opted_in: int


def _buyers(product_id: UUID, since: datetime | None) -> Any:
    """A sub-select of customers with a non-cancelled order holding `product_id`."""
    where = (
        (OrderLine.product == product_id)
        & (OrderLine.order.status != "cancelled")
        & (OrderLine.order.deleted_at.is_null())
    )
    if since is not None:
        where &= OrderLine.order.created_at >= since
    return OrderLine.select(OrderLine.order.customer).where(where)


def customer_condition(region_id: UUID | None, target: OfferTarget, now: datetime) -> Any:
    """Customers in the region (None: all) meeting every condition of the target."""
    where: Any = Customer.deleted_at.is_null()
    if region_id is not None:
        where &= Customer.region == region_id
    if target.territory_ids:
        where &= Customer.territory.is_in(list(target.territory_ids))
    if target.segments:
        where &= Customer.segment.is_in(list(target.segments))
    if target.bought_product_id is not None:
        where &= Customer.id.is_in(
            _buyers(target.bought_product_id, now - timedelta(days=target.days))
        )
    if target.never_product_id is not None:
        where &= Customer.id.not_in(_buyers(target.never_product_id, None))
    return where


async def count_customers(region_id: UUID | None, target: OfferTarget, now: datetime) -> int:
    return int(await Customer.count().where(customer_condition(region_id, target, now)))


async def matching_customers(
    region_id: UUID | None, target: OfferTarget, now: datetime
) -> list[UUID]:
    rows = await Customer.select(Customer.id).where(customer_condition(region_id, target, now))
    return sorted(r["id"] for r in rows)


def _prefs(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return value or {}


async def recipients_of(
    region_id: UUID | None, target: OfferTarget, now: datetime
) -> list[Recipient]:
    """The opted-in customer users of the matching customers, with their locale."""
    matching = Customer.select(Customer.id).where(customer_condition(region_id, target, now))
    users = await User.select(User.id, User.customer, User.preferences, User.locale).where(
        (User.role == Role.CUSTOMER)
        & User.active.eq(True)
        & User.deleted_at.is_null()
        & User.customer.is_in(matching)
    )
    found = [
        Recipient(u["id"], u["customer"], u["locale"] or "en")
        for u in users
        if offers_opted_in(_prefs(u["preferences"]))
    ]
    return sorted(found, key=lambda r: (str(r.user_id), str(r.customer_id)))


async def opted_in_contacts(region_id: UUID | None, target: OfferTarget, now: datetime) -> int:
    matching = Customer.select(Customer.id).where(customer_condition(region_id, target, now))
    return int(
        await Contact.count().where(
            Contact.customer.is_in(matching)
            & Contact.offers_opt_in.eq(True)
            & Contact.deleted_at.is_null()
        )
    )


async def audience_of(region_id: UUID | None, target: OfferTarget, now: datetime) -> Audience:
    """The customers, and the opted-in customer users who get the push."""
    customers = await matching_customers(region_id, target, now)
    if not customers:
        return Audience([], [], 0)
    return Audience(
        customers,
        await recipients_of(region_id, target, now),
        await opted_in_contacts(region_id, target, now),
    )
