"""Push outbox benchmark: one worker process, the fake push service in another process.

Two runs of 10,000 due reminders each, against a fresh database (SQLite in a temporary
directory, or ROUNDS_DATABASE_URL if it names PostgreSQL):

* backlog: all 10,000 due at once, measuring messages per second delivered;
* steady: 10,000 due spread evenly over 10 s (1,000/s offered), measuring the delay between
  each message's due time and the commit that marked it sent (p50/p95/max).

    python benchmarks/push_bench.py [--messages 10000] [--devices 1000] [--spread 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
_TMP = tempfile.mkdtemp(prefix="rounds-push-bench-")
os.environ.setdefault("ROUNDS_DATA_DIR", _TMP)
os.environ.setdefault("ROUNDS_DATABASE_URL", f"sqlite:///{_TMP}/bench.sqlite3")
os.environ.setdefault("ROUNDS_LOG_LEVEL", "WARNING")

from backend import db  # noqa: E402
from backend.accounts.tables import User  # noqa: E402
from backend.settings import get_settings  # noqa: E402
from notifications.outbox import counts_by_status  # noqa: E402
from notifications.tables import Delivery, Notification, PushSubscription  # noqa: E402
from notifications.worker import Worker  # noqa: E402
from tests.fakes.push_service import PushServiceProcess  # noqa: E402

CHUNK = 500


async def _devices(subscriptions: list[tuple[str, str, str]]) -> list[tuple[object, object]]:
    """A rep per fake subscription; returns (user id, subscription id) pairs."""
    pairs = []
    users, subs = [], []
    for index, (endpoint, p256dh, auth) in enumerate(subscriptions):
        uid, sid = uuid4(), uuid4()
        users.append(
            User(
                id=uid,
                email=f"bench{index}@rounds.test",
                password_hash="-",
                name=f"Rep {index}",
                role="rep",
                time_zone="Europe/Tallinn",
            )
        )
        subs.append(
            PushSubscription(
                id=sid, user=uid, kind="webpush", endpoint=endpoint, p256dh=p256dh, auth=auth
            )
        )
        pairs.append((uid, sid))
    for start in range(0, len(users), CHUNK):
        await User.insert(*users[start : start + CHUNK])
        await PushSubscription.insert(*subs[start : start + CHUNK])
    return pairs


async def _reminders(
    pairs: list[tuple[object, object]], count: int, first_due: datetime, spread: float, tag: str
) -> None:
    """`count` reminders round-robin over the devices, due evenly over `spread` seconds."""
    notes, deliveries = [], []
    for i in range(count):
        uid, sid = pairs[i % len(pairs)]
        due = first_due + timedelta(seconds=spread * i / count)
        nid = uuid4()
        notes.append(
            Notification(
                id=nid,
                user=uid,
                kind="visit_soon",
                title=f"Visit {i} at 10:30",
                body="Kohvik Õun, Pikk 12 — bring the new price list",
                url=f"/visits/{nid}",
                idempotency_key=f"{tag}-{i}",
                due_at=due,
            )
        )
        deliveries.append(
            Delivery(
                id=uuid4(),
                notification=nid,
                subscription=sid,
                idempotency_key=f"{nid}:{sid}",
                due_at=due,
                next_attempt_at=due,
            )
        )
    for start in range(0, count, CHUNK):
        async with db.write_transaction():
            await Notification.insert(*notes[start : start + CHUNK])
            await Delivery.insert(*deliveries[start : start + CHUNK])


async def _delays() -> list[float]:
    rows = await Delivery.select(Delivery.due_at, Delivery.sent_at).where(Delivery.status == "sent")
    return sorted((r["sent_at"] - r["due_at"]).total_seconds() for r in rows)


async def _run(worker: Worker, total: int) -> tuple[float, float]:
    """Run the worker until every message is sent; (seconds to the last send, worker CPU)."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    started = datetime.now(UTC)
    cpu = time.process_time()
    # Polled rarely: the check shares the worker's event loop and must not slow it down.
    while (await counts_by_status()).get("sent", 0) < total:
        if task.done():
            task.result()
        await asyncio.sleep(0.25)
    cpu = time.process_time() - cpu
    stop.set()
    await task
    last = (
        await Delivery.select(Delivery.sent_at).order_by(Delivery.sent_at, ascending=False).first()
    )
    return (last["sent_at"] - started).total_seconds(), cpu


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of another process (Linux /proc), for the fake's share."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


async def main(args: argparse.Namespace) -> None:
    settings = get_settings()
    from backend.wiring import install_sync

    install_sync()
    db.configure(settings)
    await db.migrate()
    await db.open_engine(settings)
    # The fake push service listens on loopback over http.
    settings = replace(
        settings, reminders_enabled=False, push_poll_ms=20, push_allow_private_endpoints=True
    )
    engine = "PostgreSQL" if settings.is_postgres else "SQLite"
    with PushServiceProcess(args.devices) as fake:
        pairs = await _devices(fake.subscriptions)

        began = time.perf_counter()
        await _reminders(pairs, args.messages, datetime.now(UTC), 0.0, "backlog")
        insert_seconds = time.perf_counter() - began
        fake_cpu = _cpu_seconds(fake._process.pid)
        async with Worker(settings, schedulers=False) as worker:
            elapsed, cpu = await _run(worker, args.messages)
        fake_cpu = _cpu_seconds(fake._process.pid) - fake_cpu
        rate = args.messages / elapsed
        await Delivery.delete(force=True)
        await Notification.delete(force=True)

        # The first message falls due 2 s after the worker starts: writing the 10,000 rows
        # takes seconds too (measured above), and a worker that starts late would be
        # measured draining a backlog, not keeping up with a stream.
        first_due = datetime.now(UTC) + timedelta(seconds=2 + 2 * insert_seconds)
        await _reminders(pairs, args.messages, first_due, args.spread, "steady")
        lead = (first_due - datetime.now(UTC)).total_seconds()
        async with Worker(settings, schedulers=False) as worker:
            await _run(worker, args.messages)
        delays = await _delays()
    await db.close_engine()
    print(
        f"push_bench ({engine}, {args.devices} devices, batch {settings.push_batch_size}, "
        f"concurrency {settings.push_concurrency})"
    )
    print(
        f"  backlog: {args.messages} due at once delivered in {elapsed:.2f} s "
        f"= {rate:,.0f} messages/s (fake received {fake.received}, rejected {fake.rejected})"
    )
    print(
        f"           worker CPU {cpu:.2f} s = {args.messages / cpu:,.0f} messages per CPU-second "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores while measuring)"
    )
    print(
        f"           fake push service CPU {fake_cpu:.2f} s (verifies and decrypts every message)"
    )
    print(
        f"  steady : {args.messages} due over {args.spread:.0f} s, delay due→sent "
        f"p50 {statistics.median(delays):.3f} s, p95 {_pct(delays, 0.95):.3f} s, "
        f"max {delays[-1]:.3f} s (worker started {lead:.1f} s before the first was due)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=1_000)
    parser.add_argument("--spread", type=float, default=10.0)
    asyncio.run(main(parser.parse_args()))
