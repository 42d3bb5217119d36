"""The outbox on the database: enqueue, claim, lease, retries, give-up, dead subscriptions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from backend.accounts.tables import User
from backend.db import write_transaction
from notifications.backoff import Backoff
from notifications.outbox import (
    Outcome,
    claim_due,
    counts_by_status,
    enqueue_notification,
    record_outcomes,
)
from notifications.tables import Delivery, Notification, PushSubscription
from notifications.worker import Worker
from sync.tables import SyncChange
from tests.fakes.push_service import FakePushService
from tests.integration.notifications.conftest import user_with_device, worker_settings


async def _enqueue(uid, key: str = "k1", **kw):  # type: ignore[no-untyped-def]
    async with write_transaction():
        return await enqueue_notification(
            uid, "visit_soon", "Visit at 10:00", "Kohvik Õun", "/visits/1", key, **kw
        )


async def test_enqueue_writes_inbox_change_and_one_delivery_per_device(db, push):
    uid, _ = await user_with_device(push)
    await user_with_device(push)  # someone else's device gets nothing
    second = push.subscribe()
    from tests.integration.notifications.conftest import subscribe

    await subscribe(uid, second)
    nid = await _enqueue(uid)
    assert nid is not None
    assert await Notification.count().where(Notification.user == uid) == 1
    assert await Delivery.count().where(Delivery.notification == nid) == 2
    changes = await SyncChange.select().where(SyncChange.collection == "notifications")
    assert [str(c["row_id"]) for c in changes] == [str(nid)]
    # The same cause again changes nothing.
    assert await _enqueue(uid) is None
    assert await Notification.count() == 1 and await Delivery.count() == 2


async def test_enqueue_rolls_back_with_its_cause(db, push):
    uid, _ = await user_with_device(push)
    try:
        async with write_transaction():
            await enqueue_notification(uid, "k", "t", "b", "/", "rolled")
            raise RuntimeError("the causing write failed")
    except RuntimeError:
        pass
    assert await Notification.count() == 0 and await Delivery.count() == 0


async def test_worker_sends_decryptable_message_with_ttl_urgency_topic(db, push):
    uid, sub = await user_with_device(push)
    nid = await _enqueue(uid)
    async with Worker(worker_settings()) as worker:
        assert await worker.run_once() == 1
    assert len(push.received) == 1
    got = push.received[0]
    assert got.endpoint == sub.endpoint
    body = got.json()
    assert body["title"] == "Visit at 10:00" and body["data"]["id"] == str(nid)
    assert body["data"]["url"] == "/visits/1"
    assert got.ttl > 0 and got.urgency == "high" and got.topic == nid.hex
    assert await counts_by_status() == {"sent": 1}


async def test_future_rows_wait_and_claimed_rows_are_not_claimed_twice(db, push):
    uid, _ = await user_with_device(push)
    now = datetime.now(UTC)
    await _enqueue(uid, "later", due_at=now + timedelta(hours=1))
    await _enqueue(uid, "now")
    now += timedelta(seconds=1)
    first = await claim_due("w1", limit=10, lease_seconds=30, now=now)
    assert [c.title for c in first] == ["Visit at 10:00"] and len(first) == 1
    assert await claim_due("w2", limit=10, lease_seconds=30, now=now) == []
    # Past the lease (its worker died), the row is due again and counts a second attempt.
    again = await claim_due("w2", limit=10, lease_seconds=30, now=now + timedelta(seconds=31))
    assert [c.id for c in again] == [first[0].id] and again[0].attempts == 2


async def test_a_message_claimed_ahead_is_posted_at_its_due_time_not_before(db, push):
    uid, _ = await user_with_device(push)
    due = datetime.now(UTC) + timedelta(seconds=2)
    await _enqueue(uid, "soon", due_at=due)
    async with Worker(worker_settings(push_lookahead_ms=200)) as worker:
        assert await worker.run_once() == 0  # due beyond the look-ahead: not claimed yet
    async with Worker(worker_settings(push_lookahead_ms=5000)) as worker:
        assert await worker.run_once() == 1  # claimed and encrypted early, posted when due
    assert len(push.received) == 1
    assert push.received[0].received_at >= due.timestamp()
    sent = await Delivery.select(Delivery.sent_at).first()
    assert sent["sent_at"] >= due
    assert await counts_by_status() == {"sent": 1}


async def test_retry_after_and_backoff_then_success(db, push):
    uid, sub = await user_with_device(push)
    await _enqueue(uid)
    push.respond(sub.endpoint, 429, retry_after="120")
    clock = [datetime.now(UTC)]
    settings = worker_settings()
    async with Worker(
        settings, clock=lambda: clock[0], backoff=Backoff(base=1, cap=10, max_attempts=5)
    ) as worker:
        assert await worker.run_once() == 1
        row = await Delivery.select().first()
        assert row["status"] == "pending" and row["attempts"] == 1
        # Retry-After (120 s) wins over the backoff ceiling (1 s).
        assert row["next_attempt_at"] >= clock[0] + timedelta(seconds=119)
        assert "429" in row["last_error"] or row["last_error"]
        assert await worker.run_once() == 0  # not due yet
        push.respond(sub.endpoint, 503)
        clock[0] += timedelta(seconds=121)
        assert await worker.run_once() == 1
        row = await Delivery.select().first()
        assert row["status"] == "pending" and row["attempts"] == 2
        wait = (row["next_attempt_at"] - clock[0]).total_seconds()
        assert 0 <= wait <= 2  # backoff ceiling for the 2nd failure: base * 2
        clock[0] += timedelta(seconds=3)
        assert await worker.run_once() == 1
    assert len(push.received) == 1
    assert await counts_by_status() == {"sent": 1}


async def test_gives_up_after_the_limit_and_says_why(db, push):
    uid, sub = await user_with_device(push)
    await _enqueue(uid)
    push.respond(sub.endpoint, 500, times=None)
    clock = [datetime.now(UTC)]
    async with Worker(
        worker_settings(), clock=lambda: clock[0], backoff=Backoff(base=1, cap=1, max_attempts=3)
    ) as worker:
        for _ in range(3):
            assert await worker.run_once() == 1
            clock[0] += timedelta(seconds=2)
        assert await worker.run_once() == 0
    row = await Delivery.select().first()
    assert row["status"] == "failed" and row["attempts"] == 3
    assert row["last_error"].startswith("gave up after 3")
    assert push.received == []


async def test_gone_subscription_is_deleted_by_exact_endpoint(db, push):
    uid, sub = await user_with_device(push)
    from tests.integration.notifications.conftest import subscribe

    kept = push.subscribe()
    await subscribe(uid, kept)
    await _enqueue(uid)
    push.unsubscribe(sub.endpoint)  # answers 410
    async with Worker(worker_settings()) as worker:
        assert await worker.run_once() == 2
    endpoints = [r["endpoint"] for r in await PushSubscription.select(PushSubscription.endpoint)]
    assert endpoints == [kept.endpoint]
    assert sorted((await counts_by_status()).items()) == [("dead", 1), ("sent", 1)]
    # Later notifications go only to the device that is left.
    await _enqueue(uid, "k2")
    async with Worker(worker_settings()) as worker:
        assert await worker.run_once() == 1
    assert [r.endpoint for r in push.received] == [kept.endpoint, kept.endpoint]


async def test_payload_too_large_for_the_service_fails_without_retry(db, push):
    uid, sub = await user_with_device(push)
    await _enqueue(uid)
    push.respond(sub.endpoint, 413)
    async with Worker(worker_settings()) as worker:
        await worker.run_once()
    row = await Delivery.select().first()
    assert row["status"] == "failed" and row["attempts"] == 1


async def test_quiet_hours_defer_in_the_users_time_zone(db, push):
    uid, _ = await user_with_device(push, quiet_hours={"start": "22:00", "end": "07:00"})
    await User.update({User.time_zone: "Europe/Tallinn"}).where(User.id == uid)
    # 23:30 in Tallinn (UTC+2 in winter) is 21:30 UTC: quiet until 07:00 local = 05:00 UTC.
    night = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)
    await _enqueue(uid, due_at=night - timedelta(minutes=1))
    clock = [night]
    async with Worker(worker_settings(), clock=lambda: clock[0]) as worker:
        assert await worker.run_once() == 1
        row = await Delivery.select().first()
        assert row["status"] == "pending" and row["attempts"] == 0
        assert row["next_attempt_at"] == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
        assert push.received == []
        clock[0] = datetime(2026, 11, 24, 5, 0, 1, tzinfo=UTC)
        assert await worker.run_once() == 1
    assert len(push.received) == 1


def test_backoff_jitter_is_spread(db=None):  # pure check that retries do not align
    delays = {round(Backoff(base=4).delay(3, rng=random.Random(i)), 3) for i in range(20)}
    assert len(delays) > 10 and max(delays) <= 16


async def test_push_service_is_down_then_back(db):
    """Network errors are retried, not lost: the endpoint's server is not running yet."""
    service = FakePushService().start()
    uid = None
    try:
        uid, _ = await user_with_device(service)
    finally:
        service.stop()
    await _enqueue(uid)
    async with Worker(worker_settings(), backoff=Backoff(base=0.01, cap=0.01)) as worker:
        await worker.run_once()
    row = await Delivery.select().first()
    assert row["status"] == "pending" and row["last_error"].startswith("network")


async def test_a_late_outcome_of_an_expired_claim_does_not_undo_the_new_owner(db, push):
    uid, _ = await user_with_device(push)
    await _enqueue(uid)
    now = datetime.now(UTC) + timedelta(seconds=1)
    [old] = await claim_due("slow", limit=5, lease_seconds=10, now=now)
    [new] = await claim_due("fresh", limit=5, lease_seconds=10, now=now + timedelta(seconds=11))
    await record_outcomes(
        [Outcome(old.id, "pending", now, claim=old.claim, error="timeout", next_attempt_at=now)]
    )
    row = await Delivery.select().first()
    assert row["status"] == "sending" and row["claimed_by"] == new.claim
    await record_outcomes([Outcome(new.id, "sent", now, claim=new.claim)])
    assert await counts_by_status() == {"sent": 1}
