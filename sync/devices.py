"""Device health: what each sync client last reported (version, pending) and when it synced.

Push and pull note the report on the client's row; `clients_of` reads the rows back for the
devices screen, with how many change-log entries were committed after each device's cursor.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from backend.db import is_sqlite
from sync.tables import SyncClient


def _report(app_version: str | None, pending: int | None) -> dict[Any, Any]:
    values: dict[Any, Any] = {}
    if app_version:
        values[SyncClient.app_version] = app_version[:40]
    if pending is not None:
        values[SyncClient.pending] = pending
    return values


async def note_push(client_id: UUID, app_version: str | None, pending: int | None) -> None:
    """A push arrived from this client: its time and what it reported."""
    values = _report(app_version, pending)
    values[SyncClient.last_push_at] = datetime.now(UTC)
    values[SyncClient.last_seen_at] = values[SyncClient.last_push_at]
    await SyncClient.update(values).where(SyncClient.client_id == client_id)


async def note_pull(
    client_id: UUID,
    user_id: UUID,
    position: tuple[int, int] | None,
    app_version: str | None,
    pending: int | None,
) -> int | None:
    """A pull was answered: its time, the cursor's position and what the client reported, in
    one statement that also reads the client's code. None when the client is not this
    user's (or not registered): nothing is noted then."""
    values = _report(app_version, pending)
    values[SyncClient.last_pull_at] = datetime.now(UTC)
    values[SyncClient.last_seen_at] = values[SyncClient.last_pull_at]
    if position is not None:
        values[SyncClient.pulled_txid], values[SyncClient.pulled_seq] = position
    rows = (
        await SyncClient.update(values)
        .where((SyncClient.client_id == client_id) & (SyncClient.user == user_id))
        .returning(SyncClient.code)
    )
    return int(rows[0]["code"]) if rows else None


async def is_unknown(client_id: UUID) -> bool:
    """No client has this id yet."""
    return not await SyncClient.exists().where(SyncClient.client_id == client_id)


def _ids_in(column: str) -> str:
    """`column` is one of a list of ids passed as one parameter, on either engine."""
    if is_sqlite():
        return f"{column} IN (SELECT value FROM json_each({{}}))"
    return f"{column} = ANY({{}})"


def _ids_arg(ids: list[UUID]) -> Any:
    return json.dumps([str(i) for i in ids]) if is_sqlite() else ids


async def clients_of(user_ids: list[UUID]) -> list[dict[str, Any]]:
    """The sync clients of these users, each with `behind`: change-log entries committed after
    its last cursor (every scope's: an upper bound on what it still has to pull), None when
    it never pulled."""
    if not user_ids:
        return []
    rows = (
        await SyncClient.select(
            SyncClient.client_id,
            SyncClient.user,
            SyncClient.app_version,
            SyncClient.pending,
            SyncClient.rejected,
            SyncClient.last_mid,
            SyncClient.created_at,
            SyncClient.last_pull_at,
            SyncClient.last_push_at,
        )
        .where(SyncClient.user.is_in(user_ids))
        .order_by(SyncClient.created_at)
    )
    counts = await SyncClient.raw(
        "SELECT CAST(c.client_id AS TEXT) AS client_id, "
        "(SELECT COUNT(*) FROM sync_change s WHERE s.txid > c.pulled_txid "
        " OR (s.txid = c.pulled_txid AND s.seq > c.pulled_seq)) AS behind "
        "FROM sync_client c WHERE c.pulled_txid IS NOT NULL AND " + _ids_in('c."user"'),
        _ids_arg(user_ids),
    )
    behind = {str(r["client_id"]): int(r["behind"]) for r in counts}
    for row in rows:
        row["behind"] = behind.get(str(row["client_id"]))
    return rows
