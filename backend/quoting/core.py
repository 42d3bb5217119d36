"""Pure quote rules: numbers, the status machine and expiry."""

from __future__ import annotations

import re
from datetime import date

STATUSES = ("draft", "sent", "accepted", "rejected", "expired")
# Stored statuses move forward only; "expired" is never stored, it is read off valid_until.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"sent"}),
    "sent": frozenset({"accepted", "rejected"}),
    "accepted": frozenset(),
    "rejected": frozenset(),
}
OPEN = frozenset({"draft", "sent"})

SERVER_PREFIX = "Q"
# A device number: the install's sync client code, "-Q", the device's own quote counter.
# It can never look like a server number "Q-2026-000123" (whose second part is a year).
DEVICE_NUMBER = re.compile(r"^[A-Z0-9]{1,16}-Q[1-9][0-9]{0,8}$")
DEFAULT_VALIDITY_DAYS = 30


def effective_status(stored: str, valid_until: date, today: date) -> str:
    """What a quote is now: an open quote past its validity date is expired."""
    if stored in OPEN and valid_until < today:
        return "expired"
    return stored


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def series_name(year: int) -> str:
    """The NumberSeries row counting one year's server-assigned quote numbers."""
    return f"{SERVER_PREFIX}-{year}"


def server_number(year: int, value: int) -> str:
    return f"{SERVER_PREFIX}-{year}-{value:06d}"


def is_device_number(number: str) -> bool:
    return DEVICE_NUMBER.fullmatch(number) is not None
