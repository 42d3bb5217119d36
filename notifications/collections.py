"""What the `notifications` and `offers` sync collections serve, for sync/collections.py.

Register as `Collection("notifications", Notification, notifications_condition,
notifications_wire)` and `Collection("offers", Offer, offers_condition, offers_wire)`.
Changes are recorded with `user_id` of the recipient (inbox entries, offers sent to them)
or of the author (offer drafts and status changes).
"""

from __future__ import annotations

from typing import Any

from backend.accounts.principal import Principal
from notifications.offers import to_offer_read
from notifications.repository import to_notification_read
from notifications.tables import Notification, Offer


async def notifications_condition(principal: Principal) -> Any:
    """A user's inbox is their own, whatever their role."""
    return Notification.user == principal.user_id


async def notifications_wire(rows: list[dict[str, Any]]) -> list[Any]:
    return [to_notification_read(r) for r in rows]


async def offers_condition(principal: Principal) -> Any | None:
    """Managers: their region's campaigns (admins all); everyone else: offers they received."""
    if principal.is_admin:
        return None
    if principal.role == "manager":
        return Offer.region == principal.region_id
    received = await Notification.select(Notification.offer).where(
        (Notification.user == principal.user_id) & Notification.offer.is_not_null()
    )
    ids = list({r["offer"] for r in received})
    return Offer.id.is_in(ids) if ids else Offer.id.is_null()


async def offers_wire(rows: list[dict[str, Any]]) -> list[Any]:
    return [to_offer_read(r) for r in rows]
