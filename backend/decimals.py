"""Exact decimal columns on both engines, and the limits their digits allow.

Piccolo's Numeric is exact on PostgreSQL but a float on SQLite: its adapter sends a Decimal
as a float and the column's NUMERIC affinity keeps 15 significant digits, so
999999999999.9999 came back as 1000000000000.0000. ``ExactNumeric`` is NUMERIC(p, s) on
PostgreSQL and ``DECTEXT(p, s)`` on SQLite: a declared type with TEXT affinity (it contains
"TEXT"), so the value is stored as the Decimal's own digits, and a converter registered
under that name reads it back as a Decimal. Decimal parameters are sent as text on SQLite
(instead of Piccolo's float): into a NUMERIC column SQLite converts them as before.

SQLite does not enforce precision or scale; PostgreSQL refuses an overflow with an error.
The services check every value against ``limit`` before writing, so both engines answer the
same field-named 422 (``out_of_range``) instead of storing it (SQLite) or failing (PostgreSQL).
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

import piccolo.engine.sqlite  # noqa: F401  (registers Piccolo's adapters; ours replaces one)
from piccolo.columns import Numeric

SQLITE_TYPE = "DECTEXT"


def _decimal_out(value: bytes) -> Decimal:
    return Decimal(value.decode())


sqlite3.register_converter(SQLITE_TYPE, _decimal_out)
sqlite3.register_adapter(Decimal, str)


class ExactNumeric(Numeric):
    """NUMERIC(p, s) on PostgreSQL; exact decimal text on SQLite (see the module docstring)."""

    @property
    def column_type(self) -> Any:
        if self._meta.engine_type == "sqlite" and self.digits:
            return f"{SQLITE_TYPE}({self.precision}, {self.scale})"
        return super().column_type


def limit(digits: tuple[int, int]) -> Decimal:
    """The largest value NUMERIC(precision, scale) holds: (14, 2) -> 999999999999.99."""
    precision, scale = digits
    return Decimal(10) ** (precision - scale) - Decimal(1).scaleb(-scale)


def column_limit(column: Any) -> Decimal:
    return limit(column.digits)


def out_of_range(value: Decimal, digits: tuple[int, int]) -> str | None:
    """Why ``value`` does not fit NUMERIC(digits) once rounded to its scale, or None."""
    if not value.is_finite():
        return "must be a finite number"
    top = limit(digits)
    if abs(value) > top + 1 or abs(value.quantize(Decimal(1).scaleb(-digits[1]))) > top:
        return f"must be at most {top} in size"
    return None
