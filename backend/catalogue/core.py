"""Pure catalogue rules: Decimal checks and CSV parsing for imports (no Litestar, no Piccolo)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from backend.errors import FieldError

HUNDRED = Decimal(100)
# Prices and quantities fit their columns, Numeric(14, 4) and Numeric(14, 3), on both engines.
MAX_PRICE = Decimal("9999999999.9999")
MAX_QUANTITY = Decimal("99999999999.999")


def decimal_problem(
    value: Decimal,
    *,
    places: int,
    lo: Decimal | None = Decimal(0),
    hi: Decimal | None = None,
    positive: bool = False,
) -> str | None:
    """Why a Decimal is not acceptable (range, places, finiteness), or None when it is."""
    if not value.is_finite():
        return "must be a finite number"
    if positive and value <= 0:
        return "must be greater than 0"
    if lo is not None and value < lo:
        return f"must be at least {lo}"
    if hi is not None and value > hi:
        return f"must be at most {hi}"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        return f"must have at most {places} decimal places"
    return None


def check_decimal(errors: list[FieldError], name: str, value: Decimal, **rules: object) -> None:
    """Append a FieldError for `name` when `value` breaks the rules (see decimal_problem)."""
    problem = decimal_problem(value, **rules)  # type: ignore[arg-type]
    if problem:
        errors.append(FieldError(name, problem, "out_of_range"))


def parse_decimal(text: str) -> Decimal:
    """A number as people type it in spreadsheets: "12.50", "12,50", " 1 234,5 "."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        # "1.234,50" (European thousands) or "1,234.50" (English thousands).
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text.strip()!r} is not a number")
    return value


TRUE_WORDS = {"1", "true", "yes", "y", "jah", "да", "так", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "ei", "нет", "ні", ""}


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{text.strip()!r} is not yes/no")


@dataclass
class CsvTable:
    """A parsed CSV: lower-cased header names and rows as dicts, with file row numbers."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    errors: list[dict[str, object]] = field(default_factory=list)


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (encoding, no header, missing columns, too long)."""


# A cell a spreadsheet would run as a formula when the data is exported again (OWASP's CSV
# injection): it starts with one of these. Such text is refused, row by row, never stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_problem(value: str) -> str | None:
    """Why a text cell is refused as a spreadsheet formula, or None."""
    if value.startswith(FORMULA_STARTS):
        return (
            f"starts with {value[0]!r}, which spreadsheets run as a formula; "
            "remove it or put the text in quotes without it"
        )
    return None


def read_csv(
    data: bytes,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    text_columns: tuple[str, ...] = (),
    max_rows: int = 20_000,
    max_cell: int = 20_000,
) -> CsvTable:
    """Decode UTF-8 (BOM or not), sniff `,` or `;`, check the header; rows numbered as in a
    spreadsheet (the header is row 1). At most ``max_rows`` rows (else CsvFormatError);
    a cell longer than ``max_cell`` characters, or a ``text_columns`` cell that starts like a
    formula, is that row's error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError(f"the file is not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise CsvFormatError(f"the file is empty; the header row needs: {', '.join(required)}")
    first_line = text.lstrip("\r\n").splitlines()[0]
    # The header decides: the delimiter that splits it into more names wins.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise CsvFormatError(f"the header row cannot be read: {exc}") from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise CsvFormatError(
            f"the header row must name the columns {', '.join(required)}; "
            f"missing: {', '.join(missing)}"
        )
    known = set(required) | set(optional)
    unknown = [c for c in columns if c and c not in known]
    if unknown:
        raise CsvFormatError(
            f"unknown columns: {', '.join(unknown)}; allowed: {', '.join(sorted(known))}"
        )
    table = CsvTable(columns=columns, rows=[])
    row_number = 1
    try:
        for values in reader:
            row_number += 1
            if not any(v.strip() for v in values):
                continue  # blank lines, e.g. a trailing one, are not rows
            if len(table.rows) + len(table.errors) >= max_rows:
                raise CsvFormatError(f"the file has more than {max_rows} rows; split it")
            if len(values) > len(columns):
                table.errors.append(
                    {
                        "row": row_number,
                        "column": None,
                        "message": f"{len(values)} values but {len(columns)} columns",
                    }
                )
                continue
            padded = values + [""] * (len(columns) - len(values))
            row = {c: v.strip() for c, v in zip(columns, padded, strict=True) if c}
            problems = _cell_problems(row, text_columns, max_cell)
            if problems:
                table.errors += [
                    {"row": row_number, "column": column, "message": message}
                    for column, message in problems
                ]
                continue
            table.rows.append((row_number, row))
    except csv.Error as exc:
        raise CsvFormatError(f"row {row_number}: {exc}") from None
    return table


def _cell_problems(
    row: dict[str, str], text_columns: tuple[str, ...], max_cell: int
) -> list[tuple[str, str]]:
    problems = []
    for column, value in row.items():
        if len(value) > max_cell:
            problems.append((column, f"is longer than {max_cell} characters"))
        elif _CONTROL.search(value):
            problems.append((column, "holds control characters (a NUL byte or the like)"))
        elif column in text_columns and (problem := formula_problem(value)):
            problems.append((column, problem))
    return problems
