"""The server's VAPID keys: from the environment, else generated once into the data dir."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from backend.settings import Settings
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


KEY_FILE = "vapid_private.pem"
_cache: dict[str, VapidKeys] = {}


def _load(settings: Settings) -> VapidKeys:
    given = settings.vapid_private_key
    if given:
        text = given.strip()
        keys = (
            VapidKeys.from_pem(text) if text.startswith("-----") else VapidKeys.from_base64url(text)
        )
        return CachingVapidKeys(keys.private_key)
    path = settings.data_dir / KEY_FILE
    for _ in range(50):
        try:
            return CachingVapidKeys(VapidKeys.load_or_create(path).private_key)
        except FileExistsError:
            pass  # another process is writing it this very moment
        except ValueError:
            if not path.exists() or path.stat().st_size > 0:
                raise
        time.sleep(0.02)  # half-written by a process starting alongside us
    return CachingVapidKeys(VapidKeys.from_pem(path.read_bytes()).private_key)


def vapid_keys(settings: Settings) -> VapidKeys:
    """The key pair for these settings; the same object for the life of the process."""
    cache_key = settings.vapid_private_key or str(settings.data_dir)
    if cache_key not in _cache:
        _cache[cache_key] = _load(settings)
    return _cache[cache_key]
