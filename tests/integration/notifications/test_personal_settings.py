"""Personal settings saved through `PATCH /api/me` (accounts.service.update_me) are what the
notifications worker obeys: quiet hours in the user's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.accounts import service as accounts
from backend.accounts.principal import Principal
from backend.accounts.schemas import MeUpdate, QuietHours
from backend.db import write_transaction
from notifications.outbox import enqueue_notification
from notifications.tables import Delivery
from notifications.worker import Worker
from tests.integration.notifications.conftest import user_with_device, worker_settings


async def test_quiet_hours_saved_by_the_user_defer_their_push(db, push):
    uid, _ = await user_with_device(push)
    me = Principal(
        user_id=uid,
        session_id="s",
        role="admin",
        email="x@test.rounds",
        name="X",
        region_id=None,
        distributor_id=None,
        customer_id=None,
        territory_ids=frozenset(),
    )
    await accounts.update_me(
        me,
        MeUpdate(time_zone="Europe/Riga", quiet_hours=QuietHours(start="22:00", end="07:00")),
    )
    # 23:30 in Riga (UTC+2 in winter) is 21:30 UTC: quiet until 07:00 local = 05:00 UTC.
    night = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)
    async with write_transaction():
        await enqueue_notification(
            uid, "visit_soon", "Visit", "Kohvik", "/v/1", "k1", due_at=night - timedelta(minutes=1)
        )
    clock = [night]
    async with Worker(worker_settings(), clock=lambda: clock[0]) as worker:
        assert await worker.run_once() == 1
        row = await Delivery.select().first()
        assert row["status"] == "pending"
        assert row["next_attempt_at"] == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
        assert push.received == []
        clock[0] = datetime(2026, 11, 24, 5, 0, 1, tzinfo=UTC)
        assert await worker.run_once() == 1
    assert len(push.received) == 1
