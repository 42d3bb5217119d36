"""Queries for subscriptions and the inbox; rows become Structs here."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from notifications.schemas import NotificationRead, SubscriptionRead
from notifications.tables import Notification, PushSubscription


def to_subscription_read(row: dict[str, Any]) -> SubscriptionRead:
    return SubscriptionRead(
        id=row["id"],
        kind=row["kind"],
        endpoint=row["endpoint"],
        device=row["device"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def to_notification_read(row: dict[str, Any]) -> NotificationRead:
    data = row.get("data") or {}
    if isinstance(data, str):
        import json

        data = json.loads(data)
    return NotificationRead(
        id=row["id"],
        version=row["version"],
        kind=row["kind"],
        title=row["title"],
        body=row["body"],
        url=row["url"],
        data=data,
        due_at=row["due_at"],
        customer_id=row["customer"],
        offer_id=row["offer"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        read_at=row["read_at"],
        displayed_at=row["displayed_at"],
        clicked_at=row["clicked_at"],
    )


async def get_subscription_by_endpoint(endpoint: str) -> dict[str, Any] | None:
    return await PushSubscription.select().where(PushSubscription.endpoint == endpoint).first()


async def upsert_subscription(
    user_id: UUID,
    kind: str,
    endpoint: str,
    p256dh: str,
    auth: str,
    device: str,
    now: datetime,
    session_family: str = "",
) -> UUID:
    """Insert, or renew the caller's existing row with this endpoint (new keys, device)."""
    existing = await get_subscription_by_endpoint(endpoint)
    if existing is None:
        sid = uuid4()
        await PushSubscription.insert(
            PushSubscription(
                id=sid,
                user=user_id,
                kind=kind,
                endpoint=endpoint,
                p256dh=p256dh,
                auth=auth,
                device=device,
                session_family=session_family,
                created_at=now,
                updated_at=now,
            )
        )
        return sid
    await PushSubscription.update(
        {
            PushSubscription.kind: kind,
            PushSubscription.session_family: session_family,
            PushSubscription.p256dh: p256dh,
            PushSubscription.auth: auth,
            PushSubscription.device: device,
            PushSubscription.updated_at: now,
        }
    ).where((PushSubscription.id == existing["id"]) & (PushSubscription.user == user_id))
    return existing["id"]  # type: ignore[no-any-return]


async def delete_subscriptions_of_family(user_id: UUID, session_family: str) -> None:
    await PushSubscription.delete().where(
        (PushSubscription.user == user_id) & (PushSubscription.session_family == session_family)
    )


async def list_subscriptions_of_user(user_id: UUID) -> list[SubscriptionRead]:
    rows = (
        await PushSubscription.select()
        .where(PushSubscription.user == user_id)
        .order_by(PushSubscription.created_at)
    )
    return [to_subscription_read(r) for r in rows]


async def delete_subscription_of_user(
    user_id: UUID, *, endpoint: str | None = None, subscription_id: UUID | None = None
) -> int:
    """Delete the user's own subscription by endpoint or id; returns how many went."""
    where: Any = PushSubscription.user == user_id
    if endpoint is not None:
        where &= PushSubscription.endpoint == endpoint
    if subscription_id is not None:
        where &= PushSubscription.id == subscription_id
    found = await PushSubscription.select(PushSubscription.id).where(where)
    if found:
        await PushSubscription.delete().where(where)
    return len(found)


async def get_notification_row(notification_id: UUID) -> dict[str, Any] | None:
    return (
        await Notification.select()
        .where((Notification.id == notification_id) & Notification.deleted_at.is_null())
        .first()
    )


async def list_notifications_of_user(
    user_id: UUID, *, limit: int, unread_only: bool = False
) -> list[NotificationRead]:
    where = (Notification.user == user_id) & Notification.deleted_at.is_null()
    if unread_only:
        where &= Notification.read_at.is_null()
    rows = (
        await Notification.select()
        .where(where)
        .order_by(Notification.due_at, ascending=False)
        .limit(limit)
    )
    return [to_notification_read(r) for r in rows]
