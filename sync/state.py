"""The sync engine's own state: the database epoch, the purge horizon, and the purge job.

The epoch is a random id made the first time the engine runs against a database, so a
cursor issued by another database (or by this one before it was re-created) is refused.
The purge horizon is the last change-log position deleted by `purge_tombstones`: a cursor
at or behind it can no longer be served, and the device is told to reset.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog

from backend.db import all_tables, write_transaction
from backend.settings import get_settings
from sync.tables import SyncChange, SyncState

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class EngineState:
    epoch: str
    purged_txid: int
    purged_seq: int


async def ensure_state() -> None:
    """Create the state row (with a fresh epoch) if this database has none yet."""
    await SyncState.raw(
        "INSERT INTO sync_state (id, epoch, purged_txid, purged_seq, next_code) "
        "VALUES (1, {}, 0, 0, 1) ON CONFLICT (id) DO NOTHING",
        secrets.token_hex(16),
    )


async def load_state() -> EngineState:
    rows = await SyncState.raw("SELECT epoch, purged_txid, purged_seq FROM sync_state WHERE id = 1")
    if not rows:
        await ensure_state()
        rows = await SyncState.raw(
            "SELECT epoch, purged_txid, purged_seq FROM sync_state WHERE id = 1"
        )
    r = rows[0]
    return EngineState(str(r["epoch"]), int(r["purged_txid"]), int(r["purged_seq"]))


async def next_client_code() -> int:
    """A new short number for an installed app; runs inside the registering transaction."""
    await ensure_state()
    rows = await SyncState.raw(
        "UPDATE sync_state SET next_code = next_code + 1 WHERE id = 1 RETURNING next_code"
    )
    return int(rows[0]["next_code"]) - 1


def _synced_tables() -> list[Any]:
    return [t for t in all_tables() if "deleted_at" in {c._meta.name for c in t._meta.columns}]


async def purge_tombstones(now: datetime, days: int | None = None) -> dict[str, int]:
    """Delete change-log entries and soft-deleted rows older than the tombstone horizon.

    Remembers the newest purged position, so cursors behind it answer `reset`. Soft-deleted
    rows that other rows still reference are kept (their delete already reached devices).
    """
    days = days if days is not None else get_settings().tombstone_days
    cutoff = now - timedelta(days=days)
    counts: dict[str, int] = {}
    async with write_transaction():
        await ensure_state()
        newest = await SyncChange.raw(
            "SELECT txid, seq FROM sync_change WHERE changed_at < {} "
            "ORDER BY txid DESC, seq DESC LIMIT 1",
            cutoff,
        )
        if newest:
            t, s = int(newest[0]["txid"]), int(newest[0]["seq"])
            # Everything up to that position goes, so the horizon is one clean position.
            gone = await SyncChange.raw(
                "DELETE FROM sync_change WHERE txid < {} OR (txid = {} AND seq <= {}) "
                "RETURNING seq",
                t,
                t,
                s,
            )
            counts["sync_change"] = len(gone)
            await SyncState.raw(
                "UPDATE sync_state SET purged_txid = {}, purged_seq = {} WHERE id = 1 "
                "AND (purged_txid < {} OR (purged_txid = {} AND purged_seq < {}))",
                t,
                s,
                t,
                t,
                s,
            )
    # Children first: a parent whose children are gone can go too.
    for table in reversed(_synced_tables()):
        name = table._meta.tablename
        try:
            async with write_transaction():
                if name == "sales_order":
                    await table.raw(
                        'DELETE FROM sales_order_line WHERE "order" IN '
                        "(SELECT id FROM sales_order WHERE deleted_at < {})",
                        cutoff,
                    )
                deleted = await table.raw(
                    f"DELETE FROM {name} WHERE deleted_at < {{}} RETURNING id", cutoff
                )
            counts[name] = len(deleted)
        except Exception as exc:  # still referenced: keep the tombstone row
            log.info("sync.purge_kept", table=name, error=type(exc).__name__)
    log.info("sync.purged", cutoff=cutoff.isoformat(), **counts)
    return counts
