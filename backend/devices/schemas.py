"""Wire contract of GET /api/devices."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class DeviceUser(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    role: str


class DeviceRead(msgspec.Struct, kw_only=True):
    """One installed app (a sync client) and how its syncing goes."""

    client_id: UUID
    user: DeviceUser
    app_version: str
    created_at: datetime
    last_pull_at: datetime | None
    last_push_at: datetime | None
    # Outbox entries waiting on the device when it last said (None: it never said).
    pending: int | None
    # Its mutations the server answered "rejected".
    rejected: int
    # Change-log entries committed after its last cursor (None: it never pulled).
    behind: int | None
    # Nothing heard from it for more than a day.
    stale: bool
