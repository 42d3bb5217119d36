"""Real worker processes: killed mid-batch and restarted, or two side by side, send once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import pytest

from backend.db import write_transaction
from backend.settings import get_settings
from notifications.outbox import counts_by_status, enqueue_notification
from notifications.tables import Delivery, PushSubscription
from tests.factories import make_user
from tests.fakes.push_service import FakePushService
from tests.integration.notifications.slow_push import SlowPushProcess

ROOT = Path(__file__).resolve().parents[3]


def _start_worker(name: str, lease: int = 2) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        {
            "ROUNDS_PUSH_BATCH_SIZE": "8",
            "ROUNDS_PUSH_CONCURRENCY": "8",
            "ROUNDS_PUSH_LEASE_SECONDS": str(lease),
            "ROUNDS_PUSH_POLL_MS": "50",
            "ROUNDS_REMINDERS_ENABLED": "false",
            "ROUNDS_LOG_LEVEL": "WARNING",
        }
    )
    log = open(Path(get_settings().data_dir) / f"worker-{name}.log", "ab")
    return subprocess.Popen(
        [sys.executable, "-m", "notifications.worker"], env=env, cwd=ROOT, stdout=log, stderr=log
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _wait_for(check: Callable[[], object], limit: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


async def _one_due_message_per_device(
    subscriptions: list[tuple[str, str, str]],
) -> set[tuple[str, str]]:
    """A user per fake subscription, one due notification each; returns (endpoint, id) pairs."""
    expected = set()
    for index, (endpoint, p256dh, auth) in enumerate(subscriptions):
        uid = await make_user("rep")
        await PushSubscription.insert(
            PushSubscription(
                id=UUID(int=index + 1),
                user=uid,
                kind="webpush",
                endpoint=endpoint,
                p256dh=p256dh,
                auth=auth,
            )
        )
        async with write_transaction():
            nid = await enqueue_notification(
                uid, "visit_soon", f"Visit {index}", "soon", "/visits", f"kill-test-{index}"
            )
        expected.add((endpoint, str(nid)))
    return expected


async def _sent() -> int:
    return (await counts_by_status()).get("sent", 0)


@pytest.mark.slow  # worker subprocesses
async def test_worker_killed_mid_batch_then_restarted_sends_each_once(db):
    with SlowPushProcess(subscriptions=40, delay=0.15) as fake:
        expected = await _one_due_message_per_device(fake.subscriptions)
        worker = _start_worker("first")
        try:
            await _wait_for(lambda: sum(fake.stats()["received"].values()) >= 8)
            fake.pause()  # answers now wait: the worker has requests in flight

            async def settled() -> bool:
                stats = fake.stats()
                accepted = sum(stats["received"].values())
                return stats["waiting"] > 0 and await _sent() == accepted

            await _wait_for(settled)
            worker.send_signal(signal.SIGKILL)
            worker.wait(5)
        finally:
            _stop(worker)
        before = fake.stats()
        await asyncio.sleep(0.3)
        fake.resume()  # the held requests' client is dead: the fake drops them
        await _wait_for(lambda: fake.stats()["waiting"] == 0)
        assert fake.stats()["dropped"] >= 1, "the worker was killed with sends in flight"
        assert (await counts_by_status()).get("sending", 0) >= 1  # left claimed by the dead one
        assert 0 < sum(before["received"].values()) < len(expected)

        restarted = _start_worker("second")
        try:
            await _wait_for(lambda: _sent_all(len(expected)), limit=30)
        finally:
            _stop(restarted)
        received = fake.stats()["received"]
    assert set(received) == expected
    assert all(count == 1 for count in received.values()), received


async def _sent_all(total: int) -> bool:
    return await _sent() == total


@pytest.mark.slow  # worker subprocesses
async def test_two_workers_side_by_side_send_each_once(db):
    with FakePushService() as push:
        subs = [push.subscribe() for _ in range(30)]
        expected = await _one_due_message_per_device([(s.endpoint, s.p256dh, s.auth) for s in subs])
        workers = [_start_worker("a", lease=30), _start_worker("b", lease=30)]
        try:
            await _wait_for(lambda: _sent_all(len(expected)), limit=30)
        finally:
            for w in workers:
                _stop(w)
        got = [(r.endpoint, r.json()["data"]["id"]) for r in push.received]  # type: ignore[index]
    assert sorted(got) == sorted(expected)  # every message, none twice
    assert await Delivery.count().where(Delivery.status == "sent") == len(expected)
