"""Login throttling: growing delays per (e-mail, client address) and per client address.

Every attempt is counted before its password is checked, inside one write transaction that
also checks the delay, so parallel guesses cannot all slip through before the first failure
is written; a successful login takes its own count back. The delays only ever apply to the
address that failed: the owner logging in from another address is never refused, and a
stranger cannot lock anyone out. Counters live in the database so every process agrees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.accounts import repository as repo
from backend.db import write_transaction
from backend.errors import TooManyRequests
from backend.settings import Settings

# Beyond 2**30 times the first delay the cap has long applied; keeps the power finite.
_MAX_DOUBLINGS = 30


def delay_seconds(failures: int, free: int, first: int, cap: int) -> int | None:
    """How long to wait after `failures` failures when `free` are heard without delay."""
    if failures < free:
        return None
    return min(cap, first * 2 ** min(failures - free, _MAX_DOUBLINGS))


def account_key(email: str, address: str) -> str:
    return f"account:{email.strip().lower()}|{address}"


def address_key(address: str) -> str:
    return f"address:{address}"


@dataclass(frozen=True)
class Charge:
    """One attempt counted against both keys; what a successful login takes back."""

    account_key: str
    address_key: str
    address_blocked_until: datetime | None  # the delay this attempt set on the address, if any


async def charge(settings: Settings, email: str, address: str, now: datetime) -> Charge:
    """Count an attempt, or raise TooManyRequests (with the wait) while a delay runs."""
    keys = {
        account_key(email, address): settings.login_account_failures,
        address_key(address): settings.login_address_failures,
    }
    forget_before = now - timedelta(seconds=settings.login_forget_seconds)
    async with write_transaction():
        await repo.forget_throttles(forget_before, now)
        rows = await repo.lock_throttles(list(keys), now)
        waits = [
            r.blocked_until for r in rows.values() if r.blocked_until and r.blocked_until > now
        ]
        if waits:
            wait = max(1, math.ceil((max(waits) - now).total_seconds()))
            raise TooManyRequests(
                detail=f"Too many failed logins from this address. Try again in {wait} seconds.",
                retry_after=wait,
            )
        blocked: dict[str, datetime | None] = {}
        for key, free in keys.items():
            row = rows.get(key)
            failures = 1 if row is None or row.last_attempt_at < forget_before else row.failures + 1
            delay = delay_seconds(
                failures, free, settings.login_delay_seconds, settings.login_max_delay_seconds
            )
            blocked[key] = now + timedelta(seconds=delay) if delay is not None else None
            await repo.save_throttle(key, failures, now, blocked[key])
    by_account, by_address = list(keys)
    return Charge(by_account, by_address, blocked[by_address])


async def refund(attempt: Charge) -> None:
    """The password was right: forget the account's failures here, take back the address's
    count for this attempt. Call inside the login's write transaction."""
    await repo.clear_throttle(attempt.account_key)
    await repo.uncount_throttle(attempt.address_key, attempt.address_blocked_until)
