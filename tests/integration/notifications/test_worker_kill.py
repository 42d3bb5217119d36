"""Two real `rounds worker` processes, one killed with kill -9 mid-batch, against a push
service that answers at once: nothing is lost, at most the killed worker's in-flight
messages arrive twice, each carries a Topic, and both sign with the key the API hands out."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from uuid import UUID

import pytest

from backend.db import write_transaction
from backend.settings import get_settings
from notifications.outbox import counts_by_status, enqueue_notification
from notifications.tables import PushSubscription
from tests.factories import make_user
from tests.fakes.push_service import FakePushService

ROOT = Path(__file__).resolve().parents[3]
MESSAGES = 1200
DEVICES = 40
CONCURRENCY = 16


def _start_worker(name: str) -> subprocess.Popen[bytes]:
    """A worker as a second host would run it: its own data directory, the shared database."""
    data_dir = tempfile.mkdtemp(prefix=f"rounds-worker-{name}-")
    env = dict(os.environ)
    env.update(
        {
            "ROUNDS_DATA_DIR": data_dir,
            "ROUNDS_DATABASE_URL": get_settings().database_url,
            "ROUNDS_SECRET_KEY": get_settings().secret_key,
            "ROUNDS_PUSH_BATCH_SIZE": "50",
            "ROUNDS_PUSH_CONCURRENCY": str(CONCURRENCY),
            "ROUNDS_PUSH_LEASE_SECONDS": "2",
            "ROUNDS_PUSH_LOOKAHEAD_MS": "0",
            "ROUNDS_PUSH_POLL_MS": "50",
            "ROUNDS_REMINDERS_ENABLED": "false",
            "ROUNDS_LOG_LEVEL": "WARNING",
        }
    )
    log = open(Path(get_settings().data_dir) / f"kill-worker-{name}.log", "ab")
    rounds = str(Path(sys.executable).with_name("rounds"))
    return subprocess.Popen([rounds, "worker"], env=env, cwd=ROOT, stdout=log, stderr=log)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _queue_messages(push: FakePushService) -> set[str]:
    """DEVICES users with a device each, MESSAGES due notifications spread over them."""
    subscriptions = []
    for index in range(DEVICES):
        sub = push.subscribe()
        uid = await make_user("rep")
        await PushSubscription.insert(
            PushSubscription(
                id=UUID(int=index + 1),
                user=uid,
                kind="webpush",
                endpoint=sub.endpoint,
                p256dh=sub.p256dh,
                auth=sub.auth,
            )
        )
        subscriptions.append(uid)
    expected = set()
    async with write_transaction():
        for index in range(MESSAGES):
            nid = await enqueue_notification(
                subscriptions[index % DEVICES],
                "order_status",
                f"Order {index}",
                "",
                "/",
                f"k{index}",
            )
            expected.add(str(nid))
    return expected


async def _wait_for(check, limit: float) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not await check():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.02)


@pytest.mark.slow
async def test_kill_minus_nine_repeats_at_most_the_in_flight_messages(client):
    with FakePushService() as push:
        expected = await _queue_messages(push)
        workers = [_start_worker("a"), _start_worker("b")]
        try:

            async def midway() -> bool:
                return len(push.received) >= MESSAGES // 4

            await _wait_for(midway, 60)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(5)
            accepted_at_kill = len(push.received)

            async def all_sent() -> bool:
                return (await counts_by_status()).get("sent", 0) == MESSAGES

            await _wait_for(all_sent, 120)
        finally:
            for worker in workers:
                _stop(worker)
        received = list(push.received)
        rejected = list(push.rejected)
    public_key = (await client.get("/api/push/vapid-public-key")).json()["public_key"]

    ids = Counter(str(r.json()["data"]["id"]) for r in received)  # type: ignore[index]
    duplicates = sum(n - 1 for n in ids.values())
    print(
        f"\n{MESSAGES} messages, two workers, one killed with kill -9 after "
        f"{accepted_at_kill} were accepted: {duplicates} delivered twice "
        f"(bound: concurrency {CONCURRENCY}), {len(expected - set(ids))} lost"
    )
    assert rejected == []
    assert set(ids) == expected  # none lost
    assert duplicates <= CONCURRENCY
    # Every message carries its notification's Topic, so a push service collapses a repeat.
    assert all(r.topic == UUID(str(r.json()["data"]["id"])).hex for r in received)  # type: ignore[index]
    # Both workers, each with a data directory of its own, signed with the API's key.
    assert {r.vapid_key for r in received} == {public_key}
