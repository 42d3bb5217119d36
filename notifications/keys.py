"""The server's VAPID keys: from the environment, else made once and kept in the database."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from backend.settings import Settings
from notifications.tables import VapidKey
from notifications.vapid import DEFAULT_LIFETIME_SECONDS, VapidKeys, audience


@dataclass(frozen=True)
class CachingVapidKeys(VapidKeys):
    """VapidKeys that reuse one signed token per push service origin for half its lifetime.

    Signing an ES256 JWT for every message cost about a third of a send; a token is valid
    for any message to the same origin until it expires, as RFC 8292 intends. Each token is
    still built from a fresh claims dict (VapidKeys.authorization), never a shared one.
    """

    _tokens: dict[tuple[str, str, int], tuple[float, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def authorization(
        self,
        endpoint: str,
        subject: str,
        *,
        now: float | None = None,
        lifetime: int = DEFAULT_LIFETIME_SECONDS,
    ) -> str:
        moment = time.time() if now is None else now
        key = (audience(endpoint), subject, lifetime)
        cached = self._tokens.get(key)
        if cached is not None and moment < cached[0]:
            return cached[1]
        header = super().authorization(endpoint, subject, now=moment, lifetime=lifetime)
        self._tokens[key] = (moment + lifetime / 2, header)
        return header


# Where keys were kept before they moved into the database; adopted as the database's key
# on first start so browsers subscribed with it keep receiving.
KEY_FILE = "vapid_private.pem"
_KEY_ID = 1


def _from_environment(text: str) -> VapidKeys:
    text = text.strip()
    return VapidKeys.from_pem(text) if text.startswith("-----") else VapidKeys.from_base64url(text)


def _initial_pem(settings: Settings) -> str:
    """The key to store when there is none yet: the old data-dir file's, else a new one."""
    path = settings.data_dir / KEY_FILE
    if path.exists():
        try:
            return VapidKeys.from_pem(path.read_bytes()).private_pem()
        except ValueError:
            pass  # a damaged file: a new key, as on a fresh install
    return VapidKeys.generate().private_pem()


async def vapid_keys(settings: Settings) -> VapidKeys:
    """The key pair every process and host signs with, and whose public half the API hands out.

    ROUNDS_VAPID_PRIVATE_KEY when set; else the one row of `vapid_key`, made by whichever
    process asks first: `INSERT … ON CONFLICT DO NOTHING` then read, so processes starting
    together all end up with the winner's key. Read from the database on every call (the
    API's key endpoint, a worker's start), so a process never holds on to a stale key.
    """
    if settings.vapid_private_key:
        return CachingVapidKeys(_from_environment(settings.vapid_private_key).private_key)
    row = await VapidKey.select(VapidKey.private_pem).where(VapidKey.id == _KEY_ID).first()
    if row is None:
        await VapidKey.insert(VapidKey(id=_KEY_ID, private_pem=_initial_pem(settings))).on_conflict(
            target=VapidKey.id, action="DO NOTHING"
        )
        row = await VapidKey.select(VapidKey.private_pem).where(VapidKey.id == _KEY_ID).first()
        assert row is not None
    return CachingVapidKeys(VapidKeys.from_pem(row["private_pem"]).private_key)
