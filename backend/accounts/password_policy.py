"""Rules for a new password after OWASP ASVS 4.0 level 2 (V2.1) and NIST SP 800-63B.

At least 12 characters (runs of spaces count as one), up to 128 kept in full, any characters,
no composition rules; refused when it is blank, one character repeated, a run like `1234…`,
the user's own e-mail name or the service's name, or a common password: the 30,000 most
common passwords that zxcvbn ships as data, also with digits or symbols added to the end or
written twice. Applied when a password is set or changed (API, CLI), never to stored hashes.
"""

from __future__ import annotations

import re
from functools import cache

from backend.errors import FieldError, ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 128
_SPACES = re.compile(r"\s+")
_TAIL = re.compile(r"[\d\W_]+$")
_SERVICE_WORDS = frozenset({"rounds", "roundsapp", "fieldsales"})
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")


@cache
def common_passwords() -> frozenset[str]:
    """The common-password list, loaded on first use (about 30,000 lower-case entries)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _is_run(text: str) -> bool:
    """One character repeated, or a stretch of 0-9, a-z or the keyboard row (either way)."""
    if len(set(text)) == 1:
        return True
    # Cyclic, so 1234567890123 is a run as well.
    return any(text in seq * 2 * (1 + len(text) // len(seq)) for seq in _SEQUENCES) or any(
        text in seq[::-1] * 2 * (1 + len(text) // len(seq)) for seq in _SEQUENCES
    )


def problems(password: str, email: str | None = None) -> list[str]:
    """What is wrong with `password` as a new password; empty when it is fine."""
    if not password.strip():
        return ["must not be blank"]
    length = len(_SPACES.sub(" ", password))
    if length < MIN_LENGTH:
        return [f"must be at least {MIN_LENGTH} characters long (spaces in a row count once)"]
    if len(password) > MAX_LENGTH:
        return [f"must be at most {MAX_LENGTH} characters long"]
    low = password.lower()
    common = common_passwords()
    stem = _TAIL.sub("", low)
    half = low[: len(low) // 2]
    own = {email.split("@", 1)[0].lower()} if email else set()
    if _is_run(low.replace(" ", "")):
        return ["must not be one character repeated or a run like 1234… or qwerty…"]
    if (
        low in common
        or (stem and stem in common and len(stem) >= 4)
        or (len(low) % 2 == 0 and low == half * 2 and half in common)
    ):
        return ["is too common: it appears in lists of the passwords people use most"]
    if low in own | _SERVICE_WORDS or (stem and stem in own | _SERVICE_WORDS):
        return ["must not be your e-mail name or the name of this service"]
    return []


def check_new_password(password: str, field: str, email: str | None = None) -> None:
    """Raise ValidationFailed naming `field` when `password` may not be set."""
    found = problems(password, email)
    if found:
        raise ValidationFailed(
            detail=f"The new password {found[0]}.",
            errors=[FieldError(field, message, "weak_password") for message in found],
        )
