"""The new-password rules and the throttle's delay schedule, as pure functions."""

from __future__ import annotations

import pytest

from backend.accounts.password_policy import MAX_LENGTH, MIN_LENGTH, common_passwords, problems
from backend.accounts.throttle import delay_seconds


def test_the_common_list_is_the_shipped_one() -> None:
    common = common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty", "iloveyou"} <= common


@pytest.mark.parametrize(
    "password",
    ["correct-horse-battery", "tulip quarry marble", "Ω≈ç√∫˜µ≤≥÷-2026", "x9" + "ü" * 10],
)
def test_good_passwords_pass(password: str) -> None:
    assert problems(password, "rep@test.rounds") == []


@pytest.mark.parametrize(
    ("password", "word"),
    [
        ("a" * (MIN_LENGTH - 1), "at least"),
        ("p" * 6 + "    " + "q" * 4, "at least"),  # 14 characters, 11 with spaces counted once
        ("x" * (MAX_LENGTH + 1) + "y", "at most"),
        ("\t \n  " * 4, "blank"),
        ("monkey123456", "common"),
        ("Dragon2026!!", "common"),
        ("shadowshadow", "common"),
        ("zzzzzzzzzzzzzz", "repeated"),
        ("9876543210987", "run"),
        ("asdfghjklzxcv", "run"),
        ("rep.smith2026!", "e-mail"),
    ],
)
def test_weak_passwords_are_named(password: str, word: str) -> None:
    found = problems(password, "rep.smith@test.rounds")
    assert found and word in found[0], found


def test_delays_double_from_the_first_and_stop_at_the_cap() -> None:
    waits = [delay_seconds(n, free=5, first=1, cap=900) for n in range(1, 18)]
    assert waits[:4] == [None] * 4
    assert waits[4:10] == [1, 2, 4, 8, 16, 32]
    assert waits[-1] == 900
    assert delay_seconds(10_000, free=5, first=1, cap=900) == 900
