"""Logins, tokens, sessions and user administration."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import msgspec
import structlog

from backend.accounts import repository as repo
from backend.accounts.passwords import DUMMY_HASH, hash_password, verify_password
from backend.accounts.principal import Principal
from backend.accounts.schemas import MeUpdate, TokenPair, UserCreate, UserRead, UserUpdate
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
    TooManyRequests,
    Unauthenticated,
    ValidationFailed,
)
from backend.settings import Settings
from backend.territories.tables import Distributor, Region, Territory
from sync.changelog import record_change

log = structlog.get_logger(__name__)
THROTTLE_WINDOW = timedelta(minutes=15)


def _now() -> datetime:
    return datetime.now(UTC)


def _principal_from(row: dict[str, Any], session_id: str, territory_ids: list[UUID]) -> Principal:
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
    )


async def _check_throttle(key: str, now: datetime) -> None:
    row = await repo.get_throttle(key)
    if row and row["locked_until"] and row["locked_until"] > now:
        wait = int((row["locked_until"] - now).total_seconds()) + 1
        raise TooManyRequests(
            detail=f"Too many failed logins. Try again in {wait} seconds.", retry_after=wait
        )


async def _record_failure(settings: Settings, key: str, now: datetime) -> None:
    async with write_transaction():
        row = await repo.get_throttle(key)
        if row is None or now - row["first_failure_at"] > THROTTLE_WINDOW:
            failures, first = 1, now
        else:
            failures, first = row["failures"] + 1, row["first_failure_at"]
        locked = None
        if failures >= settings.login_max_failures:
            locked = now + timedelta(seconds=settings.login_lockout_seconds)
        await repo.save_throttle(key, failures, first, locked)


async def _issue_tokens(settings: Settings, row: dict[str, Any], user_agent: str) -> TokenPair:
    session_id = new_session_id()
    refresh = new_refresh_token()
    await repo.create_session(
        session_id,
        row["id"],
        hash_refresh_token(refresh),
        _now() + timedelta(seconds=settings.refresh_token_ttl),
        user_agent,
    )
    access = issue_access_token(
        settings.secret_key, row["id"], session_id, settings.access_token_ttl
    )
    territories = await repo.territory_ids_of(row["id"])
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.access_token_ttl,
        user=repo.to_user_read(row, territories),
    )


async def login(settings: Settings, email: str, password: str, user_agent: str = "") -> TokenPair:
    """Check the password (throttled per e-mail) and open a session."""
    key = f"email:{email.strip().lower()}"
    now = _now()
    await _check_throttle(key, now)
    row = await repo.get_user_row_by_email(email.strip())
    if row is None or row["deleted_at"] is not None or not row["active"]:
        verify_password(DUMMY_HASH, password)
        await _record_failure(settings, key, now)
        log.info("auth.login_failed", reason="unknown_or_inactive")
        raise Unauthenticated(detail="Wrong e-mail or password.")
    if not verify_password(row["password_hash"], password):
        await _record_failure(settings, key, now)
        log.info("auth.login_failed", user_id=str(row["id"]), reason="password")
        raise Unauthenticated(detail="Wrong e-mail or password.")
    async with write_transaction():
        await repo.clear_throttle(key)
        tokens = await _issue_tokens(settings, row, user_agent)
    log.info("auth.login", user_id=str(row["id"]), role=row["role"])
    return tokens


async def refresh(settings: Settings, refresh_token: str, user_agent: str = "") -> TokenPair:
    """Rotate a refresh token: the old session is revoked, a new one opened."""
    async with write_transaction():
        session = await repo.get_session_by_refresh_hash(hash_refresh_token(refresh_token))
        now = _now()
        if session is None or session["revoked_at"] is not None or session["expires_at"] < now:
            raise Unauthenticated(detail="The refresh token is not valid; log in again.")
        row = await repo.get_user_row(session["user"])
        if row is None or row["deleted_at"] is not None or not row["active"]:
            raise Unauthenticated(detail="The account is not active.")
        await repo.revoke_session(session["id"], now)
        return await _issue_tokens(settings, row, user_agent)


async def logout(principal: Principal) -> None:
    async with write_transaction():
        await repo.revoke_session(principal.session_id, _now())
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
    return _principal_from(user, claims.session_id, territories)


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
    if role in ("manager", "rep") and region_id is None:
        errors.append(FieldError("region_id", f"a {role} needs a region", "required"))
    if role == "distributor" and distributor_id is None:
        errors.append(
            FieldError("distributor_id", "a distributor user needs a distributor", "required")
        )
    if role == "customer" and customer_id is None:
        errors.append(FieldError("customer_id", "a customer user needs a customer", "required"))
    if territory_ids and role != "rep":
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


def _can_manage(principal: Principal, role: str, region_id: UUID | None) -> bool:
    if principal.is_admin:
        return True
    # Managers look after the reps of their own region, nothing more.
    return principal.role == "manager" and role == "rep" and region_id == principal.region_id


def _visible_condition(principal: Principal) -> Any:
    if principal.is_admin:
        return User.deleted_at.is_null()
    if principal.role == "manager" and principal.region_id:
        return User.deleted_at.is_null() & (
            (User.region == principal.region_id) | (User.id == principal.user_id)
        )
    return User.deleted_at.is_null() & (User.id == principal.user_id)


async def list_users(principal: Principal, role: str | None = None) -> list[UserRead]:
    condition = _visible_condition(principal)
    if role:
        condition = condition & (User.role == role)
    rows = await User.select(*repo.USER_COLUMNS).where(condition).order_by(User.name)
    territories = await repo.territory_ids_of_many([r["id"] for r in rows])
    return [repo.to_user_read(r, territories.get(r["id"], [])) for r in rows]


async def get_user(principal: Principal, user_id: UUID) -> UserRead:
    row = (
        await User.select(*repo.USER_COLUMNS)
        .where(_visible_condition(principal) & (User.id == user_id))
        .first()
    )
    if row is None:
        raise NotFound(detail="No such user.")
    return repo.to_user_read(row, await repo.territory_ids_of(user_id))


async def create_user(principal: Principal, data: UserCreate) -> UserRead:
    if not _can_manage(principal, data.role, data.region_id):
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
    password_hash = hash_password(data.password)
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
        await record_change("users", user_id, "put", user_id=user_id)
    log.info("users.created", user_id=str(user_id), role=data.role, by=str(principal.user_id))
    return await get_user(principal, user_id)


async def update_user(principal: Principal, user_id: UUID, data: UserUpdate) -> UserRead:
    async with write_transaction():
        row = await repo.get_user_row(user_id)
        if row is None or row["deleted_at"] is not None:
            raise NotFound(detail="No such user.")
        if not _can_manage(principal, row["role"], row["region"]):
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
        if not _can_manage(principal, role, merged["region"]):
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
        if not _unset(data.password):
            values[User.password_hash] = hash_password(data.password)  # type: ignore[arg-type]
            await repo.revoke_sessions_of_user(user_id, _now())
        if data.active is False:
            await repo.revoke_sessions_of_user(user_id, _now())
        await User.update(values).where(User.id == user_id)
        if not _unset(data.territory_ids):
            await repo.set_territories(user_id, territories)
        await record_change("users", user_id, "put", user_id=user_id)
    return await get_user(principal, user_id)


async def delete_user(principal: Principal, user_id: UUID) -> None:
    if principal.user_id == user_id:
        raise PermissionDenied(detail="You cannot delete your own account.")
    async with write_transaction():
        row = await repo.get_user_row(user_id)
        if row is None or row["deleted_at"] is not None:
            raise NotFound(detail="No such user.")
        if not _can_manage(principal, row["role"], row["region"]):
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
        await record_change("users", user_id, "del", user_id=user_id)


async def update_me(principal: Principal, data: MeUpdate) -> UserRead:
    values: dict[Any, Any] = {}
    for name in ("name", "locale", "time_zone", "phone"):
        value = getattr(data, name)
        if not _unset(value):
            values[getattr(User, name)] = value
    if not _unset(data.time_zone):
        await _validate_links("admin", None, None, None, [], data.time_zone)  # type: ignore[arg-type]
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
            values[User.password_hash] = hash_password(data.new_password)  # type: ignore[arg-type]
        if values:
            values[User.version] = User.version + 1
            values[User.updated_at] = _now()
            await User.update(values).where(User.id == principal.user_id)
            await record_change("users", principal.user_id, "put", user_id=principal.user_id)
    return await get_user(principal, principal.user_id)


async def _visible(principal: Principal, user_id: UUID) -> bool:
    return await User.exists().where(_visible_condition(principal) & (User.id == user_id))


def _unset(value: Any) -> bool:
    return value is msgspec.UNSET


def _or(value: Any, default: Any) -> Any:
    """The value sent, or the default when the field was left out of a partial update."""
    return default if value is msgspec.UNSET else value
