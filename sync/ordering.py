"""Reading the change log in commit order: the horizon and the entries after a position.

`CommitOrder` is the real one (see sync/changelog.py). `SequenceOrder` is a deliberately
naive variant (plain sequence order, no horizon) kept for the concurrency test, to show that
the test catches the classic lost-update-under-concurrent-writers bug.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from backend.db import current_engine, is_sqlite
from sync.tables import SyncChange

# Larger than any txid: SQLite needs no horizon, its writers are serialised.
NO_HORIZON = 2**62
ENTRY_COLUMNS = "seq, txid, collection, row_id, op, customer_id, scope_from, scope_to"
# On SQLite the ids come back as text: the declared-type converter would build a uuid.UUID
# per id, which made reading 500 entries cost three times as much (pull only needs text).
_SQLITE_ENTRY_COLUMNS = (
    "seq, txid, collection, CAST(row_id AS TEXT) AS row_id, op, "
    "CAST(customer_id AS TEXT) AS customer_id, scope_from, scope_to"
)


def _entry_columns() -> str:
    return _SQLITE_ENTRY_COLUMNS if is_sqlite() else ENTRY_COLUMNS


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


class CommitOrder:
    """Entries served in (txid, seq) order, only below the horizon of finished transactions."""

    async def view(self) -> View | None:
        """The engine state and the stream's bounds at once; None before the state exists."""
        if is_sqlite():
            rows = await SyncChange.raw(
                "SELECT epoch, purged_txid, purged_seq, "
                "COALESCE((SELECT MAX(txid) FROM sync_change), 0) AS top_txid, "
                "COALESCE((SELECT MAX(seq) FROM sync_change), 0) AS top_seq "
                "FROM sync_state WHERE id = 1"
            )
        else:
            rows = await SyncChange.raw(
                "SELECT epoch, purged_txid, purged_seq, "
                "pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon, "
                "pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS newest "
                "FROM sync_state WHERE id = 1"
            )
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
        top: tuple[int, int] | None = None,
    ) -> list[dict[str, Any]]:
        """Entries after (txid, seq); an older horizon is safe to pass (it only grows).

        On SQLite, given the database's `epoch` and `top` (a View's top_txid and top_seq:
        the newest position when the view was read), the entries come from the in-memory
        tail when it covers them, up to `top`."""
        if epoch is not None and top is not None and is_sqlite():
            return await _TAIL.after(self, epoch, txid, seq, limit, top)
        return await self._read_after(txid, seq, limit, horizon)

    async def _read_after(
        self, txid: int, seq: int, limit: int, horizon: int | None = None
    ) -> list[dict[str, Any]]:
        if horizon is None:
            horizon = await self.horizon()
        rows = await SyncChange.raw(
            f"SELECT {_entry_columns()} FROM sync_change "
            "WHERE (txid > {} OR (txid = {} AND seq > {})) AND txid < {} "
            "ORDER BY txid, seq LIMIT {}",
            txid,
            txid,
            seq,
            horizon,
            limit,
        )
        return [_entry(r) for r in rows]


@dataclass
class _Tail:
    """SQLite only: the newest change-log entries, kept in memory for the polling devices.

    Two hundred devices polling every few seconds each read the same few hundred newest
    entries; reading and decoding them was most of an empty pull's cost. SQLite writers are
    serialised and take their position inside the write, so entries commit in position order
    and the log is append-only above the purge horizon: whatever this snapshot shows up to
    its top position is final, and the tail only ever grows at its end. Each read is given
    the top position its pull's View read, appends what the tail lacks, and serves positions
    up to that top only: every entry up to it was committed when the top was read, so a pull
    never sees an entry its own reads may not show.
    Keyed by database file and epoch: a re-created database starts a new tail, and a log
    that went backwards resets it. The tail lives in the process, so restoring a backup
    (done with the server stopped) starts with none.
    """

    MAX_ENTRIES = 20_000
    key: tuple[str, str] | None = None
    positions: list[tuple[int, int]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    low: tuple[int, int] = (0, 0)  # the tail holds every entry after `low` up to its last

    def _reset(self, key: tuple[str, str], low: tuple[int, int] = (0, 0)) -> None:
        self.key, self.positions, self.entries, self.low = key, [], [], low

    def _last(self) -> tuple[int, int]:
        return self.positions[-1] if self.positions else self.low

    async def after(
        self,
        order: CommitOrder,
        epoch: str,
        txid: int,
        seq: int,
        limit: int,
        top: tuple[int, int],
    ) -> list[dict[str, Any]]:
        key = (str(getattr(current_engine(), "path", "")), epoch)
        if key != self.key:
            self._reset(key)
        start = (txid, seq)
        if top < self._last():  # the log went backwards (a restore): start again
            self._reset(key)

        def upto_top(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [r for r in found if (r["txid"], r["seq"]) <= top]

        # seq grows with the position on SQLite, so a seq difference bounds an entry count.
        if start < self.low or top[1] - self._last()[1] > self.MAX_ENTRIES:
            if top[1] - seq > self.MAX_ENTRIES:  # far behind: read the log as before
                return upto_top(await order._read_after(txid, seq, limit))
            self._reset(key, start)
        while self._last() < top:
            last = self._last()
            found = upto_top(await order._read_after(last[0], last[1], 2000))
            if not found:
                break
            self._append(found)
        if start < self.low:  # trimmed away while catching up
            return upto_top(await order._read_after(txid, seq, limit))
        begin = bisect_right(self.positions, start)
        end = bisect_right(self.positions, top)
        return self.entries[begin : min(end, begin + limit)]

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
        top: tuple[int, int] | None = None,
    ) -> list[dict[str, Any]]:
        rows = await SyncChange.raw(
            f"SELECT {_entry_columns()} FROM sync_change WHERE seq > {{}} ORDER BY seq LIMIT {{}}",
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
