"""Wire contract of the customer history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

NoteText = Annotated[str, Meta(min_length=1, max_length=5000)]
DeviceTime = Annotated[datetime, Meta(tz=True, description="the device's clock, with offset")]
Kind = Annotated[str, Meta(pattern=r"^[a-z_]{1,40}$")]


ActorRole = Literal["rep", "manager", "admin", "distributor", "customer", "system"]


class Actor(msgspec.Struct, kw_only=True):
    """Who did it: a user (id, name, role) or the system (id and name null)."""

    id: UUID | None
    name: str | None
    role: ActorRole


class HistoryEntryRead(msgspec.Struct, kw_only=True):
    id: UUID
    customer_id: UUID
    kind: str
    ref_id: UUID | None
    actor_id: UUID | None
    actor_name: str | None
    actor: Actor
    summary: str
    data: dict[str, Any]
    # When it happened on the device (may be long before it reached us), and when it arrived.
    captured_at: datetime | None
    recorded_at: datetime


class NoteCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    text: NoteText
    captured_at: DeviceTime | None = None
