"""Pure catalogue rules: Decimal checks and CSV parsing for imports (no Litestar, no Piccolo)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from backend.errors import FieldError

HUNDRED = Decimal(100)


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
    """The file as a whole cannot be read (encoding, no header, missing columns)."""


def read_csv(data: bytes, *, required: tuple[str, ...], optional: tuple[str, ...]) -> CsvTable:
    """Decode UTF-8 (BOM or not), sniff `,` or `;`, check the header; rows numbered as in a
    spreadsheet (the header is row 1)."""
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
            table.rows.append(
                (row_number, {c: v.strip() for c, v in zip(columns, padded, strict=True) if c})
            )
    except csv.Error as exc:
        raise CsvFormatError(f"row {row_number}: {exc}") from None
    return table
