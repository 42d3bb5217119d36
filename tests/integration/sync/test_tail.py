"""The in-memory tail of the change log serves exactly what the log holds.

Pulls read the newest entries from memory (sync/ordering.py, `_Tail`). These tests compare
it with a plain read of the log at every cursor, across growth, trimming, a stale tail and
a re-created database, on both engines.
"""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from backend.db import current_engine, write_transaction
from sync import ordering
from sync.changelog import record_change
from sync.state import ensure_state
from sync.tables import SyncChange


async def _write(count: int, per_tx: int = 1) -> None:
    for _ in range(count):
        async with write_transaction():
            for _ in range(per_tx):
                await record_change("products", uuid4(), "put")


def _positions(entries: list[dict]) -> list[tuple[int, int, str]]:  # type: ignore[type-arg]
    return [(int(e["txid"]), int(e["seq"]), str(e["row_id"])) for e in entries]


async def _view() -> ordering.View:
    """What a pull reads first: the epoch, the horizon and the bound (on PostgreSQL it reads
    the entries the tail lacks below the horizon into it too)."""
    await ensure_state()
    view = await ordering.ORDER.view()
    assert view is not None
    return view


async def _serve(view: ordering.View, after: tuple[int, int], limit: int) -> list:  # type: ignore[type-arg]
    """What a pull that read `view` is served after `after`, as pull passes it."""
    return await ordering.ORDER.after(
        after[0], after[1], limit, view.horizon, view.epoch, view.bound
    )


async def _both(after: tuple[int, int], limit: int) -> tuple[list, list]:  # type: ignore[type-arg]
    """(served with the tail, read from the log) after `after`, in one read transaction."""
    view = await _view()
    async with current_engine().transaction():
        served = await _serve(view, after, limit)
        read = await ordering.ORDER._read_after(after[0], after[1], limit)
    return _positions(served), _positions(read)


async def test_every_cursor_gets_what_the_log_holds_as_it_grows(db):
    await _write(5)
    await _write(3, per_tx=4)  # transactions of several entries
    everything = (await _both((0, 0), 10_000))[1]
    assert len(everything) == 17
    for limit in (1, 4, 500):
        for position in [(0, 0), *(p[:2] for p in everything)]:
            served, read = await _both(position, limit)
            assert served == read, (position, limit)
    await _write(6)  # the log grows after the tail was filled
    for position in everything[-3:]:
        served, read = await _both(position[:2], 500)
        assert served == read and len(read) >= 6


async def test_a_small_tail_trims_and_old_cursors_still_get_everything(db, monkeypatch):
    monkeypatch.setattr(ordering._Tail, "MAX_ENTRIES", 8)
    await _write(1)
    first = (await _both((0, 0), 1))[1][0][:2]
    await _both(first, 100)  # the tail starts after the first entry
    await _write(6)
    await _both(first, 100)  # ... and now holds six
    await _write(5)  # catching up to these trims three: entries after `first` leave it
    served, read = await _both(first, 100)
    assert served == read and len(read) == 11
    await _write(20)  # more than the tail may hold at all: read from the log
    for position in [(0, 0), first, *(p[:2] for p in read[::3])]:
        served, read_again = await _both(position, 1000)
        assert served == read_again, position


@pytest.mark.parametrize("round_", [1, 2])
async def test_a_recreated_database_never_sees_the_previous_ones_entries(db, round_):
    # The `db` fixture empties the database for each test (a new epoch, positions from 1):
    # the second round must not be served the first round's entries from memory.
    await _write(3 * round_)
    served, read = await _both((0, 0), 100)
    assert served == read and len(read) == 3 * round_


async def test_pulls_filling_the_tail_at_once_each_get_every_entry_once(db):
    # Many devices arrive together after a burst of writes: they all find the tail behind,
    # read the same new entries at the same time, and each appends them. The tail must hold
    # each entry once, so that every device is served exactly what the log holds.
    await _write(40)
    await _both((0, 0), 10)  # the tail exists and is behind from here on
    await _write(60, per_tx=3)
    everything = _positions(await ordering.ORDER._read_after(0, 0, 10_000))  # not via the tail
    assert len(everything) == 220
    view = await _view()  # on PostgreSQL it read the 180 new entries into the tail
    starts = [(0, 0), *(p[:2] for p in everything[::7])]

    async def serve(start: tuple[int, int]) -> list[tuple[int, int, str]]:
        return _positions(await _serve(view, start, 1000))

    served = await asyncio.gather(*(serve(start) for start in starts))
    for start, got in zip(starts, served, strict=True):
        assert got == [p for p in everything if p[:2] > start], start
    assert len(ordering._TAIL.positions) == len(set(ordering._TAIL.positions))


async def test_a_stale_tail_restarts_at_a_cursor_far_ahead_of_it(db, monkeypatch):
    monkeypatch.setattr(ordering._Tail, "STALE_TXIDS", 10)
    # Fewer than the writes below: more than one read's worth in between (on PostgreSQL the
    # View reads up to FILL entries along, and the tail is not stale if they were all).
    monkeypatch.setattr(ordering._Tail, "FILL", 5)
    # No device polled while the log grew: the next one is far ahead of the tail. The tail
    # restarts at its cursor instead of reading everything in between, and devices behind
    # that point read the log: each is still served exactly what the log holds.
    await _write(3)
    await _both((0, 0), 100)
    await _write(30)
    everything = _positions(await ordering.ORDER._read_after(0, 0, 1000))  # not via the tail
    ahead = everything[-5][:2]
    served, read = await _both(ahead, 100)
    assert served == read and len(read) == 4
    assert ordering._TAIL.low == ahead and len(ordering._TAIL.positions) == 4
    for position in [(0, 0), everything[10][:2], ahead, everything[-1][:2]]:
        served, read = await _both(position, 1000)
        assert served == read, position
    # A cursor a few transactions ahead (a device that just bootstrapped) fills the gap.
    await _write(5)
    newest = _positions(await ordering.ORDER._read_after(0, 0, 1000))[-1][:2]
    low = ordering._TAIL.low
    await _write(3)
    served, read = await _both(newest, 100)
    assert served == read and len(read) == 3 and ordering._TAIL.low == low


@pytest.mark.postgres_only
async def test_an_open_transaction_holds_back_what_the_tail_serves(db):
    # PostgreSQL: a transaction that took its txid first but commits last must not be
    # skipped. The tail serves nothing at or above the horizon it holds back, then both
    # transactions' entries, in txid order, once it has finished.
    await _write(2)
    cursor = (await _both((0, 0), 100))[1][-1][:2]
    await _write(2)  # not pulled yet: the tail is behind these
    started, release = asyncio.Event(), asyncio.Event()

    async def slow() -> None:
        async with write_transaction():
            await record_change("products", uuid4(), "put")
            started.set()
            await release.wait()

    task = asyncio.create_task(slow())
    try:
        await started.wait()
        await _write(3)  # later txids, committed before the slow one
        committed = await ordering.ORDER._read_after(cursor[0], cursor[1], 100, 2**62)
        assert len(committed) == 5  # in the log; the later three are not below the horizon
        served, read = await _both(cursor, 100)
        assert served == read and len(served) == 2  # the two before the horizon only
    finally:
        release.set()
        await task
    served, read = await _both(cursor, 100)
    assert served == read and len(served) == 6
    assert served[2][0] < served[3][0]  # the slow transaction's entry comes before the later


@pytest.mark.postgres_only
async def test_the_view_reads_along_what_the_tail_lacks(db, monkeypatch):
    # PostgreSQL: the statement that reads the horizon also reads the new entries below it
    # into the tail, so a poll after writes needs no second round trip; what is served is
    # still what the log holds, field by field.
    await _write(4)
    await _both((0, 0), 100)  # the tail exists
    await _write(5, per_tx=2)
    view = await _view()

    async def no_read(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the tail read the log although the view had read along")

    with monkeypatch.context() as patched:
        patched.setattr(ordering._Tail, "_read", staticmethod(no_read))
        served = await _serve(view, (0, 0), 100)
    assert served == await ordering.ORDER._read_after(0, 0, 100)
    assert len(served) == 14

    # A read along that hit its row limit is completed from the log.
    monkeypatch.setattr(ordering._Tail, "FILL", 3)
    await _write(8)
    newest = _positions(served)[-1][:2]
    served, read = await _both(newest, 100)
    assert served == read and len(read) == 8


@pytest.mark.postgres_only
async def test_what_a_view_read_along_is_dropped_if_the_tail_restarted_meanwhile(db):
    # A view's statement is held up (here by a lock) while other pulls restart the tail: a
    # pull after a restore (another epoch), then a slow pull whose view was read before
    # any of these writes, which restarts it at the start, behind where the held view read
    # from. Appending what that view read would leave a gap.
    early = await _view()
    await _write(3)
    await _both((0, 0), 100)  # the tail holds the three
    await _write(2)
    locked, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with current_engine().transaction():
            await SyncChange.raw("LOCK TABLE sync_state IN ACCESS EXCLUSIVE MODE")
            locked.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await locked.wait()
    reading = asyncio.create_task(ordering.ORDER.view())
    for _ in range(500):  # until its statement waits for the lock
        waiting = await SyncChange.raw(
            "SELECT count(*) AS n FROM pg_locks "
            "WHERE NOT granted AND relation = 'sync_state'::regclass"
        )
        if waiting[0]["n"]:
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the view never waited for the lock")
    await ordering.ORDER.after(0, 0, 10, early.horizon, "another epoch", early.bound)
    assert await _serve(early, (0, 0), 10) == []  # nothing below its old bound
    release.set()
    await holder
    assert (await reading) is not None
    served, read = await _both((0, 0), 100)
    assert served == read and len(read) == 5
