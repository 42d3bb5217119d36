"""The `history` sync collection: the REST read rule; devices add notes, nothing else."""

from __future__ import annotations

from typing import Any

from backend.history import repository as repo
from backend.history import service
from backend.history.schemas import NoteCreate
from backend.history.tables import HistoryEvent
from backend.orders.reorder import request_reorder  # the orders area owns the request
from backend.principal import Principal
from sync.appliers import Applied, NotSupported, convert, created, row_of, uuid_field
from sync.collections import Collection
from sync.schemas import Mutation


async def _condition(principal: Principal) -> Any | None:
    return service.readable_history_condition(principal)


async def _wire(rows: list[dict[str, Any]], principal: Principal) -> list[Any]:
    actors = await repo.actors_of_events([r["id"] for r in rows if r["actor"] is not None])
    return [
        service.localised(
            repo.to_entry_read(
                {
                    **r,
                    "actor_name": actors.get(r["id"], (None, None))[0],
                    "actor_role": actors.get(r["id"], (None, None))[1],
                }
            ),
            principal.locale,
        )
        for r in rows
    ]


async def apply_note(principal: Principal, m: Mutation) -> Applied:
    """A device adds notes (kind "note") and a customer's requests to order a past order again
    (kind "reorder_request" with ``order_id``); the timeline is never edited or deleted."""
    if m.op != "create":
        raise NotSupported("History entries are never changed or deleted.")
    fields = dict(m.fields)
    kind = fields.pop("kind", "note")
    if kind == "reorder_request":
        order_id = uuid_field(fields.pop("order_id", None), "order_id")
        await created(
            "history",
            m.id,
            request_reorder(principal, order_id, event_id=m.id, captured_at=m.captured_at),
        )
        row = await row_of("history", m.id)
        return Applied(row["version"] if row else None)
    if kind != "note":
        raise NotSupported(f"Devices add notes and reorder requests only, not {kind!r} entries.")
    customer_id = uuid_field(fields.pop("customer_id", None), "customer_id")
    data = convert(fields, NoteCreate, id=str(m.id), captured_at=m.captured_at)
    await created("history", m.id, service.add_note(principal, customer_id, data))
    row = await row_of("history", m.id)
    return Applied(row["version"] if row else None)


HISTORY = Collection(
    "history", HistoryEvent, _condition, _wire, apply=apply_note, via=HistoryEvent.customer
)
