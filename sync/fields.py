"""Per-field versions of merged rows (customers, contacts), noted on every write.

record_change calls `note_field_versions` after the row was written, whichever service
wrote it, so a device's update can be merged against exactly the fields changed since its
base_version. Values are kept as their JSON form, compared to tell which fields changed.
Inside a push, new rows' states wait in the change-log batch (sync/changelog.py) and are
read from there until the push writes them.
"""

from __future__ import annotations

import uuid as _uuid
from typing import Any
from uuid import UUID

import msgspec

from backend.db import is_sqlite
from backend.principal import Principal, Role
from sync.changelog import current_batch, db_uuid
from sync.collections import COLLECTIONS
from sync.tables import SyncFieldState

# (SQLite, PostgreSQL) forms of the statements on a field state.
_SELECT = "SELECT fields FROM sync_field_state WHERE collection = {} AND row_id = {}"
_INSERT = (
    "INSERT INTO sync_field_state (collection, row_id, fields) VALUES ({}, {}, {})",
    "INSERT INTO sync_field_state (collection, row_id, fields) VALUES ({}, {}::uuid, {}::json)",
)
_UPDATE = (
    "UPDATE sync_field_state SET fields = {} WHERE collection = {} AND row_id = {}",
    "UPDATE sync_field_state SET fields = {}::json WHERE collection = {} AND row_id = {}",
)
_SKIP = {"id", "version", "created_at", "updated_at", "next_visit_due_at", "last_visit_at"}


# Field versions are kept of the whole row, internal fields included: read as the system.
SYSTEM = Principal(
    user_id=_uuid.UUID(int=0),
    session_id="",
    role=Role.ADMIN,
    email="",
    name="system",
    region_id=None,
    distributor_id=None,
    customer_id=None,
    territory_ids=frozenset(),
)


async def current_fields(
    collection: str, row_id: UUID, row: dict[str, Any] | None = None
) -> tuple[dict[str, Any], int] | None:
    """The row's wire fields as JSON values and its version, or None when there is no row.

    `row` is the row as just written, when the caller has it whole (a create): no re-read."""
    coll = COLLECTIONS[collection]
    if row is None:
        row = (
            await coll.table.select().where(coll.table.id == row_id).first().output(load_json=True)
        )
    if row is None:
        return None
    wire = msgspec.to_builtins((await coll.to_wire([row], SYSTEM))[0])
    return {k: v for k, v in wire.items() if k not in _SKIP}, int(row["version"])


async def field_state(collection: str, row_id: UUID) -> dict[str, list[Any]]:
    batch = current_batch()
    if batch is not None and (collection, row_id) in batch.states:
        return dict(batch.states[(collection, row_id)])
    # Raw SQL here and below: a Piccolo query costs more CPU to build than this one runs.
    rows = await SyncFieldState.raw(_SELECT, collection, db_uuid(row_id))
    if not rows:
        return {}
    fields = rows[0]["fields"]
    return msgspec.json.decode(fields) if isinstance(fields, str | bytes) else dict(fields)


async def note_field_versions(
    collection: str, row_id: UUID, row: dict[str, Any] | None = None
) -> None:
    now = await current_fields(collection, row_id, row)
    if now is None:
        return
    values, version = now
    batch = current_batch()
    if batch is not None and (version <= 1 or (collection, row_id) in batch.states):
        old = batch.states.get((collection, row_id), {})
        batch.states[(collection, row_id)] = {
            name: (old[name] if name in old and old[name][0] == value else [value, version])
            for name, value in values.items()
        }
        return
    # A row's first version: no state can exist yet, so skip reading it.
    old = {} if version <= 1 else await field_state(collection, row_id)
    merged = {
        name: (old[name] if name in old and old[name][0] == value else [value, version])
        for name, value in values.items()
    }
    engine = 0 if is_sqlite() else 1
    state = msgspec.json.encode(merged).decode()
    if not old:
        await SyncFieldState.raw(_INSERT[engine], collection, str(row_id), state)
    elif merged != old:
        await SyncFieldState.raw(_UPDATE[engine], state, collection, db_uuid(row_id))
