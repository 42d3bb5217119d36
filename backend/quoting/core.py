"""Pure quote rules: numbers, the status machine and expiry."""

from __future__ import annotations

import re
from datetime import date

from backend.documents.numbering import NumberRules

STATUSES = ("draft", "sent", "accepted", "rejected", "expired")
# Stored statuses move forward only; "expired" is never stored, it is read off valid_until.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"sent"}),
    "sent": frozenset({"accepted", "rejected"}),
    "accepted": frozenset(),
    "rejected": frozenset(),
}
OPEN = frozenset({"draft", "sent"})

# A device number: the install's sync client code, "-Q", the device's own quote counter.
# It can never look like a server number "Q-2026-000123" (whose second part is a year).
DEVICE_NUMBER = re.compile(r"^[A-Z0-9]{1,16}-Q[1-9][0-9]{0,8}$")
NUMBERS = NumberRules(
    kind="quote",
    prefix="Q",
    device_number=DEVICE_NUMBER,
    device_example="'<client code>-Q<n>', e.g. '17-Q3'",
)
series_name = NUMBERS.series_name
server_number = NUMBERS.server_number
is_device_number = NUMBERS.is_device_number
DEFAULT_VALIDITY_DAYS = 30


def effective_status(stored: str, valid_until: date, today: date) -> str:
    """What a quote is now: an open quote past its validity date is expired."""
    if stored in OPEN and valid_until < today:
        return "expired"
    return stored


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
