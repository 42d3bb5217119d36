"""Writing history entries: every touch of a customer lands on its timeline.

Call inside the transaction of the thing that happened, so the entry and its cause commit
together (and the change log carries both to devices).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from backend.history.tables import HistoryEvent
from sync.changelog import record_change


async def record_event(
    customer_id: UUID,
    kind: str,
    *,
    ref_id: UUID | None = None,
    actor_id: UUID | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    captured_at: datetime | None = None,
    event_id: UUID | None = None,
) -> UUID:
    """Append one history entry and its change-log row; returns the entry's id."""
    event_id = event_id or uuid4()
    await HistoryEvent.insert(
        HistoryEvent(
            id=event_id,
            customer=customer_id,
            kind=kind,
            ref_id=ref_id,
            actor=actor_id,
            summary=summary[:500],
            data=data or {},
            captured_at=captured_at,
        )
    )
    await record_change("history", event_id, "put", customer_id=customer_id)
    return event_id
