"""Device sync health: the sync clients of the users a reader may see (visibility.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from backend.accounts import service as accounts
from backend.devices.schemas import DeviceRead, DeviceUser
from backend.principal import Principal
from sync import devices as sync_devices

STALE_AFTER = timedelta(hours=24)


async def list_devices(principal: Principal, now: datetime | None = None) -> list[DeviceRead]:
    """Every device of the users this reader sees, the longest silent first."""
    now = now or datetime.now(UTC)
    users = {u.id: u for u in await accounts.list_users(principal)}
    rows = await sync_devices.clients_of(list(users))
    out = []
    for row in rows:
        user = users[UUID(str(row["user"]))]
        heard = max(
            (t for t in (row["last_pull_at"], row["last_push_at"]) if t is not None),
            default=row["created_at"],
        )
        out.append(
            DeviceRead(
                client_id=row["client_id"],
                user=DeviceUser(id=user.id, name=user.name, role=user.role),
                app_version=row["app_version"] or "",
                created_at=row["created_at"],
                last_pull_at=row["last_pull_at"],
                last_push_at=row["last_push_at"],
                pending=row["pending"],
                rejected=int(row["rejected"] or 0),
                behind=row["behind"],
                stale=now - heard > STALE_AFTER,
            )
        )
    return sorted(out, key=lambda d: d.last_pull_at or d.last_push_at or d.created_at)
