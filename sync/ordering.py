"""Reading the change log in commit order: the horizon and the entries after a position.

`CommitOrder` is the real one (see sync/changelog.py). `SequenceOrder` is a deliberately
naive variant (plain sequence order, no horizon) kept for the concurrency test, to show that
the test catches the classic lost-update-under-concurrent-writers bug.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

import msgspec

from backend.db import current_engine, is_sqlite
from sync.tables import SyncChange

# Larger than any txid: SQLite needs no horizon, its writers are serialised.
NO_HORIZON = 2**62
# The ids come back as text on both engines: building a uuid.UUID per id made reading 500
# entries cost three times as much on SQLite (its declared-type converter) and half again
# on PostgreSQL (asyncpg's decoder); a pull only needs them as text.
ENTRY_COLUMNS = (
    "seq, txid, collection, CAST(row_id AS TEXT) AS row_id, op, "
    "CAST(customer_id AS TEXT) AS customer_id, scope_from, scope_to"
)


def _scope(value: Any) -> dict[str, Any] | None:
    if value is None or isinstance(value, dict):
        return value
    return json.loads(value)


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    row["scope_from"] = _scope(row["scope_from"])
    row["scope_to"] = _scope(row["scope_to"])
    return row


@dataclass(frozen=True)
class View:
    """What a pull needs to know before reading entries, read in one query (one round trip)."""

    epoch: str
    purged_txid: int
    purged_seq: int
    # Entries with txid below this are final; no cursor may point beyond `newest`.
    horizon: int
    newest: int
    # SQLite only: the newest entry's position (writers are serialised, so it is the last
    # one; (0, 0) for an empty log).
    top_seq: int | None = None
    top_txid: int | None = None

    @property
    def bound(self) -> tuple[int, int]:
        """The position (exclusive) below which every entry was final when this was read:
        (newest txid, newest seq + 1) on SQLite, (horizon, 0) on PostgreSQL."""
        if self.top_txid is not None:
            return self.top_txid, (self.top_seq or 0) + 1
        return self.horizon, 0


class CommitOrder:
    """Entries served in (txid, seq) order, only below the horizon of finished transactions."""

    async def view(self) -> View | None:
        """The engine state and the stream's bounds at once; None before the state exists.

        On PostgreSQL the same statement also reads the entries the in-memory tail lacks
        below the horizon it reads and hands them to the tail: a poll after new writes
        needs no second round trip to fill it. Entries below the statement's own snapshot
        xmin are all visible to that statement, so what it reads is complete up to there."""
        if is_sqlite():
            rows = await SyncChange.raw(
                "SELECT epoch, purged_txid, purged_seq, "
                "COALESCE((SELECT MAX(txid) FROM sync_change), 0) AS top_txid, "
                "COALESCE((SELECT MAX(seq) FROM sync_change), 0) AS top_seq "
                "FROM sync_state WHERE id = 1"
            )
        else:
            engine = _engine_key(current_engine())
            generation, since = _TAIL.generation, _TAIL.last_for(engine)
            at = since or (NO_HORIZON, 0)  # no tail for this database yet: read none
            rows = await SyncChange.raw(_PG_VIEW, at[0], at[0], at[1], _Tail.FILL)
            if rows and since is not None:
                found = [_entry(e) for e in msgspec.json.decode(rows[0]["fresh"] or "[]")]
                _TAIL.take(generation, found, (int(rows[0]["horizon"]), 0))
        if not rows:
            return None
        r = rows[0]
        sqlite = is_sqlite()
        return View(
            epoch=str(r["epoch"]),
            purged_txid=int(r["purged_txid"]),
            purged_seq=int(r["purged_seq"]),
            horizon=NO_HORIZON if sqlite else int(r["horizon"]),
            newest=max(int(r["top_txid"]), int(r["purged_txid"])) if sqlite else int(r["newest"]),
            top_seq=int(r["top_seq"]) if sqlite else None,
            top_txid=int(r["top_txid"]) if sqlite else None,
        )

    def nothing_after(self, view: View, txid: int, seq: int) -> bool:
        """True when no entry can follow (txid, seq): the empty pull needs no further query."""
        return view.top_seq is not None and txid >= view.newest and seq >= view.top_seq

    async def horizon(self) -> int:
        """Every entry with txid below this is committed (or never will be)."""
        if is_sqlite():
            return NO_HORIZON
        rows = await SyncChange.raw(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS h"
        )
        return int(rows[0]["h"])

    async def start(self) -> tuple[int, int]:
        """A position covering every entry that is already final: where a snapshot starts."""
        if is_sqlite():
            rows = await SyncChange.raw(
                "SELECT MAX(COALESCE((SELECT MAX(txid) FROM sync_change), 0), "
                "COALESCE((SELECT purged_txid FROM sync_state WHERE id = 1), 0)) AS t"
            )
            return int(rows[0]["t"]), NO_HORIZON
        return await self.horizon() - 1, NO_HORIZON

    async def newest(self) -> int:
        """No cursor may point beyond this txid (else it comes from before a restore)."""
        if is_sqlite():
            return (await self.start())[0]
        rows = await SyncChange.raw(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS x"
        )
        return int(rows[0]["x"])

    async def after(
        self,
        txid: int,
        seq: int,
        limit: int,
        horizon: int | None = None,
        epoch: str | None = None,
        bound: tuple[int, int] | None = None,
    ) -> list[dict[str, Any]]:
        """Entries after (txid, seq); an older horizon is safe to pass (it only grows).

        Given the database's `epoch` and the `bound` its pull's View read (`View.bound`),
        the entries come from the in-memory tail (`_Tail`), up to that bound."""
        if epoch is not None and bound is not None:
            return await _TAIL.after(self, epoch, (txid, seq), limit, bound)
        return await self._read_after(txid, seq, limit, horizon)

    async def _read_after(
        self, txid: int, seq: int, limit: int, horizon: int | None = None
    ) -> list[dict[str, Any]]:
        if horizon is None:
            horizon = await self.horizon()
        rows = await SyncChange.raw(
            _READ_AFTER,
            txid,
            txid,
            seq,
            horizon,
            limit,
        )
        return [_entry(r) for r in rows]


@dataclass
class _Tail:
    """The newest change-log entries, kept in memory for the polling devices.

    Two hundred devices polling every few seconds each read the same few hundred newest
    entries; reading and decoding them was most of an empty pull's cost. Entries below a
    pull's bound are final: on PostgreSQL every transaction below the horizon has finished
    (a later one gets a larger txid), on SQLite writers are serialised and the bound is the
    newest position the pull's View read. So the log is append-only above the purge
    horizon as far as any bound reaches, and the tail holds every entry after `low` and
    before `upto` (positions, exclusive), growing at its end only.

    A pull gives its bound (`View.bound`: (horizon, 0) or (top txid, top seq + 1)).
    The tail appends what it lacks below the bound (the few entries since the last pull;
    on PostgreSQL the View has read up to `FILL` of them along already, `take`) and serves
    the pull's entries below its bound only: a pull never sees an entry its own reads may
    not show. A cursor behind the tail reads the log; a cursor far ahead of it
    (the tail went stale, no device polled for a while) restarts the tail there, so a fill
    never reads a long history that no device needs any more.
    Keyed by database and epoch: a re-created database starts a new tail. The tail lives in
    the process, so restoring a backup (done with the server stopped) starts with none.
    """

    MAX_ENTRIES = 20_000
    # Entries read per fill.
    FILL = 2000
    # A cursor this many transaction ids ahead of the tail restarts it.
    STALE_TXIDS = 1_000
    key: tuple[str, str] | None = None
    positions: list[tuple[int, int]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    low: tuple[int, int] = (0, 0)
    upto: tuple[int, int] = (0, 0)
    # Bumped by every reset: a fill that started before one must not append.
    generation: int = 0

    def _reset(self, key: tuple[str, str], at: tuple[int, int]) -> None:
        self.key, self.positions, self.entries = key, [], []
        self.low = self.upto = at
        self.generation += 1

    def _last(self) -> tuple[int, int]:
        return self.positions[-1] if self.positions else self.low

    def last_for(self, engine: str) -> tuple[int, int] | None:
        """Where a fill for this database (`_engine_key`) starts (after the tail's last
        entry); None when the tail holds another database's entries or none yet."""
        if self.key is None or self.key[0] != engine:
            return None
        return self._last()

    def take(self, generation: int, found: list[dict[str, Any]], bound: tuple[int, int]) -> None:
        """Entries read from the tail's end at `generation` up to `bound` (at most `FILL`).

        Unused if the tail restarted meanwhile (it may now end before where they start: a
        gap). Otherwise it only grew at its end since, so they cover from its end now, and
        what it already holds is skipped by position. (Read under another epoch they land
        in a tail that the first pull of that epoch restarts, before it serves any.)"""
        if generation != self.generation:
            return
        self._append(found)
        if len(found) < self.FILL:
            self.upto = max(self.upto, bound)

    async def after(
        self,
        order: CommitOrder,
        epoch: str,
        start: tuple[int, int],
        limit: int,
        bound: tuple[int, int],
    ) -> list[dict[str, Any]]:
        key = (_engine_key(current_engine()), epoch)
        # Far ahead: the tail went stale. A little ahead (a device that just bootstrapped,
        # its cursor a few transactions past the last fill) only fills the gap.
        if key != self.key or start[0] - self.upto[0] > self.STALE_TXIDS:
            self._reset(key, start)
        if start < self.low:  # behind the tail: read the log
            return await self._read(order, start, limit, bound)
        while self.upto < bound:
            generation = self.generation
            found = await self._read(order, self._last(), self.FILL, bound)
            if generation != self.generation:  # reset meanwhile: read the log instead
                return await self._read(order, start, limit, bound)
            self.take(generation, found, bound)
        if start < self.low:  # trimmed away while catching up
            return await self._read(order, start, limit, bound)
        begin = bisect_right(self.positions, start)
        end = bisect_left(self.positions, bound)
        return self.entries[begin : min(end, begin + limit)]

    @staticmethod
    async def _read(
        order: CommitOrder, start: tuple[int, int], limit: int, bound: tuple[int, int]
    ) -> list[dict[str, Any]]:
        """Entries after `start` and before `bound`, from the log."""
        found = await order._read_after(start[0], start[1], limit, bound[0] + (bound[1] > 0))
        return [r for r in found if (r["txid"], r["seq"]) < bound]

    def _append(self, rows: list[dict[str, Any]]) -> None:
        last = self._last()
        for r in rows:
            position = (int(r["txid"]), int(r["seq"]))
            if position > last:  # another pull may have appended the same entries already
                self.positions.append(position)
                self.entries.append(r)
                last = position
        extra = len(self.entries) - self.MAX_ENTRIES
        if extra > 0:
            self.low = self.positions[extra - 1]
            del self.positions[:extra], self.entries[:extra]


_TAIL = _Tail()


def _engine_key(engine: Any) -> str:
    return str(getattr(engine, "path", None) or getattr(engine, "config", ""))


# Entries after a position below a horizon: (txid, txid, seq, [horizon,] limit).
_AFTER = (
    f"SELECT {ENTRY_COLUMNS} FROM sync_change "
    "WHERE (txid > {{}} OR (txid = {{}} AND seq > {{}})) AND txid < {horizon} "
    "ORDER BY txid, seq LIMIT {{}}"
)
_READ_AFTER = _AFTER.format(horizon="{}")
# The View on PostgreSQL, with the entries after the tail's last one below the horizon.
_PG_VIEW = (
    "SELECT s.epoch, s.purged_txid, s.purged_seq, v.horizon, v.newest, "
    f"(SELECT json_agg(e)::text FROM ({_AFTER.format(horizon='v.horizon')}) e) AS fresh "
    "FROM sync_state s, (SELECT "
    "pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon, "
    "pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS newest) v "
    "WHERE s.id = 1"
)


class SequenceOrder(CommitOrder):
    """Test-only: entries in plain sequence order with no horizon. Loses changes."""

    async def start(self) -> tuple[int, int]:
        rows = await SyncChange.raw("SELECT COALESCE(MAX(seq), 0) AS s FROM sync_change")
        return 0, int(rows[0]["s"])

    async def newest(self) -> int:
        return NO_HORIZON

    async def view(self) -> View | None:
        found = await super().view()
        if found is None:
            return None
        return View(found.epoch, found.purged_txid, found.purged_seq, NO_HORIZON, NO_HORIZON)

    def nothing_after(self, view: View, txid: int, seq: int) -> bool:
        return False

    async def after(
        self,
        txid: int,
        seq: int,
        limit: int,
        horizon: int | None = None,
        epoch: str | None = None,
        bound: tuple[int, int] | None = None,
    ) -> list[dict[str, Any]]:
        rows = await SyncChange.raw(
            f"SELECT {ENTRY_COLUMNS} FROM sync_change WHERE seq > {{}} ORDER BY seq LIMIT {{}}",
            seq,
            limit,
        )
        # Positions become (0, seq), so the cursor is a bare sequence number.
        return [{**_entry(r), "txid": 0} for r in rows]


ORDER: CommitOrder = CommitOrder()


def use_order(order: CommitOrder) -> CommitOrder:
    """Swap the ordering (tests only); returns the previous one."""
    global ORDER
    previous, ORDER = ORDER, order
    return previous
