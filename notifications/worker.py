"""The notifications worker: claims due outbox rows, sends them, records the outcome at once.

Sends run concurrently over one pooled Web Push session and one FCM client. Each answer goes
to a result writer that commits every outcome that arrived since its last commit in one
transaction (a group commit). A Web Push send keeps its slot (ROUNDS_PUSH_CONCURRENCY of
them) from the POST until its outcome is committed, so at any moment at most that many
messages of a worker have been accepted by a push service without being recorded as sent:
a worker killed with `kill -9` repeats at most that many (see outbox.py), however far the
database lags behind the push service. The reminder and offer schedulers tick inside the
same loop.

Look-ahead. A row is claimed up to `push_lookahead_ms` before it is due; its payload is
encrypted then and posted at its due time. Under a steady stream of due messages the CPU
work of a message (encryption, claim) is then done before its due time rather than after it,
so the due-to-sent delay is one HTTP round trip instead of a queue of encryptions.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import Callable
from datetime import datetime

import structlog

from backend.settings import Settings
from notifications import core
from notifications.backoff import Backoff
from notifications.fcm import FcmMessage, FcmSender
from notifications.keys import vapid_keys
from notifications.outbox import DEAD, FAILED, PENDING, SENT, Claimed, Outcome, claim_due
from notifications.outbox import record_outcomes as write_outcomes
from notifications.payload import PayloadTooLarge, encode_payload
from notifications.webpush import SendResult, SendStatus, WebPushSender, WebPushSubscription

log = structlog.get_logger(__name__)
SCHEDULER_SECONDS = 30.0


class _ResultWriter:
    """Commits outcomes as they arrive, grouping whatever queued up during the last commit."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[tuple[Outcome, asyncio.Future[None]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    def put(self, outcome: Outcome) -> asyncio.Future[None]:
        """Queue an outcome; the future is done once its group commit has ended."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((outcome, done))
        return done

    async def drain(self) -> None:
        await self._queue.join()

    async def stop(self) -> None:
        await self.drain()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            group = [await self._queue.get()]
            while not self._queue.empty():
                group.append(self._queue.get_nowait())
            try:
                await write_outcomes([outcome for outcome, _ in group])
            except Exception:
                # The lease brings unrecorded rows back; a later worker re-sends them.
                log.exception("push.outcome_write_failed", count=len(group))
            finally:
                for _, done in group:
                    if not done.done():
                        done.set_result(None)
                    self._queue.task_done()


def _fcm_sender(settings: Settings) -> FcmSender | None:
    if not settings.fcm_project_id:
        return None
    credential = None
    if settings.fcm_credentials_file:
        from firebase_admin import credentials

        credential = credentials.Certificate(settings.fcm_credentials_file)
    return FcmSender(
        project_id=settings.fcm_project_id, credential=credential, base_url=settings.fcm_url
    )


def _due_together(rows: list[Claimed], within: float = 0.05) -> list[list[Claimed]]:
    """FCM rows (in due order) cut into batches due within `within` seconds of each other."""
    groups: list[list[Claimed]] = []
    for row in rows:
        if groups and (row.send_at - groups[-1][0].send_at).total_seconds() <= within:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


class Worker:
    """One worker: use `run_once()` in tests, `run(stop)` in a process."""

    def __init__(
        self,
        settings: Settings,
        *,
        webpush: WebPushSender | None = None,
        fcm: FcmSender | None = None,
        worker_id: str | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = core.utcnow,
        schedulers: bool = True,
    ) -> None:
        self.settings = settings
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self._webpush = webpush  # None: made on entry, with the database's VAPID key
        self.fcm = fcm if fcm is not None else _fcm_sender(settings)
        self.backoff = backoff or Backoff(max_attempts=settings.push_max_attempts)
        self.clock = clock
        self.schedulers = schedulers and settings.reminders_enabled
        self._slots = asyncio.Semaphore(settings.push_concurrency)
        self._writer = _ResultWriter()
        self.sent = 0

    @property
    def webpush(self) -> WebPushSender:
        if self._webpush is None:
            raise RuntimeError("use the worker inside `async with`")
        return self._webpush

    async def __aenter__(self) -> Worker:
        if self._webpush is None:
            self._webpush = WebPushSender(
                await vapid_keys(self.settings),
                self.settings.vapid_subject,
                max_connections=self.settings.push_concurrency,
                allow_private=self.settings.push_allow_private_endpoints,
            )
        self._writer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._writer.stop()
        await self.webpush.aclose()
        if self.fcm is not None:
            await self.fcm.aclose()

    def _outcome(self, row: Claimed, result: SendResult) -> Outcome:
        now = self.clock()
        if result.status is SendStatus.DELIVERED:
            return Outcome(row.id, SENT, now, claim=row.claim)
        reason = result.reason or (f"HTTP {result.http_status}" if result.http_status else "")
        if result.status is SendStatus.GONE:
            return Outcome(
                row.id,
                DEAD,
                now,
                claim=row.claim,
                error=f"gone: {reason}",
                gone_endpoint=row.endpoint,
            )
        if result.status is SendStatus.RETRY:
            retry_at = self.backoff.next_attempt_at(
                row.attempts, now, retry_after=result.retry_after
            )
            if retry_at is None:
                return Outcome(
                    row.id,
                    FAILED,
                    now,
                    claim=row.claim,
                    error=f"gave up after {row.attempts}: {reason}",
                )
            return Outcome(
                row.id, PENDING, now, claim=row.claim, next_attempt_at=retry_at, error=reason
            )
        return Outcome(row.id, FAILED, now, claim=row.claim, error=reason or "rejected")

    def _hold(self, row: Claimed) -> Outcome | None:
        """An outcome without sending: gone subscription, or quiet hours (deferred)."""
        now = self.clock()
        if row.channel is None or row.endpoint is None:
            return Outcome(row.id, DEAD, now, claim=row.claim, error="subscription removed")
        quiet = core.quiet_hours_of(row.time_zone, row.preferences)
        if quiet is not None:
            allowed = quiet.next_allowed(now)
            if allowed > now:
                return Outcome(
                    row.id,
                    PENDING,
                    now,
                    next_attempt_at=allowed,
                    claim=row.claim,
                    undo_attempt=True,
                    error="deferred: quiet hours",
                )
        return None

    async def _until(self, when: datetime) -> None:
        """Sleep until a row claimed ahead of time is due (never longer than the look-ahead)."""
        delay = (when - self.clock()).total_seconds()
        if delay > 0:
            await asyncio.sleep(min(delay, self.settings.push_lookahead_ms / 1000))

    async def _send_webpush(self, row: Claimed) -> None:
        # Encrypt now, possibly before the row is due; post at its due time.
        message = core.push_message(
            row.notification_id, row.kind, row.title, row.body, row.url, row.data
        )
        try:
            payload = encode_payload(message)
        except PayloadTooLarge as error:
            self._writer.put(
                Outcome(row.id, FAILED, self.clock(), claim=row.claim, error=str(error))
            )
            return
        prepared = self.webpush.prepare(
            WebPushSubscription(row.endpoint or "", row.p256dh, row.auth),
            payload,
            ttl=core.TTL_SECONDS.get(row.kind, core.DAY),
            urgency=core.URGENCY.get(row.kind, core.Urgency.NORMAL),
            topic=core.topic_of(row.notification_id),
        )
        if isinstance(prepared, SendResult):
            self._record(row, prepared)
            return
        await self._until(row.send_at)
        # The slot is held until the outcome is committed, not just until the answer: this
        # bounds the messages a push service accepted that a crash would send again.
        async with self._slots:
            result = await self.webpush.post(prepared)
            await self._record(row, result)

    async def _send_fcm(self, rows: list[Claimed]) -> None:
        await self._until(rows[-1].send_at)
        if self.fcm is None:
            now = self.clock()
            for row in rows:
                self._writer.put(
                    Outcome(row.id, FAILED, now, claim=row.claim, error="FCM is not configured")
                )
            return
        messages = [
            FcmMessage(
                token=row.endpoint or "",
                notification=core.push_message(
                    row.notification_id, row.kind, row.title, row.body, row.url, row.data
                ),
                ttl=core.TTL_SECONDS.get(row.kind, core.DAY),
                urgency=core.URGENCY.get(row.kind, core.Urgency.NORMAL),
                collapse_key=core.topic_of(row.notification_id),
            )
            for row in rows
        ]
        results = await self.fcm.send(messages)
        await asyncio.gather(
            *[self._record(row, result) for row, result in zip(rows, results, strict=True)]
        )

    def _record(self, row: Claimed, result: SendResult) -> asyncio.Future[None]:
        """Queue the outcome of a send; await the result to wait for its commit."""
        outcome = self._outcome(row, result)
        if outcome.status == SENT:
            self.sent += 1
        else:
            log.info(
                "push.not_sent", delivery=str(row.id), status=outcome.status, error=outcome.error
            )
        return self._writer.put(outcome)

    async def process(self, rows: list[Claimed]) -> None:
        """Send a claimed batch; outcomes are queued to the writer as each answer arrives."""
        tasks = []
        fcm_rows = []
        for row in rows:
            held = self._hold(row)
            if held is not None:
                self._writer.put(held)
            elif row.channel == "fcm":
                fcm_rows.append(row)
            else:
                tasks.append(asyncio.create_task(self._send_webpush(row)))
        for group in _due_together(fcm_rows):
            tasks.append(asyncio.create_task(self._send_fcm(group)))
        await asyncio.gather(*tasks)

    async def claim(self, limit: int | None = None) -> list[Claimed]:
        return await claim_due(
            self.worker_id,
            limit=limit or self.settings.push_batch_size,
            lease_seconds=self.settings.push_lease_seconds,
            now=self.clock(),
            ahead_seconds=self.settings.push_lookahead_ms / 1000,
        )

    async def run_once(self) -> int:
        """Claim one batch, send it and wait until every outcome is committed."""
        rows = await self.claim()
        await self.process(rows)
        await self._writer.drain()
        return len(rows)

    async def tick_schedulers(self) -> None:
        """Reminders and due offers; idempotency keys make concurrent workers harmless."""
        from notifications import offers, reminders

        now = self.clock()
        await reminders.run_reminders(self.settings, now)
        await offers.send_due_offers(now)

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set: keep up to two batches' worth of rows in flight.

        Counting rows rather than batches matters under a steady trickle: each claim then
        finds only a few rows, and a cap on batches would starve the sender.
        """
        poll = self.settings.push_poll_ms / 1000
        cap = 2 * self.settings.push_batch_size
        in_flight: dict[asyncio.Task[None], int] = {}
        next_tick = 0.0
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            if self.schedulers and loop.time() >= next_tick:
                next_tick = loop.time() + SCHEDULER_SECONDS
                try:
                    await self.tick_schedulers()
                except Exception:
                    log.exception("push.scheduler_failed")
            room = min(self.settings.push_batch_size, cap - sum(in_flight.values()))
            rows: list[Claimed] = []
            if room > 0:
                try:
                    rows = await self.claim(room)
                except Exception:
                    log.exception("push.claim_failed")
            if rows:
                task = asyncio.create_task(self.process(rows))
                in_flight[task] = len(rows)
                task.add_done_callback(lambda done: in_flight.pop(done, None))
                if len(rows) == room:
                    await asyncio.sleep(0)  # more may be due: claim again at once
                    continue
            waiter = asyncio.create_task(stop.wait())
            if room <= 0:  # full: wait for a batch to finish
                await asyncio.wait([waiter, *in_flight], return_when=asyncio.FIRST_COMPLETED)
            else:  # nothing more is due: look again after the poll interval
                await asyncio.wait([waiter], timeout=poll)
            waiter.cancel()
        if in_flight:
            await asyncio.gather(*in_flight, return_exceptions=True)
        await self._writer.drain()


async def run_worker(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run one worker until SIGTERM/SIGINT (or `stop`): `rounds worker` and `rounds serve`."""
    from backend import db

    own_engine = stop is None
    if own_engine:
        db.configure(settings)
        await db.open_engine(settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    assert stop is not None
    log.info("push.worker_started")
    try:
        async with Worker(settings) as worker:
            await worker.run(stop)
    finally:
        if own_engine:
            await db.close_engine()
        log.info("push.worker_stopped")


class InProcessWorker:
    """A worker running as a task of the web server's event loop (`rounds serve`)."""

    def __init__(self, settings: Settings) -> None:
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._run(settings))

    async def _run(self, settings: Settings) -> None:
        try:
            await run_worker(settings, self._stop)
        except Exception:
            log.exception("push.in_process_worker_failed")

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(self._task, return_exceptions=True)


def start_in_process(settings: Settings) -> InProcessWorker:
    """Start a worker inside the running event loop; `await .stop()` on shutdown."""
    return InProcessWorker(settings)


def main() -> None:
    """`python -m notifications.worker`: the same as `rounds worker`."""
    from backend.logs import configure_logging
    from backend.settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_json)
    asyncio.run(run_worker(settings))


if __name__ == "__main__":
    main()
