"""How an account gets in: one-time invitation links and temporary passwords.

An invitation is `<user id hex>_<secret>`; only the secret's SHA-256 and the expiry are kept,
in the user's preferences (`invite`), so a link works once and a new one replaces the old.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import structlog

from backend.accounts import repository as repo
from backend.accounts.password_policy import check_new_password
from backend.accounts.passwords import hash_password
from backend.accounts.preferences import preferences_of
from backend.accounts.principal import Principal
from backend.accounts.schemas import CredentialIssued, TokenPair
from backend.accounts.tables import User
from backend.accounts.tokens import hash_refresh_token
from backend.db import write_transaction
from backend.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.settings import Settings
from sync.changelog import record_change

log = structlog.get_logger(__name__)
INVITE_TTL = timedelta(days=7)
# The preferences key a temporary password sets: its sessions may only choose a new password.
MUST_CHANGE = "must_change_password"
# No look-alike characters: read aloud over the phone or copied off a screen.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"


def _now() -> datetime:
    return datetime.now(UTC)


def unusable_password_hash() -> str:
    """A hash no typed password matches: the account waits for an invitation."""
    return hash_password(secrets.token_urlsafe(32))


def temporary_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


async def issue(principal: Principal, user_id: UUID, kind: str) -> CredentialIssued:
    """A new way in for a user this admin (or the rep's manager) looks after."""
    from backend.accounts.service import can_manage  # the one rule of who manages whom

    async with write_transaction():
        row = (
            await User.select(User.id, User.role, User.region, User.preferences, User.deleted_at)
            .where(User.id == user_id)
            .first()
        )
        if row is None or row["deleted_at"] is not None:
            raise NotFound(detail="No such user.")
        if not can_manage(principal, row["role"], row["region"]):
            raise PermissionDenied(detail="You may not change this user's access.")
        prefs = preferences_of(row["preferences"])
        now = _now()
        values: dict[Any, Any] = {User.version: User.version + 1, User.updated_at: now}
        if kind == "temporary_password":
            password = temporary_password()
            prefs.pop("invite", None)
            prefs[MUST_CHANGE] = True
            values[User.password_hash] = hash_password(password)
            values[User.preferences] = prefs
            await User.update(values).where(User.id == user_id)
            await repo.revoke_sessions_of_user(user_id, now)
            issued = CredentialIssued(kind=kind, temporary_password=password)
        else:
            secret = secrets.token_urlsafe(32)
            expires = now + INVITE_TTL
            prefs["invite"] = {
                "hash": hash_refresh_token(secret),
                "expires_at": expires.isoformat(),
            }
            values[User.preferences] = prefs
            await User.update(values).where(User.id == user_id)
            issued = CredentialIssued(
                kind=kind, link=f"/#/invite/{user_id.hex}_{secret}", expires_at=expires
            )
        await record_change("users", user_id, "put", user_id=user_id)
    log.info("users.credential_issued", user_id=str(user_id), kind=kind, by=str(principal.user_id))
    return issued


def _split(token: str) -> tuple[UUID, str] | None:
    head, _, secret = token.partition("_")
    try:
        return UUID(hex=head), secret
    except ValueError:
        return None


async def accept_invite(settings: Settings, token: str, password: str, agent: str) -> TokenPair:
    """Set the password an invitation asked for and log the person in; the link is spent."""
    from backend.accounts.service import issue_tokens

    check_new_password(password, "password")

    bad = ValidationFailed(
        detail="This invitation link is not valid any more; ask for a new one.",
        errors=[FieldError("token", "unknown, used or expired", "invalid")],
    )
    parts = _split(token)
    if parts is None or not parts[1]:
        raise bad
    user_id, secret = parts
    async with write_transaction():
        row = await repo.get_user_row(user_id)
        prefs_row = await User.select(User.preferences).where(User.id == user_id).first()
        if row is None or prefs_row is None or row["deleted_at"] is not None or not row["active"]:
            raise bad
        prefs = preferences_of(prefs_row["preferences"])
        invite = prefs.get("invite") or {}
        expires = invite.get("expires_at")
        if (
            not secrets.compare_digest(str(invite.get("hash", "")), hash_refresh_token(secret))
            or not expires
            or datetime.fromisoformat(expires) < _now()
        ):
            raise bad
        prefs.pop("invite", None)
        prefs.pop(MUST_CHANGE, None)  # a password of their own now
        now = _now()
        await User.update(
            {
                User.password_hash: hash_password(password),
                User.preferences: prefs,
                User.version: User.version + 1,
                User.updated_at: now,
            }
        ).where(User.id == user_id)
        await repo.revoke_sessions_of_user(user_id, now)
        await record_change("users", user_id, "put", user_id=user_id)
        tokens = await issue_tokens(settings, {**row, "preferences": prefs}, agent)
    log.info("auth.invite_accepted", user_id=str(user_id))
    return tokens
