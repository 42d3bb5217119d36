"""The change log: every synced row's change, recorded inside the transaction that makes it.

Ordering is fixed at commit, never by a clock or a sequence read at insert:

* PostgreSQL: each entry carries the writing transaction's id (`pg_current_xact_id()`).
  A reader only serves entries whose txid is below the oldest transaction still running
  (`pg_snapshot_xmin(pg_current_snapshot())`): every transaction below that horizon has
  finished, and every later transaction gets a larger id, so no entry can ever appear behind
  a cursor. The cursor is (txid, seq); seq (a plain sequence) only orders entries inside
  one transaction. A slow transaction holds the horizon back (readers wait for it) instead of
  being skipped, which is what a bare sequence would do.
* SQLite: writers are serialised (every write transaction is IMMEDIATE), so commit order is
  the order in which transactions start writing. The first change of a transaction takes
  txid = the largest txid so far + 1 (or the purge horizon + 1); later changes of the same
  transaction reuse it, so entries group by transaction on both engines.

Grouping by txid is what keeps pages transaction-consistent (see sync/pull.py). User entries
carry the region the user left and joined (scope_from/scope_to), so a manager's device loses
a user who moved to another region.

A push (sync/push.py) batches: inside `batched()`, entries and first field states are kept in
memory and written by `flush()` as multi-row INSERTs at the end of the push, still inside its
transaction, so they commit with the effects or not at all (one round trip instead of two per
mutation). Entries keep their order (seq follows list order); reads of the log or of field
states made during the push see the pending ones.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import msgspec

from backend.db import current_engine, is_sqlite
from sync.collections import UnknownCollection, is_registered
from sync.tables import SyncChange

Op = Literal["put", "del"]
# (transaction object, its txid): the SQLite txid of the transaction this task is in.
_sqlite_tx: ContextVar[tuple[object, int] | None] = ContextVar("sync_sqlite_tx", default=None)
# Collections merged field by field: their field versions are tracked on every write.
MERGED = ("customers", "contacts")
# Rows per multi-row INSERT: at most 8 parameters a row keeps a statement under 999, the
# parameter limit of SQLite builds older than 3.32.
_CHUNK = 120


@dataclass
class Batch:
    """Change-log entries and first field states of one push, written at its end."""

    changes: list[tuple[Any, list[Any]]] = field(default_factory=list)  # (sqlite txid, args)
    states: dict[tuple[str, UUID], dict[str, list[Any]]] = field(default_factory=dict)
    # Customers' scope rows read during the push (backend.customers.service); a change to a
    # customer drops its row, so a scope check never sees a stale territory or deletion.
    scope_rows: dict[UUID, dict[str, Any]] = field(default_factory=dict)

    def mark(self) -> tuple[int, dict[tuple[str, UUID], dict[str, list[Any]]]]:
        """Where a savepoint starts: rolling back to it forgets what came after."""
        return len(self.changes), dict(self.states)

    def rollback(self, mark: tuple[int, dict[tuple[str, UUID], dict[str, list[Any]]]]) -> None:
        del self.changes[mark[0] :]
        self.states = mark[1]
        self.scope_rows.clear()


_batch: ContextVar[Batch | None] = ContextVar("sync_change_batch", default=None)


def current_batch() -> Batch | None:
    return _batch.get()


@asynccontextmanager
async def batched() -> AsyncIterator[Batch]:
    """Keep this task's changes in memory until `flush` (call it inside the transaction)."""
    batch = Batch()
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)


def _values_sql(sqlite: bool, txid: Any) -> str:
    if sqlite:
        return f"({int(txid)}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}})"
    return (
        "(pg_current_xact_id()::text::bigint, {}, {}::uuid, {}, {}::uuid, {}::json, {}::json, "
        "{}::uuid, {})"
    )


_INSERT = (
    "INSERT INTO sync_change (txid, collection, row_id, op, customer_id, scope_from, "
    "scope_to, user_id, changed_at) VALUES "
)


async def flush(batch: Batch) -> None:
    """Write the batch's entries and field states in a few multi-row INSERTs."""
    sqlite = is_sqlite()
    changes, batch.changes = batch.changes, []
    for i in range(0, len(changes), _CHUNK):
        part = changes[i : i + _CHUNK]
        sql = _INSERT + ", ".join(_values_sql(sqlite, txid) for txid, _ in part)
        await SyncChange.raw(sql, *(a for _, args in part for a in args))
    states: list[Any] = list(batch.states.items())
    batch.states = {}
    row = "({}, {}, {})" if sqlite else "({}, {}::uuid, {}::json)"
    for i in range(0, len(states), _CHUNK):
        part = states[i : i + _CHUNK]
        params: list[Any] = []
        for (collection, row_id), state in part:
            params += [collection, str(row_id), msgspec.json.encode(state).decode()]
        await SyncChange.raw(
            "INSERT INTO sync_field_state (collection, row_id, fields) VALUES "
            + ", ".join([row] * len(part)),
            *params,
        )


def _jsonable(scope: dict[str, Any] | None) -> str | None:
    if scope is None:
        return None
    return json.dumps({k: (str(v) if v is not None else None) for k, v in scope.items()})


async def _sqlite_txid(transaction: object) -> int:
    cached = _sqlite_tx.get()
    if cached is not None and cached[0] is transaction:
        return cached[1]
    rows = await SyncChange.raw(
        "SELECT MAX(COALESCE((SELECT MAX(txid) FROM sync_change), 0), "
        "COALESCE((SELECT purged_txid FROM sync_state WHERE id = 1), 0)) + 1 AS t"
    )
    txid = int(rows[0]["t"])
    _sqlite_tx.set((transaction, txid))
    return txid


async def _scope_before(collection: str, row_id: UUID) -> Any:
    """Where a row was as its previous entry recorded it (scope_to), pending ones included."""
    batch = _batch.get()
    pending = [
        args[5]
        for _, args in (batch.changes if batch else [])
        if args[0] == collection and args[1] == str(row_id)
    ]
    if pending:
        was = pending[-1]
    else:
        before = await SyncChange.raw(
            "SELECT scope_to FROM sync_change WHERE collection = {} AND row_id = {} "
            "ORDER BY txid DESC, seq DESC LIMIT 1",
            collection,
            db_uuid(row_id),
        )
        was = before[0]["scope_to"] if before else None
    if isinstance(was, str):
        was = json.loads(was)
    return was


def db_uuid(value: UUID) -> Any:
    return str(value) if is_sqlite() else value


async def record_change(
    collection: str,
    row_id: UUID,
    op: Op = "put",
    *,
    customer_id: UUID | None = None,
    user_id: UUID | None = None,
    scope_from: dict[str, Any] | None = None,
    scope_to: dict[str, Any] | None = None,
    row: dict[str, Any] | None = None,
    track_scope: bool = False,
) -> None:
    """Append one change; must run inside the write transaction of the change itself.

    Call it after the row was written: merged collections read the row back to note which
    fields this version changed, unless `row` gives the whole row as written (a create).
    With `track_scope`, scope_from is taken from the row's previous entry (where it was).
    A collection no area registered is refused: pull could not serve its entries.
    """
    engine = current_engine()
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("record_change must run inside the writing transaction")
    if not is_registered(collection):
        raise UnknownCollection(
            f"No area registered the sync collection {collection!r}: pull would drop the change."
        )
    if track_scope and scope_from is None:
        scope_from = await _scope_before(collection, row_id)
    args = [
        collection,
        str(row_id),
        op,
        str(customer_id) if customer_id else None,
        _jsonable(scope_from),
        _jsonable(scope_to),
        str(user_id) if user_id else None,
        datetime.now(UTC),
    ]
    batch = _batch.get()
    if batch is not None:
        if collection == "customers":
            batch.scope_rows.pop(row_id, None)
        batch.changes.append((await _sqlite_txid(transaction) if is_sqlite() else None, args))
    elif is_sqlite():
        txid = await _sqlite_txid(transaction)
        sql = (
            "INSERT INTO sync_change (txid, collection, row_id, op, customer_id, scope_from, "
            f"scope_to, user_id, changed_at) VALUES ({txid}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, "
            "{}, {})"
        )
    else:
        sql = (
            "INSERT INTO sync_change (txid, collection, row_id, op, customer_id, scope_from, "
            "scope_to, user_id, changed_at) VALUES (pg_current_xact_id()::text::bigint, "
            "{}, {}::uuid, {}, {}::uuid, {}::json, {}::json, {}::uuid, {})"
        )
    if batch is None:
        await SyncChange.raw(sql, *args)
    if collection in MERGED and op == "put":
        from sync.fields import note_field_versions

        await note_field_versions(collection, row_id, row)
