"""Access tokens (short-lived signed JWTs) and refresh tokens (random, stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt

ALGORITHM = "HS256"
AUDIENCE = "rounds-api"


@dataclass(frozen=True)
class AccessClaims:
    user_id: UUID
    session_id: str
    expires_at: datetime
    # Logged in with a temporary password: the token opens only the password change.
    must_change_password: bool = False


def issue_access_token(
    secret: str, user_id: UUID, session_id: str, ttl: int, *, must_change_password: bool = False
) -> str:
    now = datetime.now(UTC)
    payload: dict[str, object] = {
        "sub": str(user_id),
        "sid": session_id,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
    }
    if must_change_password:
        payload["pwc"] = True
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def read_access_token(secret: str, token: str) -> AccessClaims | None:
    """The token's claims, or None when it is malformed, forged or expired."""
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE)
        return AccessClaims(
            user_id=UUID(payload["sub"]),
            session_id=str(payload["sid"]),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            must_change_password=payload.get("pwc") is True,
        )
    except (jwt.PyJWTError, KeyError, ValueError):
        return None


def new_refresh_token() -> str:
    return secrets.token_urlsafe(40)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_session_id() -> str:
    return secrets.token_urlsafe(24)
