"""Logins, tokens, sessions and user administration."""

from __future__ import annotations

import zoneinfo
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from uuid import UUID, uuid4

import msgspec
import structlog

from backend.accounts import credentials, throttle
from backend.accounts import repository as repo
from backend.accounts.password_policy import check_new_password
from backend.accounts.passwords import DUMMY_HASH, hash_password, verify_password
from backend.accounts.principal import Principal, Role
from backend.accounts.schemas import (
    MeRead,
    MeUpdate,
    QuietHours,
    TokenPair,
    UserCreate,
    UserRead,
    UserUpdate,
)
from backend.accounts.tables import User
from backend.accounts.tokens import (
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    new_session_id,
    read_access_token,
)
from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
)
from backend.settings import Settings
from backend.territories.tables import Distributor, Region, Territory
from sync.changelog import record_change

log = structlog.get_logger(__name__)

# Called inside the logout's transaction; areas that keep per-session state register here
# (notifications drops the device's push subscriptions), so accounts imports none of them.
LOGOUT_HOOKS: list[Callable[[Principal], Awaitable[None]]] = []


def _now() -> datetime:
    return datetime.now(UTC)


def _principal_from(
    row: dict[str, Any],
    session_id: str,
    territory_ids: list[UUID],
    must_change_password: bool = False,
) -> Principal:
    return Principal(
        user_id=row["id"],
        session_id=session_id,
        role=row["role"],
        email=row["email"],
        name=row["name"],
        region_id=row["region"],
        distributor_id=row["distributor"],
        customer_id=row["customer"],
        territory_ids=frozenset(territory_ids),
        locale=row["locale"],
        time_zone=row["time_zone"],
        must_change_password=must_change_password,
    )


def must_change_password(preferences: Any) -> bool:
    """Set by a temporary password (credentials.issue); cleared when the user picks its own."""
    return credentials.preferences_of(preferences).get(credentials.MUST_CHANGE) is True


async def issue_tokens(
    settings: Settings, row: dict[str, Any], user_agent: str, family: str | None = None
) -> TokenPair:
    """A new session (in `family` when refreshing, else the start of a new family)."""
    session_id = new_session_id()
    refresh = new_refresh_token()
    await repo.create_session(
        session_id,
        row["id"],
        hash_refresh_token(refresh),
        _now() + timedelta(seconds=settings.refresh_token_ttl),
        user_agent,
        family=family or session_id,
    )
    must_change = must_change_password(row.get("preferences"))
    access = issue_access_token(
        settings.secret_key,
        row["id"],
        session_id,
        settings.access_token_ttl,
        must_change_password=must_change,
    )
    territories = await repo.territory_ids_of(row["id"])
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.access_token_ttl,
        user=repo.to_user_read(row, territories),
        must_change_password=must_change,
    )


async def login(
    settings: Settings, email: str, password: str, user_agent: str = "", address: str = ""
) -> TokenPair:
    """Check the password (throttled per e-mail and client address) and open a session."""
    attempt = await throttle.charge(settings, email, address or "unknown", _now())
    row = await repo.get_user_row_by_email(email.strip())
    if row is None or row["deleted_at"] is not None or not row["active"]:
        verify_password(DUMMY_HASH, password)
        log.info("auth.login_failed", reason="unknown_or_inactive")
        raise Unauthenticated(detail="Wrong e-mail or password.")
    if not verify_password(row["password_hash"], password):
        log.info("auth.login_failed", user_id=str(row["id"]), reason="password")
        raise Unauthenticated(detail="Wrong e-mail or password.")
    async with write_transaction():
        await throttle.refund(attempt)
        tokens = await issue_tokens(settings, row, user_agent)
    log.info("auth.login", user_id=str(row["id"]), role=row["role"])
    return tokens


async def refresh(settings: Settings, refresh_token: str, user_agent: str = "") -> TokenPair:
    """Rotate a refresh token: the old session is revoked, a new one opened in its family.

    A refresh token that was already used (its session revoked) comes either from a thief or
    from its owner after a thief used it first; either way every session of the family ends.
    """
    reused: dict[str, Any] | None = None
    async with write_transaction():
        session = await repo.get_session_by_refresh_hash(hash_refresh_token(refresh_token))
        now = _now()
        if session is not None and session["revoked_at"] is not None:
            reused = session
            await repo.revoke_family(session["family"] or session["id"], now)
        elif session is not None and session["expires_at"] >= now:
            row = await repo.get_user_row(session["user"])
            if row is None or row["deleted_at"] is not None or not row["active"]:
                raise Unauthenticated(detail="The account is not active.")
            await repo.revoke_session(session["id"], now)
            return await issue_tokens(
                settings, row, user_agent, family=session["family"] or session["id"]
            )
    if reused is not None:
        log.warning(
            "auth.refresh_token_reused",
            user_id=str(reused["user"]),
            family=reused["family"] or reused["id"],
        )
    raise Unauthenticated(detail="The refresh token is not valid; log in again.")


async def logout(principal: Principal) -> None:
    """End this session; the device's push subscriptions go with it (see notifications)."""
    async with write_transaction():
        await repo.revoke_session(principal.session_id, _now())
        for hook in LOGOUT_HOOKS:
            await hook(principal)
    log.info("auth.logout", user_id=str(principal.user_id))


async def authenticate(settings: Settings, token: str) -> Principal:
    """The principal behind a bearer token, checked against its session on every call."""
    claims = read_access_token(settings.secret_key, token)
    if claims is None:
        raise Unauthenticated(detail="The access token is missing, malformed or expired.")
    row = await repo.get_session_with_user(claims.session_id)
    if row is None or row["revoked_at"] is not None or row["u_id"] != claims.user_id:
        raise Unauthenticated(detail="The session has ended; log in again.")
    user = {k[2:]: v for k, v in row.items() if k.startswith("u_")}
    if user["deleted_at"] is not None or not user["active"]:
        raise Unauthenticated(detail="The account is not active.")
    territories = row["territories"] if user["role"] == "rep" else []
    return _principal_from(
        user, claims.session_id, territories, must_change_password=claims.must_change_password
    )


# --- user administration ---------------------------------------------------------------


async def _validate_links(
    role: str,
    region_id: UUID | None,
    distributor_id: UUID | None,
    customer_id: UUID | None,
    territory_ids: list[UUID],
    time_zone: str | None,
) -> None:
    errors: list[FieldError] = []
    if time_zone is not None:
        try:
            zoneinfo.ZoneInfo(time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors.append(FieldError("time_zone", f"unknown time zone {time_zone!r}"))
    if role in (Role.MANAGER, Role.REP) and region_id is None:
        errors.append(FieldError("region_id", f"a {role} needs a region", "required"))
    if role == Role.DISTRIBUTOR and distributor_id is None:
        errors.append(
            FieldError("distributor_id", "a distributor user needs a distributor", "required")
        )
    if role == Role.CUSTOMER and customer_id is None:
        errors.append(FieldError("customer_id", "a customer user needs a customer", "required"))
    if territory_ids and role != Role.REP:
        errors.append(FieldError("territory_ids", "only reps cover territories"))
    if region_id and not await Region.exists().where(Region.id == region_id):
        errors.append(FieldError("region_id", "no such region", "unknown"))
    if distributor_id and not await Distributor.exists().where(Distributor.id == distributor_id):
        errors.append(FieldError("distributor_id", "no such distributor", "unknown"))
    if customer_id and not await Customer.exists().where(Customer.id == customer_id):
        errors.append(FieldError("customer_id", "no such customer", "unknown"))
    if territory_ids:
        rows = await Territory.select(Territory.id, Territory.region).where(
            Territory.id.is_in(territory_ids)
        )
        found = {r["id"]: r["region"] for r in rows}
        for i, t in enumerate(territory_ids):
            if t not in found:
                errors.append(FieldError(f"territory_ids[{i}]", "no such territory", "unknown"))
            elif region_id and found[t] != region_id:
                errors.append(
                    FieldError(f"territory_ids[{i}]", "the territory is in another region")
                )
    if errors:
        raise ValidationFailed(detail="The user is not valid.", errors=errors)


def can_manage(principal: Principal, role: str, region_id: UUID | None) -> bool:
    if principal.is_admin:
        return True
    # Managers look after the reps of their own region, nothing more.
    return principal.role == Role.MANAGER and role == Role.REP and region_id == principal.region_id


async def _record_user(
    user_id: UUID, op: Literal["put", "del"], *, was: UUID | Literal[False] | None = False
) -> None:
    """Log a user's change with the region it was in (`was`, else as its last entry says)
    and is in now, so a user moved to another region leaves the old manager's device."""
    row = await User.select(User.region).where(User.id == user_id).first()
    region = row["region"] if row else None
    await record_change(
        "users",
        user_id,
        op,
        user_id=user_id,
        scope_from=None if was is False else {"region": was},
        scope_to={"region": region},
        track_scope=was is False,
    )


def visible_user_condition(principal: Principal, *, live_only: bool = True) -> Any:
    """Users a principal reads (visibility.md): admin all, a manager the reps of their region
    and themselves, everyone else themselves. REST and sync ask this one rule (sync without
    `live_only`: a deleted user's del must still reach the devices that read it)."""
    live = User.deleted_at.is_null() if live_only else User.id.is_not_null()
    if principal.is_admin:
        return live
    if principal.role == Role.MANAGER and principal.region_id:
        return live & (
            ((User.region == principal.region_id) & (User.role == Role.REP))
            | (User.id == principal.user_id)
        )
    return live & (User.id == principal.user_id)


def user_was_visible(principal: Principal, scope: dict[str, Any]) -> bool:
    """Whether a manager saw a user in the region a change-log entry says it was in."""
    return principal.role == Role.MANAGER and scope.get("region") == str(principal.region_id)


async def list_users(principal: Principal, role: str | None = None) -> list[UserRead]:
    condition = visible_user_condition(principal)
    if role:
        condition = condition & (User.role == role)
    rows = await User.select(*repo.PROFILE_COLUMNS).where(condition).order_by(User.name)
    territories = await repo.territory_ids_of_many([r["id"] for r in rows])
    return [repo.to_user_read(r, territories.get(r["id"], [])) for r in rows]


async def get_user(principal: Principal, user_id: UUID) -> UserRead:
    row = (
        await User.select(*repo.PROFILE_COLUMNS)
        .where(visible_user_condition(principal) & (User.id == user_id))
        .first()
    )
    if row is None:
        raise NotFound(detail="No such user.")
    return repo.to_user_read(row, await repo.territory_ids_of(user_id))


async def create_user(principal: Principal, data: UserCreate) -> UserRead:
    if not can_manage(principal, data.role, data.region_id):
        raise PermissionDenied(detail="You may not create this kind of user.")
    await _validate_links(
        data.role,
        data.region_id,
        data.distributor_id,
        data.customer_id,
        data.territory_ids,
        data.time_zone,
    )
    email = data.email.strip().lower()
    if data.password:
        check_new_password(data.password, "password", email)
    password_hash = (
        hash_password(data.password) if data.password else credentials.unusable_password_hash()
    )
    async with write_transaction():
        if await User.exists().where(User.email == email):
            raise Conflict(
                detail="A user with this e-mail address exists already.",
                errors=[FieldError("email", "already taken", "taken")],
            )
        user_id = uuid4()
        await User.insert(
            User(
                id=user_id,
                email=email,
                password_hash=password_hash,
                name=data.name,
                role=data.role,
                region=data.region_id,
                distributor=data.distributor_id,
                customer=data.customer_id,
                locale=data.locale,
                time_zone=data.time_zone,
                phone=data.phone,
            )
        )
        await repo.set_territories(user_id, data.territory_ids)
        await _record_user(user_id, "put")
    log.info("users.created", user_id=str(user_id), role=data.role, by=str(principal.user_id))
    return await get_user(principal, user_id)


async def update_user(principal: Principal, user_id: UUID, data: UserUpdate) -> UserRead:
    async with write_transaction():
        row = await repo.get_user_row(user_id)
        if row is None or row["deleted_at"] is not None:
            raise NotFound(detail="No such user.")
        if not can_manage(principal, row["role"], row["region"]):
            if principal.user_id == user_id or await _visible(principal, user_id):
                raise PermissionDenied(detail="You may not change this user.")
            raise NotFound(detail="No such user.")
        role: str = _or(data.role, row["role"])
        merged: dict[str, UUID | None] = {
            "region": _or(data.region_id, row["region"]),
            "distributor": _or(data.distributor_id, row["distributor"]),
            "customer": _or(data.customer_id, row["customer"]),
        }
        territories = (
            list(data.territory_ids)
            if isinstance(data.territory_ids, list)
            else await repo.territory_ids_of(user_id)
        )
        if not can_manage(principal, role, merged["region"]):
            raise PermissionDenied(detail="You may not give this user that role or region.")
        await _validate_links(
            role,
            merged["region"],
            merged["distributor"],
            merged["customer"],
            territories,
            _or(data.time_zone, None),
        )
        values: dict[Any, Any] = {
            User.role: role,
            User.region: merged["region"],
            User.distributor: merged["distributor"],
            User.customer: merged["customer"],
            User.version: User.version + 1,
            User.updated_at: _now(),
        }
        for name in ("name", "locale", "time_zone", "phone", "active"):
            value = getattr(data, name)
            if not _unset(value):
                values[getattr(User, name)] = value
        route = route_settings(row.get("preferences"), data)
        if route is not None:
            prefs = credentials.preferences_of(row.get("preferences"))
            values[User.preferences] = {**prefs, "route": route}
        if not _unset(data.password):
            check_new_password(data.password, "password", row["email"])  # type: ignore[arg-type]
            values[User.password_hash] = hash_password(data.password)  # type: ignore[arg-type]
            await repo.revoke_sessions_of_user(user_id, _now())
        if data.active is False:
            await repo.revoke_sessions_of_user(user_id, _now())
        await User.update(values).where(User.id == user_id)
        if not _unset(data.territory_ids):
            await repo.set_territories(user_id, territories)
        await _record_user(user_id, "put", was=row["region"])
    return await get_user(principal, user_id)


def route_settings(preferences: Any, data: UserUpdate) -> dict[str, Any] | None:
    """The user's route settings with the update's home and hours merged (None: untouched);
    the working day must end after it starts."""
    if _unset(data.home) and _unset(data.work_start) and _unset(data.work_end):
        return None
    route = dict(credentials.preferences_of(preferences).get("route") or {})
    if not _unset(data.home):
        home = data.home
        route["start"] = None if home is None else {"lat": home.lat, "lng": home.lng}  # type: ignore[union-attr]
    for name in ("work_start", "work_end"):
        value = getattr(data, name)
        if not _unset(value):
            route[name] = value
    start, end = route.get("work_start", "08:00"), route.get("work_end", "17:00")
    if end <= start:
        field = "work_end" if not _unset(data.work_end) else "work_start"
        raise ValidationFailed(
            detail=f"The working day must end after it starts ({start}–{end}).",
            errors=[FieldError(field, "work_end must be after work_start", "range")],
        )
    return route


async def delete_user(principal: Principal, user_id: UUID) -> None:
    if principal.user_id == user_id:
        raise PermissionDenied(detail="You cannot delete your own account.")
    async with write_transaction():
        row = await repo.get_user_row(user_id)
        if row is None or row["deleted_at"] is not None:
            raise NotFound(detail="No such user.")
        if not can_manage(principal, row["role"], row["region"]):
            raise NotFound(detail="No such user.")
        now = _now()
        await User.update(
            {
                User.deleted_at: now,
                User.active: False,
                User.version: User.version + 1,
                User.updated_at: now,
            }
        ).where(User.id == user_id)
        await repo.revoke_sessions_of_user(user_id, now)
        await _record_user(user_id, "del")


_PREFERENCE_FIELDS = ("quiet_hours", "reminders", "reminder_lead_minutes")


async def get_me(principal: Principal) -> MeRead:
    """The caller with their notification settings (kept in `User.preferences`)."""
    user = await get_user(principal, principal.user_id)
    row = await User.select(User.preferences).where(User.id == principal.user_id).first()
    prefs = credentials.preferences_of(row["preferences"] if row else None)
    quiet = prefs.get("quiet_hours")
    lead = prefs.get("reminder_lead_minutes")
    return MeRead(
        **msgspec.structs.asdict(user),
        quiet_hours=QuietHours(start=quiet["start"], end=quiet["end"])
        if isinstance(quiet, dict) and quiet.get("start") and quiet.get("end")
        else None,
        reminders={k: bool(v) for k, v in (prefs.get("reminders") or {}).items()},
        reminder_lead_minutes=lead if isinstance(lead, int) else None,
        must_change_password=prefs.get(credentials.MUST_CHANGE) is True,
        offers_opt_in=prefs.get("offers_opt_in") is True,
    )


async def update_me(principal: Principal, data: MeUpdate) -> MeRead:
    """Change one's own profile; a new password ends every other session of the user."""
    values: dict[Any, Any] = {}
    for name in ("name", "locale", "time_zone", "phone"):
        value = getattr(data, name)
        if not _unset(value):
            values[getattr(User, name)] = value
    if not _unset(data.time_zone):
        await _validate_links("admin", None, None, None, [], data.time_zone)  # type: ignore[arg-type]
    if not _unset(data.quiet_hours) and data.quiet_hours is not None:
        if data.quiet_hours.start == data.quiet_hours.end:  # type: ignore[union-attr]
            raise ValidationFailed(
                detail="Quiet hours need an end different from their start.",
                errors=[FieldError("quiet_hours.end", "equals the start", "empty_window")],
            )
    async with write_transaction():
        if not _unset(data.new_password):
            row = await repo.get_user_row(principal.user_id)
            assert row is not None
            if _unset(data.current_password) or not verify_password(
                row["password_hash"],
                data.current_password,  # type: ignore[arg-type]
            ):
                raise ValidationFailed(
                    detail="The current password is wrong.",
                    errors=[FieldError("current_password", "does not match", "mismatch")],
                )
            check_new_password(data.new_password, "new_password", row["email"])  # type: ignore[arg-type]
            if verify_password(row["password_hash"], data.new_password):  # type: ignore[arg-type]
                raise ValidationFailed(
                    detail="The new password is the current one.",
                    errors=[FieldError("new_password", "must differ from the current one")],
                )
            values[User.password_hash] = hash_password(data.new_password)  # type: ignore[arg-type]
            # Whoever else holds a session (a stolen token, a forgotten device) is logged out;
            # this session stays.
            await repo.revoke_other_sessions_of_user(
                principal.user_id, principal.session_id, _now()
            )
        if not _unset(data.new_password) or any(
            not _unset(getattr(data, f)) for f in _PREFERENCE_FIELDS
        ):
            # Read and written in one transaction: other areas keep their own keys here.
            current = await User.select(User.preferences).where(User.id == principal.user_id)
            prefs = credentials.preferences_of(current[0]["preferences"] if current else None)
            if not _unset(data.new_password):
                prefs.pop(credentials.MUST_CHANGE, None)  # their own now, not the office's
            if not _unset(data.quiet_hours):
                if data.quiet_hours is None:
                    prefs.pop("quiet_hours", None)
                else:
                    prefs["quiet_hours"] = msgspec.to_builtins(data.quiet_hours)
            if not _unset(data.reminders):
                prefs["reminders"] = {**(prefs.get("reminders") or {}), **data.reminders}  # type: ignore[dict-item]
            if not _unset(data.reminder_lead_minutes):
                if data.reminder_lead_minutes is None:
                    prefs.pop("reminder_lead_minutes", None)
                else:
                    prefs["reminder_lead_minutes"] = data.reminder_lead_minutes
            values[User.preferences] = prefs
        if values:
            values[User.version] = User.version + 1
            values[User.updated_at] = _now()
            await User.update(values).where(User.id == principal.user_id)
            await _record_user(principal.user_id, "put")
    return await get_me(principal)


async def _visible(principal: Principal, user_id: UUID) -> bool:
    return await User.exists().where(visible_user_condition(principal) & (User.id == user_id))


def _unset(value: Any) -> bool:
    return value is msgspec.UNSET


def _or(value: Any, default: Any) -> Any:
    """The value sent, or the default when the field was left out of a partial update."""
    return default if value is msgspec.UNSET else value
