"""Customer import from CSV or XLSX: column mapping, every row checked, create or update by
customer code, territory by code or by the polygon the position lies in.

A dry run only reports. A real run writes in one transaction: with `apply="all"` any row
error writes nothing (422 with the report); with `apply="valid"` the good rows are written
and the bad ones reported by row (as in the spreadsheet, the header is row 1) and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from uuid import UUID, uuid4

import msgspec
import structlog

from backend.accounts.principal import Principal, Role
from backend.catalogue.tables import PriceList
from backend.customers import core
from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.errors import FieldError, PermissionDenied, ValidationFailed
from backend.territories.tables import Distributor, Region, Territory
from geo.territory_planning import point_in_polygon
from sync.changelog import batched, flush, record_change

log = structlog.get_logger(__name__)
MAX_ROWS = 100_000
_CHUNK = 500
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# field -> longest text; the rest are numbers or codes checked below.
TEXT_FIELDS = {
    "name": 300,
    "legal_name": 300,
    "street": 300,
    "city": 120,
    "postal_code": 20,
    "segment": 40,
    "tier": 10,
    "phone": 40,
    "email": 254,
    "notes": 20_000,
}
FIELDS = (
    "code",
    *TEXT_FIELDS,
    "country",
    "lat",
    "lng",
    "region",
    "territory",
    "distributor",
    "price_list",
    "visit_frequency_days",
    "visit_duration_min",
    "credit_limit",
)
# Header words people use for each field (compared lower-case, without spaces and signs).
SYNONYMS = {
    "code": ("code", "customercode", "customerno", "clientcode", "kood", "код"),
    "name": ("name", "customer", "customername", "nimi", "название", "назва"),
    "legal_name": ("legalname", "company", "companyname"),
    "street": ("street", "address", "aadress", "адрес", "адреса"),
    "city": ("city", "town", "linn", "город", "місто"),
    "postal_code": ("postalcode", "postcode", "zip", "zipcode", "indeks", "индекс"),
    "country": ("country", "countrycode", "riik"),
    "lat": ("lat", "latitude"),
    "lng": ("lng", "lon", "long", "longitude"),
    "region": ("region", "regioncode"),
    "territory": ("territory", "territorycode"),
    "distributor": ("distributor", "distributorcode"),
    "price_list": ("pricelist", "pricelistcode"),
    "segment": ("segment",),
    "tier": ("tier", "class"),
    "phone": ("phone", "telephone", "tel", "telefon", "телефон"),
    "email": ("email", "mail", "epost"),
    "visit_frequency_days": ("visitfrequencydays", "frequency", "visitevery"),
    "visit_duration_min": ("visitdurationmin", "duration"),
    "credit_limit": ("creditlimit", "credit"),
    "notes": ("notes", "note", "comment", "märkmed"),
}


class ImportRowError(msgspec.Struct, kw_only=True):
    row: int | None
    column: str | None
    message: str


class CustomerImportReport(msgspec.Struct, kw_only=True):
    """What the import did (or would do); `to_geocode` are written rows with an address but
    no position, for a geocoding job (`POST /api/geocode/jobs`)."""

    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    errors: list[ImportRowError]
    headers: list[str]
    mapping: dict[str, str]
    to_geocode: list[UUID] = msgspec.field(default_factory=list)


class ImportFormatError(Exception):
    """The file itself cannot be read (not a row's fault)."""


# --- reading ------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the rows (numbered as in the spreadsheet) of a CSV or an XLSX file."""
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportFormatError(f"the XLSX file cannot be read: {exc}") from None
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(v) for v in next(rows, ())]

        def xlsx_rows() -> Iterator[tuple[int, list[str]]]:
            for number, values in enumerate(rows, start=2):
                yield number, [_cell(v) for v in values]

        return header, xlsx_rows()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"the file is neither XLSX nor UTF-8 CSV (byte {exc.start})"
        ) from None
    if not text.strip():
        raise ImportFormatError("the file is empty")
    first = text.lstrip("\r\n").splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]

    def csv_rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(reader, start=2):
            yield number, [v.strip() for v in values]

    return header, csv_rows()


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-./#]+", "", header.strip().lower())


def auto_mapping(headers: list[str]) -> dict[str, str]:
    """Each header to the field it names, when it names one ('' otherwise)."""
    lookup = {syn: f for f, syns in SYNONYMS.items() for syn in syns}
    out: dict[str, str] = {}
    used: set[str] = set()
    for h in headers:
        f = lookup.get(_norm(h), "")
        if f in used:
            f = ""
        used.add(f)
        out[h] = f
    return out


def check_mapping(headers: list[str], mapping: dict[str, str] | None) -> dict[str, str]:
    merged = auto_mapping(headers)
    if mapping:
        errors = [
            FieldError(f"mapping.{h}", f"not a customer field; one of {', '.join(FIELDS)}")
            for h, f in mapping.items()
            if f and f not in FIELDS
        ] + [
            FieldError(f"mapping.{h}", "no such column in the file")
            for h in mapping
            if h not in headers
        ]
        if errors:
            raise ValidationFailed(detail="The column mapping is not valid.", errors=errors)
        merged.update({h: f for h, f in mapping.items()})
    targets = [f for f in merged.values() if f]
    repeated = sorted({f for f in targets if targets.count(f) > 1})
    if repeated:
        raise ValidationFailed(
            detail="Two columns are mapped to the same field.",
            errors=[FieldError("mapping", f"{f} is mapped twice") for f in repeated],
        )
    if "code" not in targets:
        raise ValidationFailed(
            detail="No column holds the customer code (it decides create or update).",
            errors=[FieldError("mapping", "map a column to code", "required")],
        )
    return merged


# --- checking ------------------------------------------------------------------------------


@dataclass
class _Lookups:
    regions: dict[str, UUID]
    territories: dict[str, dict[str, Any]]
    polygons: list[dict[str, Any]]
    distributors: dict[str, UUID]
    price_lists: dict[str, UUID]


async def _lookups() -> _Lookups:
    alive = Region.deleted_at.is_null()
    regions = await Region.select(Region.id, Region.code).where(alive)
    terrs = await Territory.select(
        Territory.id, Territory.code, Territory.region, Territory.polygon
    ).where(Territory.deleted_at.is_null())
    for t in terrs:
        if isinstance(t["polygon"], str):
            t["polygon"] = msgspec.json.decode(t["polygon"]) if t["polygon"] else None
    dists = await Distributor.select(Distributor.id, Distributor.code).where(
        Distributor.deleted_at.is_null()
    )
    lists = await PriceList.select(PriceList.id, PriceList.code).where(
        PriceList.deleted_at.is_null()
    )
    return _Lookups(
        regions={r["code"].lower(): r["id"] for r in regions},
        territories={t["code"].lower(): t for t in terrs},
        polygons=[t for t in terrs if t["polygon"]],
        distributors={d["code"].lower(): d["id"] for d in dists},
        price_lists={p["code"].lower(): p["id"] for p in lists},
    )


def _number(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", "."))


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


@dataclass
class _Plan:
    rows: int = 0
    good: list[_Row] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)

    def error(self, row: int, column: str | None, message: str) -> None:
        self.errors.append(ImportRowError(row=row, column=column, message=message))
        self.bad_rows.add(row)


def _check_row(
    number: int, raw: dict[str, Any], look: _Lookups, plan: _Plan, principal: Principal
) -> dict[str, Any] | None:
    """The row's column values, or None after reporting what is wrong (column = header)."""
    before = len(plan.errors)
    col = raw["__columns__"]  # field -> the header it came from, for the report
    v: dict[str, Any] = {}

    def err(f: str, message: str) -> None:
        plan.error(number, col.get(f, f), message)

    code = raw.get("code", "")
    if not code:
        err("code", "is required")
    elif len(code) > 40:
        err("code", "is longer than 40 characters")
    v["code"] = code
    for f, limit in TEXT_FIELDS.items():
        if f in raw:
            if len(raw[f]) > limit:
                err(f, f"is longer than {limit} characters")
            v[f] = raw[f]
    if raw.get("email") and not _EMAIL.match(raw["email"]):
        err("email", "is not an e-mail address")
    if "country" in raw:
        if raw["country"] and not re.fullmatch(r"[A-Za-z]{2}", raw["country"]):
            err("country", "must be a two-letter country code such as EE")
        v["country"] = raw["country"].upper() or "EE"
    for f, lo, hi in (("lat", -90, 90), ("lng", -180, 180)):
        if raw.get(f):
            try:
                value = float(_number(raw[f]))
                if not lo <= value <= hi:
                    raise ValueError
                v[f] = value
            except (InvalidOperation, ValueError):
                err(f, f"must be a number from {lo} to {hi}")
    if bool(raw.get("lat")) != bool(raw.get("lng")):
        err("lng" if raw.get("lat") else "lat", "give both lat and lng, or neither")
    for f, lo, hi in (("visit_frequency_days", 0, 365), ("visit_duration_min", 1, 600)):
        if raw.get(f):
            if not raw[f].isdigit() or not lo <= int(raw[f]) <= hi:
                err(f, f"must be a whole number from {lo} to {hi}")
            else:
                v[f] = int(raw[f])
    if raw.get("credit_limit"):
        try:
            amount = _number(raw["credit_limit"])
            if amount < 0 or amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
            v["credit_limit"] = amount
        except InvalidOperation:
            err("credit_limit", "must be an amount such as 1500.00, not negative")
    for f, table in (("distributor", look.distributors), ("price_list", look.price_lists)):
        if raw.get(f):
            if raw[f].lower() not in table:
                err(f, f"no {f.replace('_', ' ')} with the code {raw[f]!r}")
            else:
                v[f] = table[raw[f].lower()]
    region = None
    if raw.get("region"):
        region = look.regions.get(raw["region"].lower())
        if region is None:
            err("region", f"no region with the code {raw['region']!r}")
    if raw.get("territory"):
        terr = look.territories.get(raw["territory"].lower())
        if terr is None:
            err("territory", f"no territory with the code {raw['territory']!r}")
        else:
            if region is not None and terr["region"] != region:
                err("territory", "the territory is in another region")
            v["territory"], region = terr["id"], terr["region"]
    elif "lat" in v and "lng" in v:
        for terr in look.polygons:
            if point_in_polygon((v["lat"], v["lng"]), terr["polygon"]):
                v["territory"], region = terr["id"], terr["region"]
                break
    if principal.role == Role.MANAGER:
        if region is None:
            region = principal.region_id
        elif region != principal.region_id:
            err("region" if raw.get("region") else "territory", "is outside your region")
    if region is not None:
        v["region"] = region
    return v if len(plan.errors) == before else None


async def plan_import(
    principal: Principal, data: bytes, mapping: dict[str, str] | None
) -> tuple[_Plan, list[str], dict[str, str]]:
    try:
        headers, rows = read_table(data)
    except ImportFormatError as exc:
        raise ValidationFailed(
            detail=f"The file cannot be read: {exc}.", errors=[FieldError("file", str(exc))]
        ) from None
    used = check_mapping(headers, mapping)
    columns = {f: h for h, f in used.items() if f}
    index = [(i, used.get(h, "")) for i, h in enumerate(headers)]
    look = await _lookups()
    plan = _Plan()
    seen: dict[str, int] = {}
    for number, values in rows:
        if not any(values):
            continue
        plan.rows += 1
        if plan.rows > MAX_ROWS:
            raise ValidationFailed(
                detail=f"The file has more than {MAX_ROWS} rows; split it.",
                errors=[FieldError("file", f"more than {MAX_ROWS} rows")],
            )
        extra = [v for v in values[len(headers) :] if v]
        if extra:
            # A value with an unquoted separator (a decimal comma: 12,5) shifts every later
            # column: refuse the row rather than store the shifted values.
            plan.error(
                number,
                None,
                f"has {len(values)} cells but the header has {len(headers)}: "
                'a value that holds the separator needs quotes ("12,5")',
            )
            continue
        raw: dict[str, Any] = {f: values[i] if i < len(values) else "" for i, f in index if f}
        raw["__columns__"] = columns
        checked = _check_row(number, raw, look, plan, principal)
        code = raw.get("code", "").lower()
        if code and code in seen:
            plan.error(number, columns["code"], f"repeats the code of row {seen[code]}")
            continue
        if code:
            seen[code] = number
        if checked is not None:
            plan.good.append(_Row(number, checked))
    return plan, headers, used


# --- writing --------------------------------------------------------------------------------


def _scope(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values.get(k) for k in ("territory", "distributor", "region")}


async def _existing(codes: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(codes), _CHUNK):
        rows = (
            await Customer.select()
            .where(Customer.code.is_in(codes[i : i + _CHUNK]))
            .output(load_json=True)
        )
        out.update({r["code"]: r for r in rows})
    return out


async def run_import(
    principal: Principal,
    data: bytes,
    *,
    dry_run: bool,
    apply: Literal["all", "valid"] = "all",
    mapping: dict[str, str] | None = None,
) -> CustomerImportReport:
    if not principal.has_role(Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(detail="Only admins and managers import customers.")
    plan, headers, used = await plan_import(principal, data, mapping)
    existing = await _existing([r.values["code"] for r in plan.good])
    inserts: list[dict[str, Any]] = []
    updates: list[tuple[dict[str, Any], dict[str, Any]]] = []
    unchanged = 0
    for row in plan.good:
        before = existing.get(row.values["code"])
        if before is None:
            if not row.values.get("name"):
                plan.error(row.number, used_header(used, "name"), "is required for a new customer")
                continue
            inserts.append(row.values)
            continue
        changed = {k: v for k, v in row.values.items() if before.get(k) != v}
        if before["deleted_at"] is not None:
            changed["deleted_at"] = None
        if changed:
            updates.append((before, changed))
        else:
            unchanged += 1
    plan.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    report = CustomerImportReport(
        dry_run=dry_run,
        rows=plan.rows,
        created=len(inserts),
        updated=len(updates),
        unchanged=unchanged,
        skipped=len(plan.bad_rows),
        errors=plan.errors,
        headers=headers,
        mapping=used,
    )
    if dry_run:
        return report
    if plan.errors and apply == "all":
        raise _refuse(report)
    report.to_geocode = await _write(principal, inserts, updates)
    log.info(
        "customers.imported",
        created=report.created,
        updated=report.updated,
        skipped=report.skipped,
        by=str(principal.user_id),
    )
    return report


def used_header(used: dict[str, str], f: str) -> str:
    return next((h for h, target in used.items() if target == f), f)


async def _write(
    principal: Principal,
    inserts: list[dict[str, Any]],
    updates: list[tuple[dict[str, Any], dict[str, Any]]],
) -> list[UUID]:
    """Everything in one transaction: a failure leaves the customers as they were."""
    now = datetime.now(UTC)
    to_geocode: list[UUID] = []
    async with write_transaction(), batched() as batch:
        rows = []
        for values in inserts:
            cid = uuid4()
            values = {**values, "id": cid}
            values["geocode_quality"] = "manual" if values.get("lat") is not None else "none"
            values["search_text"] = core.search_text(
                values.get("name", ""),
                values["code"],
                values.get("street", ""),
                values.get("city", ""),
                values.get("postal_code", ""),
            )
            rows.append(Customer(**values))
            if values.get("lat") is None and (values.get("street") or values.get("city")):
                to_geocode.append(cid)
        for i in range(0, len(rows), _CHUNK):
            await Customer.insert(*rows[i : i + _CHUNK])
        for row in rows:
            as_written = row.to_dict()
            await record_change(
                "customers",
                row.id,
                "put",
                customer_id=row.id,
                user_id=principal.user_id,
                scope_to=_scope(as_written),
                row=as_written,
            )
        for before, changed in updates:
            after = {**before, **changed}
            changed["search_text"] = core.search_text(
                after["name"], after["code"], after["street"], after["city"], after["postal_code"]
            )
            if "lat" in changed or "lng" in changed:
                changed["geocode_quality"] = "manual"
            addressed = {"street", "city", "postal_code", "country"} & changed.keys()
            if addressed and "lat" not in changed:
                to_geocode.append(before["id"])
            await Customer.update(
                {
                    **{getattr(Customer, k): v for k, v in changed.items()},
                    Customer.version: Customer.version + 1,
                    Customer.updated_at: now,
                }
            ).where(Customer.id == before["id"])
            moved = _scope(before) != _scope(after)
            written = {**after, **changed, "version": before["version"] + 1, "updated_at": now}
            await record_change(
                "customers",
                before["id"],
                "put",
                customer_id=before["id"],
                user_id=principal.user_id,
                scope_from=_scope(before) if moved else None,
                scope_to=_scope(after) if moved else None,
                row=written,  # as written: the change log need not read it back
            )
        await flush(batch)
    return to_geocode


@dataclass
class _ReportError(FieldError):
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:  # type: ignore[override]
        return {**super().as_dict(), "row": self.row, "column": self.column}


def _refuse(report: CustomerImportReport) -> ValidationFailed:
    """422 with the problem's field errors carrying row and column, and the whole report."""
    extra = msgspec.to_builtins(report)
    return ValidationFailed(
        detail=f"{len(report.errors)} error(s) in {report.skipped} row(s); nothing was written. "
        "Fix them, or import the good rows only (apply=valid).",
        errors=[
            _ReportError(
                field=f"rows[{e.row}].{e.column or ''}".rstrip("."),
                message=e.message,
                code="import_row",
                row=e.row,
                column=e.column,
            )
            for e in report.errors
        ],
        extra={"report": extra},
    )
