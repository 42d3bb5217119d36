"""Pure parts of exports: cells safe to open in a spreadsheet, CSV text and XLSX values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection);
# tab and carriage return are the same trick behind a leading blank.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading quote before formula starts."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, (date, Decimal, int, float, UUID)):
        return str(value)
    return escape_text(str(value))


def xlsx_cell(value: Any) -> Any:
    """Numbers stay numbers, times become naive UTC (XLSX has no zones), text is escaped."""
    if value is None or (
        isinstance(value, (bool, int, float, Decimal, date)) and not isinstance(value, datetime)
    ):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, UUID):
        return str(value)
    return escape_text(str(value))


def csv_chunk(rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows as CSV lines (RFC 4180, CRLF), UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


BOM = "\ufeff".encode()  # so that spreadsheet programs read the CSV as UTF-8
