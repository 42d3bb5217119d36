"""Bulk writes for the demo: insert what is missing, in large statements, and log the changes."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from piccolo.table import Table

from backend.db import current_engine, is_sqlite
from sync.changelog import MERGED, record_change
from sync.tables import SyncChange

T = TypeVar("T")
# Both engines accept 32k bound parameters per statement; stay well below.
MAX_PARAMS = 30_000


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


Row = dict[str, Any]
_DEFAULTS: dict[type[Table], Row] = {}


def _default(column: Any) -> Any:
    value = column.get_default_value()
    # Piccolo's Default objects (e.g. TimestamptzNow) compute their Python value on demand.
    return value.python() if hasattr(value, "python") else value


def make(table: type[Table], **values: Any) -> Row:
    """A row of a table as a dict of every column: the given values over the defaults.

    Plain dicts rather than Piccolo objects: building tens of thousands of those costs more
    than writing them.
    """
    defaults = _DEFAULTS.get(table)
    if defaults is None:
        defaults = {
            c._meta.db_column_name: _default(c)
            for c in table._meta.columns
            if not c._meta.primary_key or c._meta.name == "id"
        }
        _DEFAULTS[table] = defaults
    row = dict(defaults)
    row.update(values)
    return row


def _sqlite_value(value: Any) -> Any:
    # Piccolo registers sqlite3 adapters for UUID, Decimal and datetime; JSON is ours to encode.
    return json.dumps(value) if isinstance(value, dict | list) else value


def _pg_value(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


async def insert_missing(table: type[Table], rows: Sequence[Row]) -> list[Row]:
    """Insert the rows whose id is not stored yet; return those inserted.

    Skipping present rows is what makes the demo safe to load twice. Must run inside a
    write transaction: rows go straight to the driver on its connection (executemany on
    SQLite, COPY on PostgreSQL).
    """
    if not rows:
        return []
    existing: set[str] = set()
    pk = table._meta.primary_key
    for part in chunks([r["id"] for r in rows], 5_000):
        found = await table.select(pk).where(pk.is_in(list(part)))
        existing.update(str(r["id"]) for r in found)
    new = [r for r in rows if str(r["id"]) not in existing]
    if not new:
        return []
    transaction = current_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError("insert_missing must run inside a write transaction")
    columns = list(new[0])
    name = table._meta.tablename
    if is_sqlite():
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        sql = f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})'
        await transaction.connection.executemany(
            sql, [tuple(_sqlite_value(r[c]) for c in columns) for r in new]
        )
    else:
        await transaction.connection.copy_records_to_table(
            name, columns=columns, records=[tuple(_pg_value(r[c]) for c in columns) for r in new]
        )
    return new


async def record_changes(
    collection: str, rows: Sequence[tuple[UUID, UUID | None]], *, users: bool = False
) -> None:
    """Log a put per (row id, customer id), as record_change would, but many rows at a time.

    The first row goes through record_change itself, so the transaction's txid is set up
    exactly as the change log wants it; the rest reuse that txid (SQLite) or the same
    pg_current_xact_id() (PostgreSQL) in multi-row INSERTs. Collections merged field by
    field also need their field versions noted, so they go row by row.
    """
    if not rows:
        return
    if users or collection in MERGED:
        for row_id, customer_id in rows:
            if users:
                await record_change(collection, row_id, "put", user_id=row_id)
            else:
                await record_change(collection, row_id, "put", customer_id=customer_id)
        return
    first, rest = rows[0], rows[1:]
    await record_change(collection, first[0], "put", customer_id=first[1])
    if not rest:
        return
    if is_sqlite():
        last = await SyncChange.raw("SELECT txid FROM sync_change ORDER BY seq DESC LIMIT 1")
        txid = str(int(last[0]["txid"]))
        one = f"({txid}, {{}}, {{}}, 'put', {{}}, {{}})"
    else:
        one = "(pg_current_xact_id()::text::bigint, {}, {}::uuid, 'put', {}::uuid, {})"
    now = datetime.now(UTC)
    for part in chunks(rest, 2_000):
        args: list[Any] = []
        for row_id, customer_id in part:
            args += [collection, str(row_id), str(customer_id) if customer_id else None, now]
        await SyncChange.raw(
            "INSERT INTO sync_change (txid, collection, row_id, op, customer_id, changed_at) "
            "VALUES " + ", ".join([one] * len(part)),
            *args,
        )
