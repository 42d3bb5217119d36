"""Use cases: subscribe and unsubscribe devices, read the inbox, take display/click reports."""

from __future__ import annotations

import json
from typing import Any, Literal
from uuid import UUID

import structlog

from backend.accounts.principal import Principal, Role
from backend.accounts.repository import get_session_family as session_family
from backend.accounts.service import LOGOUT_HOOKS
from backend.accounts.tables import User
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.history.recorder import record_event
from backend.settings import Settings
from notifications import repository as repo
from notifications.core import utcnow
from notifications.endpoints import check_endpoint
from notifications.keys import vapid_keys
from notifications.schemas import (
    NotificationRead,
    OptInState,
    SubscriptionCreate,
    SubscriptionRead,
    VapidPublicKey,
)
from notifications.tables import Notification
from notifications.webpush import WebPushSubscription
from sync.changelog import record_change

log = structlog.get_logger(__name__)
Report = Literal["displayed", "clicked", "read"]


async def vapid_public_key(settings: Settings) -> VapidPublicKey:
    """The `applicationServerKey` the PWA subscribes with: the key every worker signs with."""
    return VapidPublicKey(public_key=(await vapid_keys(settings)).application_server_key)


def _checked(data: SubscriptionCreate, allow_private: bool) -> tuple[str, str, str]:
    """(endpoint or token, p256dh, auth), or ValidationFailed naming the bad field."""
    if data.kind == "fcm":
        if not data.token:
            raise ValidationFailed(
                detail="An FCM subscription needs its token.",
                errors=[FieldError("token", "required", "required")],
            )
        return data.token, "", ""
    if not data.endpoint or data.keys is None:
        missing = "endpoint" if not data.endpoint else "keys"
        raise ValidationFailed(
            detail="A Web Push subscription needs its endpoint and keys.",
            errors=[FieldError(missing, "required", "required")],
        )
    try:
        check_endpoint(data.endpoint, allow_private=allow_private)
    except ValueError as error:
        raise ValidationFailed(
            detail=f"The push endpoint is refused: {error}.",
            errors=[FieldError("endpoint", str(error), "endpoint_not_allowed")],
        ) from None
    try:
        WebPushSubscription(data.endpoint, data.keys.p256dh, data.keys.auth).check()
    except ValueError as error:
        field = "endpoint" if "endpoint" in str(error) else "keys"
        raise ValidationFailed(detail=str(error), errors=[FieldError(field, str(error))]) from None
    return data.endpoint, data.keys.p256dh, data.keys.auth


async def subscribe(
    settings: Settings, principal: Principal, data: SubscriptionCreate
) -> SubscriptionRead:
    """Register this device; the same endpoint again renews it, never duplicates.

    An endpoint another user holds answers 409 and stays theirs: it is never moved silently.
    The browser proves it is that device by subscribing afresh (a new endpoint; the old one
    then answers 410 and the worker drops it), and logging out removes the subscriptions
    the session registered, so a shared device changes hands cleanly either way.
    """
    endpoint, p256dh, auth = _checked(data, settings.push_allow_private_endpoints)
    now = utcnow()
    family = await session_family(principal.session_id) or ""
    async with write_transaction():
        holder = await repo.get_subscription_by_endpoint(endpoint)
        if holder is not None and holder["user"] != principal.user_id:
            raise Conflict(
                detail=(
                    "This push endpoint is registered to another account. Unsubscribe in the "
                    "browser and subscribe again to get an endpoint of your own."
                ),
                errors=[FieldError("endpoint", "registered to another account", "taken")],
            )
        sid = await repo.upsert_subscription(
            principal.user_id, data.kind, endpoint, p256dh, auth, data.device, now, family
        )
    log.info("push.subscribed", kind=data.kind, user=str(principal.user_id))
    row = await repo.get_subscription_by_endpoint(endpoint)
    assert row is not None and row["id"] == sid
    return repo.to_subscription_read(row)


async def forget_devices_of_session(principal: Principal) -> None:
    """Logout hook: drop the push subscriptions this login registered (same transaction)."""
    family = await session_family(principal.session_id)
    if family:
        await repo.delete_subscriptions_of_family(principal.user_id, family)


LOGOUT_HOOKS.append(forget_devices_of_session)


async def list_subscriptions(principal: Principal) -> list[SubscriptionRead]:
    return await repo.list_subscriptions_of_user(principal.user_id)


async def unsubscribe(
    principal: Principal, *, endpoint: str | None = None, subscription_id: UUID | None = None
) -> None:
    """Remove one of the caller's own subscriptions; someone else's answers 404."""
    async with write_transaction():
        removed = await repo.delete_subscription_of_user(
            principal.user_id, endpoint=endpoint, subscription_id=subscription_id
        )
    if not removed:
        raise NotFound(detail="No such push subscription of yours.")


async def list_inbox(
    principal: Principal, *, limit: int = 100, unread_only: bool = False
) -> list[NotificationRead]:
    if not 1 <= limit <= 500:
        raise ValidationFailed(
            detail="limit must be 1 to 500.",
            errors=[FieldError("limit", "must be 1 to 500", "range")],
        )
    return await repo.list_notifications_of_user(
        principal.user_id, limit=limit, unread_only=unread_only
    )


_HISTORY_KIND = {"displayed": "offer_opened", "clicked": "offer_clicked", "read": "offer_read"}
# Any other push to a customer's own user (an order's status, say) goes into that customer's
# history when it is shown and when it is opened; pushes to staff about a customer do not.
_PUSH_KIND = {"displayed": "push_displayed", "clicked": "push_clicked"}
_PUSH_WORD = {"displayed": "shown", "clicked": "opened"}


async def _record_push_event(row: dict[str, Any], what: str, now: Any) -> None:
    if row["kind"] == "offer":
        await record_event(
            row["customer"],
            _HISTORY_KIND[what],
            ref_id=row["offer"],
            actor_id=row["user"],
            summary=f"Offer {what}: {row['title']}",
            data={"notification_id": str(row["id"])},
            captured_at=now,
        )
        return
    if what not in _PUSH_KIND:
        return
    recipient = await User.select(User.role, User.customer).where(User.id == row["user"]).first()
    if not recipient or recipient["role"] != Role.CUSTOMER:
        return
    data = row["data"]
    if isinstance(data, str):  # the JSON column's text, as the driver hands it over
        data = json.loads(data or "{}")
    ref = (data or {}).get("order_id") or (data or {}).get("quote_id")
    await record_event(
        row["customer"],
        _PUSH_KIND[what],
        ref_id=UUID(str(ref)) if ref else None,
        actor_id=row["user"],
        summary=f"Notification {_PUSH_WORD[what]}: {row['title']}",
        data={"notification_id": str(row["id"]), "notification_kind": row["kind"]},
        captured_at=now,
    )


async def report(
    notification_id: UUID, what: Report, *, principal: Principal | None = None
) -> NotificationRead:
    """Note that a notification was shown, clicked or read (first time counts); idempotent.

    The service worker reports without a session (it holds no token), so the notification's
    random id is the capability; with a principal, only its owner may report.
    """
    async with write_transaction():
        row = await repo.get_notification_row(notification_id)
        if row is None or (principal is not None and row["user"] != principal.user_id):
            raise NotFound(detail="No such notification.")
        column = {
            "displayed": Notification.displayed_at,
            "clicked": Notification.clicked_at,
            "read": Notification.read_at,
        }[what]
        if row[column._meta.name] is None:
            now = utcnow()
            values: dict[Any, Any] = {
                column: now,
                Notification.version: Notification.version + 1,
                Notification.updated_at: now,
            }
            if what == "clicked" and row["read_at"] is None:
                values[Notification.read_at] = now  # opening it is reading it
            await Notification.update(values).where(Notification.id == notification_id)
            await record_change("notifications", notification_id, "put", user_id=row["user"])
            if row["customer"] and what in _HISTORY_KIND:
                await _record_push_event(row, what, now)
        row = await repo.get_notification_row(notification_id)
    assert row is not None
    return repo.to_notification_read(row)


async def set_offers_opt_in(principal: Principal, opted_in: bool) -> OptInState:
    """A customer user opts in to (or out of) offers; kept in their preferences."""
    if principal.role != Role.CUSTOMER:
        raise PermissionDenied(detail="Only customer accounts opt in to offers.")
    async with write_transaction():
        row = await User.select(User.preferences).where(User.id == principal.user_id).first()
        if row is None:
            raise NotFound(detail="No such user.")
        preferences = row["preferences"] or {}
        if isinstance(preferences, str):
            preferences = json.loads(preferences)
        preferences = {**preferences, "offers_opt_in": opted_in}
        await User.update(
            {
                User.preferences: preferences,
                User.version: User.version + 1,
                User.updated_at: utcnow(),
            }
        ).where(User.id == principal.user_id)
        await record_change("users", principal.user_id, "put", user_id=principal.user_id)
        if principal.customer_id:
            await record_event(
                principal.customer_id,
                "offers_opt_in" if opted_in else "offers_opt_out",
                actor_id=principal.user_id,
                summary="Opted in to offers" if opted_in else "Opted out of offers",
            )
    return OptInState(offers_opt_in=opted_in)
