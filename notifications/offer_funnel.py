"""An offer's funnel from recorded events: sent → displayed → clicked → ordered.

- sent: inbox entries made for the offer (one per recipient);
- displayed / clicked: those the service worker reported shown / the recipient opened;
- ordered: clicked ones whose customer placed an order (not cancelled) within
  ORDER_WINDOW_DAYS after the click.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any
from uuid import UUID

from backend.orders.tables import Order
from notifications.schemas import OfferFunnel
from notifications.tables import Notification

ORDER_WINDOW_DAYS = 7


async def funnels_of(offer_ids: list[UUID]) -> dict[UUID, OfferFunnel]:
    """Each offer's funnel, in two queries however many offers."""
    funnels = {oid: OfferFunnel() for oid in offer_ids}
    if not offer_ids:
        return funnels
    rows = await Notification.select(
        Notification.offer,
        Notification.customer,
        Notification.displayed_at,
        Notification.clicked_at,
    ).where(Notification.offer.is_in(offer_ids) & Notification.deleted_at.is_null())
    clicks: list[dict[str, Any]] = []
    for r in rows:
        f = funnels[r["offer"]]
        f.sent += 1
        f.displayed += r["displayed_at"] is not None or r["clicked_at"] is not None
        if r["clicked_at"] is not None:
            f.clicked += 1
            if r["customer"] is not None:
                clicks.append(r)
    if not clicks:
        return funnels
    orders = await Order.select(Order.customer, Order.created_at).where(
        Order.customer.is_in(list({c["customer"] for c in clicks}))
        & (Order.created_at >= min(c["clicked_at"] for c in clicks))
        & (Order.status != "cancelled")
        & Order.deleted_at.is_null()
    )
    by_customer: dict[UUID, list[Any]] = defaultdict(list)
    for o in orders:
        by_customer[o["customer"]].append(o["created_at"])
    window = timedelta(days=ORDER_WINDOW_DAYS)
    for c in clicks:
        start = c["clicked_at"]
        if any(start <= at <= start + window for at in by_customer[c["customer"]]):
            funnels[c["offer"]].ordered += 1
    return funnels
