"""The durable outbox: enqueue inside the causing transaction, claim under a lease, record outcomes.

Claiming. PostgreSQL: one `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED)` in a
transaction, so concurrent workers take disjoint rows without waiting on each other.
SQLite: an IMMEDIATE transaction (writers are serialised) that flips due rows to `sending`.
Either way a claimed row carries `claimed_by` (a token unique to the batch) and
`claimed_until` (the lease). A row whose lease ran out (its worker died) is due again.

At least once, and how many repeat after a crash. A row is marked `sent` by the worker's
result writer, which group-commits the answers that arrived during its previous commit. A
send holds one of the worker's ROUNDS_PUSH_CONCURRENCY slots from its POST until that commit
has ended, so at any moment at most that many messages of one worker were accepted by a
push service (201) and not yet recorded. A worker killed with `kill -9` leaves its claimed
rows `sending`; when the lease runs out another worker claims and sends them again. Those
never posted, or refused, repeat nothing; the ones accepted but not yet recorded reach the
push service twice, at most the concurrency of the killed worker (measured: see the README).
Each message carries a `Topic` header (the notification id), so a push service that still
holds the first copy for an offline device replaces it, and the service worker's `tag`
replaces a shown one, so the user sees it once in either case.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from backend.db import current_engine, is_sqlite, write_transaction
from notifications.core import utcnow
from notifications.tables import Delivery, Notification, PushSubscription
from sync.changelog import record_change

PENDING, SENDING, SENT, FAILED, DEAD = "pending", "sending", "sent", "failed", "dead"
_ERROR_LIMIT = 300


async def enqueue_notification(
    user_id: UUID,
    kind: str,
    title: str,
    body: str,
    url: str,
    idempotency_key: str,
    due_at: datetime | None = None,
    data: dict[str, Any] | None = None,
    *,
    customer_id: UUID | None = None,
    offer_id: UUID | None = None,
) -> UUID | None:
    """Put a notification in the user's inbox and queue it for every device of theirs.

    Call inside the transaction of the event that causes it. Returns the new id, or None
    when a notification with this idempotency key already exists (nothing is changed).
    """
    due = due_at or utcnow()
    if due.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    notification_id = uuid4()
    async with write_transaction():
        inserted = await Notification.insert(
            Notification(
                id=notification_id,
                user=user_id,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:500],
                data=data or {},
                idempotency_key=idempotency_key[:200],
                due_at=due,
                customer=customer_id,
                offer=offer_id,
            )
        ).on_conflict(target=Notification.idempotency_key, action="DO NOTHING")
        if not inserted:
            return None
        await record_change("notifications", notification_id, "put", user_id=user_id)
        subscriptions = await PushSubscription.select(PushSubscription.id).where(
            PushSubscription.user == user_id
        )
        if subscriptions:
            await Delivery.insert(
                *[
                    Delivery(
                        id=uuid4(),
                        notification=notification_id,
                        subscription=s["id"],
                        idempotency_key=f"{notification_id}:{s['id']}",
                        status=PENDING,
                        due_at=due,
                        next_attempt_at=due,
                    )
                    for s in subscriptions
                ]
            )
    return notification_id


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed delivery with what is needed to send it."""

    id: UUID
    claim: str  # the batch's claim token: outcomes only apply while it still holds the row
    attempts: int
    due_at: datetime
    send_at: datetime  # when this attempt is due (due_at, or later after a retry or deferral)
    notification_id: UUID
    kind: str
    title: str
    body: str
    url: str
    data: dict[str, Any]
    channel: str | None  # webpush, fcm; None when the subscription was deleted
    endpoint: str | None
    p256dh: str
    auth: str
    time_zone: str
    preferences: dict[str, Any]


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return value if isinstance(value, dict) else {}


def _placeholders(count: int) -> str:
    return ", ".join(["{}"] * count)


_DUE = (
    "((status = 'pending' AND next_attempt_at <= {}) "
    "OR (status = 'sending' AND claimed_until < {}))"
)
_DETAILS = (
    "SELECT d.id, d.attempts, d.due_at, d.next_attempt_at, n.id AS notification_id, n.kind, "
    "n.title, n.body, n.url, n.data, s.kind AS channel, s.endpoint, s.p256dh, s.auth, u.time_zone, "
    "u.preferences FROM notification_delivery d "
    "JOIN notification n ON n.id = d.notification "
    'JOIN app_user u ON u.id = n."user" '
    "LEFT JOIN push_subscription s ON s.id = d.subscription "
    "WHERE d.claimed_by = {} AND d.status = 'sending' ORDER BY d.next_attempt_at"
)


async def claim_due(
    worker_id: str,
    *,
    limit: int,
    lease_seconds: float,
    now: datetime | None = None,
    ahead_seconds: float = 0.0,
) -> list[Claimed]:
    """Claim up to `limit` deliveries due by now + `ahead_seconds` for `lease_seconds`; each
    claim counts an attempt. Rows claimed ahead are the worker's to send at their `send_at`."""
    now = now or utcnow()
    token = f"{worker_id}:{uuid4().hex[:12]}"
    until = now + timedelta(seconds=lease_seconds)
    due_by = now + timedelta(seconds=ahead_seconds)
    engine = current_engine()
    if is_sqlite():
        sql = (
            "UPDATE notification_delivery SET status = 'sending', claimed_by = {}, "
            "claimed_until = {}, attempts = attempts + 1 WHERE id IN (SELECT id FROM "
            f"notification_delivery WHERE {_DUE} ORDER BY next_attempt_at LIMIT {{}})"
        )
        async with write_transaction():
            await Delivery.raw(sql, token, until, due_by, now, limit)
            rows = await Delivery.raw(_DETAILS, token)
    else:
        sql = (
            "UPDATE notification_delivery d SET status = 'sending', claimed_by = {}, "
            "claimed_until = {}, attempts = d.attempts + 1 FROM (SELECT id FROM "
            f"notification_delivery WHERE {_DUE} ORDER BY next_attempt_at LIMIT {{}} "
            "FOR UPDATE SKIP LOCKED) due WHERE d.id = due.id"
        )
        async with engine.transaction():
            await Delivery.raw(sql, token, until, due_by, now, limit)
            rows = await Delivery.raw(_DETAILS, token)
    return [
        Claimed(
            id=r["id"],
            claim=token,
            attempts=int(r["attempts"]),
            due_at=r["due_at"],
            send_at=r["next_attempt_at"],
            notification_id=r["notification_id"],
            kind=r["kind"],
            title=r["title"],
            body=r["body"],
            url=r["url"],
            data=_json(r["data"]),
            channel=r["channel"],
            endpoint=r["endpoint"],
            p256dh=r["p256dh"] or "",
            auth=r["auth"] or "",
            time_zone=r["time_zone"],
            preferences=_json(r["preferences"]),
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to write for one claimed delivery."""

    delivery_id: UUID
    status: str  # sent, pending (retry or deferral), failed, dead
    at: datetime
    claim: str | None = None  # set: apply only if this claim still holds the row
    next_attempt_at: datetime | None = None
    error: str = ""
    undo_attempt: bool = False  # a deferral for quiet hours is not a failed attempt
    gone_endpoint: str | None = None  # delete this subscription (exactly this endpoint)


async def record_outcomes(outcomes: Sequence[Outcome]) -> None:
    """Write a group of outcomes in one transaction (the result writer's group commit)."""
    if not outcomes:
        return
    sent = [o for o in outcomes if o.status == SENT]
    others = [o for o in outcomes if o.status != SENT]
    async with write_transaction():
        if sent:
            ids = [o.delivery_id for o in sent]
            await Delivery.raw(
                "UPDATE notification_delivery SET status = 'sent', sent_at = {}, "
                "claimed_by = NULL, claimed_until = NULL, last_error = '' "
                f"WHERE id IN ({_placeholders(len(ids))})",
                sent[-1].at,
                *ids,
            )
        for o in others:
            values: dict[Any, Any] = {
                Delivery.status: o.status,
                Delivery.claimed_by: None,
                Delivery.claimed_until: None,
                Delivery.last_error: o.error[:_ERROR_LIMIT],
            }
            if o.next_attempt_at is not None:
                values[Delivery.next_attempt_at] = o.next_attempt_at
            if o.undo_attempt:
                values[Delivery.attempts] = Delivery.attempts - 1
            where: Any = Delivery.id == o.delivery_id
            if o.claim is not None:
                # Past its lease another worker may own the row; a late retry or failure from
                # us must not undo that worker's send. (A 201 is recorded regardless.)
                where &= Delivery.claimed_by == o.claim
            await Delivery.update(values).where(where)
            if o.gone_endpoint is not None:
                # Exactly this endpoint: a re-subscription has a new one and stays.
                await PushSubscription.delete().where(PushSubscription.endpoint == o.gone_endpoint)


async def counts_by_status() -> dict[str, int]:
    """How many deliveries are in each state (for tests, benchmarks and health)."""
    rows = await Delivery.raw(
        "SELECT status, COUNT(*) AS n FROM notification_delivery GROUP BY status"
    )
    return {r["status"]: int(r["n"]) for r in rows}
