"""The worker's FCM path against the local fake FCM endpoint: delivery, dead tokens, retries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from backend.db import write_transaction
from notifications.fcm import FcmSender
from notifications.outbox import counts_by_status, enqueue_notification
from notifications.tables import Delivery, PushSubscription
from notifications.worker import Worker
from tests.factories import make_user
from tests.fakes.fcm_service import FakeFcmCredentials, FakeFcmService
from tests.integration.notifications.conftest import worker_settings


async def _device(token: str):  # type: ignore[no-untyped-def]
    uid = await make_user("customer")
    await PushSubscription.insert(
        PushSubscription(id=uuid4(), user=uid, kind="fcm", endpoint=token)
    )
    return uid


async def _notify(uid, key):  # type: ignore[no-untyped-def]
    async with write_transaction():
        return await enqueue_notification(uid, "offer", "Coffee week", "-15%", "/offers/1", key)


def _worker(fcm: FakeFcmService, **kw):  # type: ignore[no-untyped-def]
    sender = FcmSender(
        project_id="rounds-test", credential=FakeFcmCredentials(), base_url=fcm.origin
    )
    return Worker(worker_settings(), fcm=sender, **kw)


async def test_fcm_delivery_dead_token_and_retry_after(db):
    with FakeFcmService(project_id="rounds-test") as fcm:
        ok, dead, busy = (
            await _device("tok-ok"),
            await _device("tok-dead"),
            await _device("tok-busy"),
        )
        nid = await _notify(ok, "a")
        await _notify(dead, "b")
        await _notify(busy, "c")
        fcm.fail("tok-dead", "UNREGISTERED")
        fcm.fail("tok-busy", "QUOTA_EXCEEDED", retry_after="300", times=1)
        now = datetime.now(UTC) + timedelta(seconds=1)
        clock = [now]
        async with _worker(fcm, clock=lambda: clock[0]) as worker:
            assert await worker.run_once() == 3
            tokens = [
                r["endpoint"] for r in await PushSubscription.select(PushSubscription.endpoint)
            ]
            assert sorted(tokens) == ["tok-busy", "tok-ok"]  # the dead token is gone
            busy_row = await Delivery.select().where(Delivery.status == "pending").first()
            assert busy_row["next_attempt_at"] >= now + timedelta(seconds=299)
            clock[0] = now + timedelta(seconds=301)
            assert await worker.run_once() == 1
        delivered = [
            (m["token"], json.loads(m["data"]["payload"])["data"]["id"]) for m in fcm.received
        ]
    assert sorted(t for t, _ in delivered) == ["tok-busy", "tok-ok"]
    assert ("tok-ok", str(nid)) in delivered
    assert await counts_by_status() == {"sent": 2, "dead": 1}
