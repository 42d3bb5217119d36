"""The limits that NUMERIC(p, s) columns allow, and exact decimal text on SQLite."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from backend.decimals import SQLITE_TYPE, limit, out_of_range


def test_limits_follow_the_digits() -> None:
    assert limit((14, 2)) == Decimal("999999999999.99")
    assert limit((16, 4)) == Decimal("999999999999.9999")
    assert limit((5, 2)) == Decimal("999.99")


@pytest.mark.parametrize(
    ("value", "fits"),
    [
        ("999999999999.99", True),
        ("999999999999.994", True),  # rounds to the column's scale first
        ("999999999999.995", False),
        ("-1000000000000", False),
        ("1e30", False),
        ("Infinity", False),
    ],
)
def test_out_of_range(value: str, fits: bool) -> None:
    assert (out_of_range(Decimal(value), (14, 2)) is None) is fits


def test_a_dectext_column_keeps_every_digit() -> None:
    db = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_DECLTYPES)
    db.execute(f"CREATE TABLE t (a {SQLITE_TYPE}(16, 4), b NUMERIC(16, 4))")
    value = Decimal("999999999999.9999")
    db.execute("INSERT INTO t VALUES (?, ?)", (value, value))
    exact, numeric = db.execute("SELECT a, b FROM t").fetchone()
    assert exact == value and isinstance(exact, Decimal)
    assert numeric != value  # what a plain NUMERIC column on SQLite does to it
