"""Queries on users, sessions and login throttles; rows become Structs here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from backend.accounts.preferences import preferences_of
from backend.accounts.schemas import HomeBase, UserRead
from backend.accounts.tables import LoginThrottle, RepTerritory, Session, User
from backend.db import is_sqlite

USER_COLUMNS = (
    User.id,
    User.email,
    User.name,
    User.role,
    User.region,
    User.distributor,
    User.customer,
    User.locale,
    User.time_zone,
    User.phone,
    User.active,
    User.version,
    User.password_hash,
    User.deleted_at,
)
# With the preferences JSON (home base, working hours): for reads of a whole user, not sessions.
PROFILE_COLUMNS = (*USER_COLUMNS, User.preferences)


async def get_user_row_by_email(email: str) -> dict[str, Any] | None:
    return await User.select(*PROFILE_COLUMNS).where(User.email == email.lower()).first()


async def get_user_row(user_id: UUID) -> dict[str, Any] | None:
    return await User.select(*PROFILE_COLUMNS).where(User.id == user_id).first()


async def territory_ids_of(user_id: UUID) -> list[UUID]:
    rows = await RepTerritory.select(RepTerritory.territory).where(RepTerritory.user == user_id)
    return [r["territory"] for r in rows]


async def active_rep_ids_by_territory(territory_ids: list[UUID]) -> dict[UUID, list[UUID]]:
    """The active reps covering each territory (for the team map)."""
    if not territory_ids:
        return {}
    rows = await RepTerritory.select(RepTerritory.territory, RepTerritory.user).where(
        RepTerritory.territory.is_in(territory_ids)
    )
    users = list({r["user"] for r in rows})
    active = {
        u["id"]
        for u in await User.select(User.id).where(
            User.id.is_in(users or [None]) & User.active.eq(True) & User.deleted_at.is_null()
        )
    }
    out: dict[UUID, list[UUID]] = {}
    for r in rows:
        if r["user"] in active:
            out.setdefault(r["territory"], []).append(r["user"])
    return out


async def territory_ids_of_many(user_ids: list[UUID]) -> dict[UUID, list[UUID]]:
    if not user_ids:
        return {}
    rows = await RepTerritory.select(RepTerritory.user, RepTerritory.territory).where(
        RepTerritory.user.is_in(user_ids)
    )
    out: dict[UUID, list[UUID]] = {u: [] for u in user_ids}
    for r in rows:
        out[r["user"]].append(r["territory"])
    return out


async def set_territories(user_id: UUID, territory_ids: list[UUID]) -> None:
    await RepTerritory.delete().where(RepTerritory.user == user_id)
    if territory_ids:
        await RepTerritory.insert(
            *[RepTerritory(user=user_id, territory=t) for t in sorted(set(territory_ids), key=str)]
        )


def to_user_read(row: dict[str, Any], territory_ids: list[UUID]) -> UserRead:
    return UserRead(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        region_id=row["region"],
        distributor_id=row["distributor"],
        customer_id=row["customer"],
        territory_ids=sorted(territory_ids, key=str),
        locale=row["locale"],
        time_zone=row["time_zone"],
        phone=row["phone"],
        active=row["active"],
        version=row["version"],
        **route_fields(row.get("preferences")),
    )


def route_fields(preferences: Any) -> dict[str, Any]:
    """Home base and working hours from `User.preferences["route"]` (geo reads the same keys)."""
    route = preferences_of(preferences).get("route")
    if not isinstance(route, dict):
        return {}
    out: dict[str, Any] = {}
    start = route.get("start")
    if isinstance(start, dict) and "lat" in start and "lng" in start:
        out["home"] = HomeBase(lat=float(start["lat"]), lng=float(start["lng"]))
    for key in ("work_start", "work_end"):
        if isinstance(route.get(key), str):
            out[key] = route[key]
    return out


# Hand-written because it runs on every API call: building the same select through Piccolo's
# joined-column API costs ~3.5 ms of CPU a call, the query itself ~0.3 ms. A rep's territories
# come in the same query (one round trip per request instead of two).
def _session_with_user_sql(aggregate: str) -> str:
    return (
        "SELECT s.id AS id, s.expires_at AS expires_at, s.revoked_at AS revoked_at, "
        + ", ".join(f'u."{c._meta.db_column_name}" AS u_{c._meta.name}' for c in USER_COLUMNS)
        + f', (SELECT {aggregate} FROM rep_territory rt WHERE rt."user" = u.id) AS territories'
        + ' FROM auth_session s JOIN app_user u ON u.id = s."user" WHERE s.id = {}'
    )


_SESSION_WITH_USER_SQL = {
    True: _session_with_user_sql("group_concat(rt.territory, ',')"),
    False: _session_with_user_sql("string_agg(rt.territory::text, ',')"),
}


async def get_session_with_user(session_id: str) -> dict[str, Any] | None:
    """The session, its user's columns (prefixed `u_`) and the user's territory ids."""
    rows = await Session.raw(_SESSION_WITH_USER_SQL[is_sqlite()], session_id)
    if not rows:
        return None
    row = rows[0]
    for key in ("u_id", "u_region", "u_distributor", "u_customer"):
        if row[key] is not None and not isinstance(row[key], UUID):
            row[key] = UUID(str(row[key]))
    for key in ("expires_at", "revoked_at", "u_deleted_at"):
        if isinstance(row[key], str):
            row[key] = datetime.fromisoformat(row[key])
    row["u_active"] = bool(row["u_active"])
    row["territories"] = [UUID(t) for t in (row["territories"] or "").split(",") if t]
    return row


async def get_session_by_refresh_hash(refresh_hash: str) -> dict[str, Any] | None:
    return await Session.select().where(Session.refresh_hash == refresh_hash).first()


async def create_session(
    session_id: str,
    user_id: UUID,
    refresh_hash: str,
    expires_at: datetime,
    user_agent: str,
    *,
    family: str = "",
) -> None:
    """A new session; `family` is the login it descends from (empty: it starts one)."""
    await Session.insert(
        Session(
            id=session_id,
            user=user_id,
            family=family or session_id,
            refresh_hash=refresh_hash,
            expires_at=expires_at,
            user_agent=user_agent[:300],
        )
    )


async def revoke_session(session_id: str, when: datetime) -> None:
    await Session.update({Session.revoked_at: when}).where(
        (Session.id == session_id) & Session.revoked_at.is_null()
    )


async def revoke_family(family: str, when: datetime) -> None:
    """End every session descended from one login."""
    await Session.update({Session.revoked_at: when}).where(
        ((Session.family == family) | (Session.id == family)) & Session.revoked_at.is_null()
    )


async def revoke_other_sessions_of_user(user_id: UUID, keep: str, when: datetime) -> None:
    await Session.update({Session.revoked_at: when}).where(
        (Session.user == user_id) & (Session.id != keep) & Session.revoked_at.is_null()
    )


async def get_session_family(session_id: str) -> str | None:
    row = await Session.select(Session.family).where(Session.id == session_id).first()
    return None if row is None else (row["family"] or session_id)


async def revoke_sessions_of_user(user_id: UUID, when: datetime) -> None:
    await Session.update({Session.revoked_at: when}).where(
        (Session.user == user_id) & Session.revoked_at.is_null()
    )


@dataclass(frozen=True)
class ThrottleRow:
    failures: int
    last_attempt_at: datetime
    blocked_until: datetime | None


def _when(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


async def lock_throttles(keys: list[str], now: datetime) -> dict[str, ThrottleRow]:
    """The throttle rows of these keys (made with no failures where missing), locked until the
    transaction ends: PostgreSQL row locks; SQLite's write transaction holds the database."""
    await LoginThrottle.insert(
        *[LoginThrottle(key=k, failures=0, last_attempt_at=now, blocked_until=None) for k in keys]
    ).on_conflict(target=LoginThrottle.key, action="DO NOTHING")
    lock = "" if is_sqlite() else " FOR UPDATE"
    marks = ", ".join(["{}"] * len(keys))
    rows = await LoginThrottle.raw(
        "SELECT key, failures, last_attempt_at, blocked_until FROM login_throttle "
        f"WHERE key IN ({marks}){lock}",
        *keys,
    )
    out = {}
    for r in rows:
        last = _when(r["last_attempt_at"])
        assert last is not None
        out[r["key"]] = ThrottleRow(int(r["failures"]), last, _when(r["blocked_until"]))
    return out


async def save_throttle(
    key: str, failures: int, last_attempt_at: datetime, blocked_until: datetime | None
) -> None:
    await LoginThrottle.update(
        {
            LoginThrottle.failures: failures,
            LoginThrottle.last_attempt_at: last_attempt_at,
            LoginThrottle.blocked_until: blocked_until,
        }
    ).where(LoginThrottle.key == key)


async def forget_throttles(before: datetime, now: datetime) -> None:
    """Drop counters without an attempt since `before` whose delay is over; rows another
    login holds are skipped (PostgreSQL), so this never waits on or deadlocks with one."""
    skip = "" if is_sqlite() else " FOR UPDATE SKIP LOCKED"
    await LoginThrottle.raw(
        "DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle "
        "WHERE last_attempt_at < {} AND (blocked_until IS NULL OR blocked_until < {})"
        f"{skip})",
        before,
        now,
    )


async def clear_throttle(key: str) -> None:
    await LoginThrottle.delete().where(LoginThrottle.key == key)


async def uncount_throttle(key: str, blocked_until: datetime | None) -> None:
    """Take one attempt back; lift the delay it set unless a later attempt set another."""
    await LoginThrottle.update({LoginThrottle.failures: LoginThrottle.failures - 1}).where(
        (LoginThrottle.key == key) & (LoginThrottle.failures > 0)
    )
    if blocked_until is not None:
        await LoginThrottle.update({LoginThrottle.blocked_until: None}).where(
            (LoginThrottle.key == key) & (LoginThrottle.blocked_until == blocked_until)
        )
