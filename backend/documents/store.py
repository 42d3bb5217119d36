"""Writing a priced document: its lines, and the sync change plus history entry of a write.

Each write of an order or a quote (made, edited, moved on, approved) records one change for
the devices that sync it and one entry in the customer's history; ``record_write`` is that
step, so the two always go together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from piccolo.columns import ForeignKey
from piccolo.table import Table

from backend.documents.pricing import line_snapshot
from backend.history.recorder import record_event
from backend.quotes.pricing import PricedDocument
from sync.changelog import record_change


async def store_lines(
    parent: ForeignKey, document_id: UUID, priced: PricedDocument, *, replace: bool
) -> None:
    """Insert the priced lines (each a line_snapshot) under the document; with replace, the
    document's old lines go first. ``parent`` is the line table's key to the document."""
    table: type[Table] = parent._meta.table
    if replace:
        await table.delete().where(parent == document_id)
    rows: list[dict[str, Any]] = [
        {"id": str(uuid4()), "position": i, parent._meta.name: document_id, **line_snapshot(line)}
        for i, line in enumerate(priced.lines)
    ]
    await table.insert(*[table(**row) for row in rows])


async def record_write(
    stream: str,
    document_id: UUID,
    customer_id: UUID,
    kind: str,
    *,
    actor_id: UUID,
    summary: str,
    data: dict[str, Any],
    captured_at: datetime | None = None,
) -> None:
    """One sync change ("put" on ``stream``) and one history entry of ``kind``."""
    await record_change(stream, document_id, "put", customer_id=customer_id)
    await record_event(
        customer_id,
        kind,
        ref_id=document_id,
        actor_id=actor_id,
        summary=summary,
        data=data,
        captured_at=captured_at,
    )
