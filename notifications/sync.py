"""The `offers` and `notifications` sync collections: the REST rules; devices report the inbox.

Changes are recorded with `user_id` of the recipient (inbox entries, offers sent to them)
or of the author (offer drafts and status changes).
"""

from __future__ import annotations

from typing import Any

from backend.errors import ValidationFailed
from backend.principal import Principal
from notifications import service
from notifications.offers import readable_offer_condition, to_offer_read
from notifications.repository import to_notification_read
from notifications.tables import Notification, Offer
from sync.appliers import Applied, NotSupported, existing
from sync.collections import Collection, each
from sync.schemas import Mutation

_INBOX_REPORTS = ("read", "displayed", "clicked")


async def _inbox(principal: Principal) -> Any | None:
    """A user's inbox is their own, whatever their role."""
    return Notification.user == principal.user_id


async def apply_inbox(principal: Principal, m: Mutation) -> Applied:
    """Mark an entry read (fields {"read": true}) or displayed/clicked (fields.action)."""
    if m.op != "update":
        raise NotSupported("Notifications are only marked read, displayed or clicked.")
    await existing("notifications", m.id, must_exist=True)
    action = m.fields.get("action") or ("read" if m.fields.get("read") is True else None)
    if action not in _INBOX_REPORTS:
        raise ValidationFailed(detail='Send {"read": true} or an action: read, displayed, clicked.')
    read = await service.report(m.id, action, principal=principal)  # type: ignore[arg-type]
    return Applied(read.version)


OFFERS = Collection("offers", Offer, readable_offer_condition, each(to_offer_read))
NOTIFICATIONS = Collection(
    "notifications", Notification, _inbox, each(to_notification_read), apply=apply_inbox
)
