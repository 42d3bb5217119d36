"""Queries over the history: one page newest first, actor names in the same query."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from backend.history.schemas import Actor, HistoryEntryRead
from backend.history.tables import HistoryEvent

ENTRY_COLUMNS = (
    HistoryEvent.id,
    HistoryEvent.customer,
    HistoryEvent.kind,
    HistoryEvent.ref_id,
    HistoryEvent.actor,
    HistoryEvent.actor.name.as_alias("actor_name"),
    HistoryEvent.actor.role.as_alias("actor_role"),
    HistoryEvent.summary,
    HistoryEvent.data,
    HistoryEvent.captured_at,
    HistoryEvent.recorded_at,
)


def _json(value: Any) -> dict[str, Any]:
    """A JSON column's value, whether the query loaded it or left it as text."""
    if isinstance(value, str):
        value = json.loads(value) if value else {}
    return value or {}


def actor_of(actor_id: UUID | None, name: str | None, role: str | None) -> Actor:
    """The actor of an entry: the user who did it, or the system when no user did."""
    if actor_id is None or role is None:
        return Actor(id=None, name=None, role="system")
    return Actor(id=actor_id, name=name, role=role)  # type: ignore[arg-type]


def to_entry_read(row: dict[str, Any]) -> HistoryEntryRead:
    return HistoryEntryRead(
        id=row["id"],
        customer_id=row["customer"],
        kind=row["kind"],
        ref_id=row["ref_id"],
        actor_id=row["actor"],
        actor_name=row["actor_name"],
        actor=actor_of(row["actor"], row["actor_name"], row.get("actor_role")),
        summary=row["summary"],
        data=_json(row["data"]),
        captured_at=row["captured_at"],
        recorded_at=row["recorded_at"],
    )


async def select_page_of_customer(
    customer_id: UUID,
    kinds: list[str],
    before: tuple[datetime, UUID] | None,
    limit: int,
    readable: Any | None = None,
) -> list[HistoryEntryRead]:
    """Entries of one customer older than `before` (recorded_at, id), newest first."""
    condition = (HistoryEvent.customer == customer_id) & HistoryEvent.deleted_at.is_null()
    if readable is not None:
        condition = condition & readable
    if kinds:
        condition = condition & HistoryEvent.kind.is_in(kinds)
    if before is not None:
        at, event_id = before
        condition = condition & (
            (HistoryEvent.recorded_at < at)
            | ((HistoryEvent.recorded_at == at) & (HistoryEvent.id < event_id))
        )
    rows = await (
        HistoryEvent.select(*ENTRY_COLUMNS)
        .where(condition)
        .order_by(HistoryEvent.recorded_at, ascending=False)
        .order_by(HistoryEvent.id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return [to_entry_read(r) for r in rows]


async def get_entry(event_id: UUID) -> HistoryEntryRead | None:
    row = (
        await HistoryEvent.select(*ENTRY_COLUMNS)
        .where(HistoryEvent.id == event_id)
        .output(load_json=True)
        .first()
    )
    return None if row is None else to_entry_read(row)


async def actors_of_events(event_ids: list[UUID]) -> dict[UUID, tuple[str | None, str | None]]:
    """Each event's actor (name, role), by event id (a join through the actor's foreign key)."""
    if not event_ids:
        return {}
    rows = await HistoryEvent.select(
        HistoryEvent.id,
        HistoryEvent.actor.name.as_alias("actor_name"),
        HistoryEvent.actor.role.as_alias("actor_role"),
    ).where(HistoryEvent.id.is_in(event_ids))
    return {r["id"]: (r["actor_name"], r["actor_role"]) for r in rows}
