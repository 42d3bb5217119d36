"""CSV imports of products and price-list items: upsert by SKU, all or nothing, with a dry run.

Every row is checked before anything is written. A dry run only reports. A real import with
any row error writes nothing and raises ValidationFailed carrying the same report (422).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import msgspec
import structlog

from backend.accounts.principal import Principal
from backend.catalogue import repository as repo
from backend.catalogue.core import (
    HUNDRED,
    MAX_PRICE,
    MAX_QUANTITY,
    CsvFormatError,
    decimal_problem,
    parse_bool,
    parse_decimal,
    read_csv,
)
from backend.catalogue.schemas import ImportReport, ImportRowError
from backend.catalogue.service import require_admin, touch_price_list
from backend.catalogue.tables import PriceListItem, Product
from backend.db import write_transaction
from backend.errors import FieldError, NotFound, ValidationFailed
from backend.settings import get_settings
from sync.changelog import record_change

log = structlog.get_logger(__name__)

PRODUCT_REQUIRED = ("sku", "name")
PRODUCT_OPTIONAL = ("description", "category", "unit", "barcode", "tax_rate", "active")
ITEM_REQUIRED = ("sku", "price")
ITEM_OPTIONAL = ("min_quantity", "name")  # name is accepted for readability, not imported
_LIMITS = {
    "sku": 64,
    "name": 300,
    "description": 20_000,
    "category": 120,
    "unit": 20,
    "barcode": 64,
}


class _RowErrors:
    def __init__(self) -> None:
        self.items: list[ImportRowError] = []

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.items.append(ImportRowError(row=row, column=column, message=message))


@dataclass
class _Plan:
    rows: int
    inserts: list[Any]
    updates: list[tuple[UUID, dict[str, Any]]]
    unchanged: int


def _now() -> datetime:
    return datetime.now(UTC)


def _number(errors: _RowErrors, row: int, column: str, text: str, **rules: Any) -> Decimal | None:
    try:
        value = parse_decimal(text)
    except ValueError as exc:
        errors.add(row, column, str(exc))
        return None
    problem = decimal_problem(value, **rules)
    if problem:
        errors.add(row, column, problem)
        return None
    return value


def _text(errors: _RowErrors, row: int, column: str, value: str, *, required: bool) -> None:
    if required and not value:
        errors.add(row, column, "is required")
    elif len(value) > _LIMITS[column]:
        errors.add(row, column, f"is longer than {_LIMITS[column]} characters")


def _report(dry_run: bool, plan: _Plan | None, rows: int, errors: _RowErrors) -> ImportReport:
    created = len(plan.inserts) if plan else 0
    updated = len(plan.updates) if plan else 0
    return ImportReport(
        dry_run=dry_run,
        rows=rows,
        created=created,
        updated=updated,
        unchanged=plan.unchanged if plan else 0,
        errors=errors.items,
    )


@dataclass
class RowError(FieldError):
    """A field error that also carries the report's row and column (problem "errors")."""

    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:  # type: ignore[override]
        return {**super().as_dict(), "row": self.row, "column": self.column}


def _refuse(report: ImportReport) -> ValidationFailed:
    """A 422 whose body is the problem details plus the whole report."""
    extra = msgspec.to_builtins(report)
    del extra["errors"]  # carried as the problem's field errors, each with row and column
    return ValidationFailed(
        detail=f"The import has {len(report.errors)} error(s); nothing was written.",
        errors=[
            RowError(
                field=f"rows[{e.row}].{e.column or ''}".rstrip("."),
                message=e.message,
                code="import_row",
                row=e.row,
                column=e.column,
            )
            for e in report.errors
        ],
        extra=extra,
    )


TEXT_COLUMNS = ("sku", "name", "description", "category", "unit", "barcode")


async def _read(
    data: bytes, required: tuple[str, ...], optional: tuple[str, ...], dry_run: bool
) -> tuple[Any, _RowErrors]:
    """Parse in a worker thread (a large file must not stall the loop), within the bounds."""
    errors = _RowErrors()
    settings = get_settings()
    try:
        table = await asyncio.to_thread(
            read_csv,
            data,
            required=required,
            optional=optional,
            text_columns=TEXT_COLUMNS,
            max_rows=settings.csv_max_rows,
            max_cell=settings.csv_max_cell_chars,
        )
    except CsvFormatError as exc:
        errors.add(1, None, str(exc))
        report = _report(dry_run, None, 0, errors)
        raise _refuse(report) from None
    for e in table.errors:
        errors.add(e["row"], e["column"], str(e["message"]))  # type: ignore[arg-type]
    return table, errors


# --- products ---------------------------------------------------------------------------


async def _plan_products(table: Any, errors: _RowErrors) -> _Plan:
    columns = set(table.columns)
    existing = await repo.get_products_by_skus([r.get("sku", "") for _, r in table.rows])
    seen: dict[str, int] = {}
    inserts: list[Any] = []
    updates: list[tuple[UUID, dict[str, Any]]] = []
    unchanged = 0
    for number, raw in table.rows:
        before = len(errors.items)
        sku = raw.get("sku", "")
        _text(errors, number, "sku", sku, required=True)
        _text(errors, number, "name", raw.get("name", ""), required=True)
        for column in ("description", "category", "barcode"):
            if column in columns:
                _text(errors, number, column, raw[column], required=False)
        if "unit" in columns:
            _text(errors, number, "unit", raw["unit"], required=False)
        values: dict[str, Any] = {"name": raw.get("name", "")}
        for column in ("description", "category", "barcode"):
            if column in columns:
                values[column] = raw[column]
        if "unit" in columns and raw["unit"]:
            values["unit"] = raw["unit"]
        if "tax_rate" in columns and raw["tax_rate"]:
            values["tax_rate"] = _number(
                errors, number, "tax_rate", raw["tax_rate"], places=2, lo=Decimal(0), hi=HUNDRED
            )
        if "active" in columns and raw["active"]:
            try:
                values["active"] = parse_bool(raw["active"])
            except ValueError as exc:
                errors.add(number, "active", str(exc))
        if sku in seen:
            errors.add(number, "sku", f"repeats row {seen[sku]}")
        seen.setdefault(sku, number)
        if len(errors.items) > before:
            continue
        row = existing.get(sku)
        if row is None:
            inserts.append(Product(id=uuid4(), sku=sku, **values))
            continue
        changed = {k: v for k, v in values.items() if row[k] != v}
        if row["deleted_at"] is not None:
            changed.update(deleted_at=None, active=values.get("active", True))
        if changed:
            updates.append((row["id"], changed))
        else:
            unchanged += 1
    return _Plan(rows=len(table.rows), inserts=inserts, updates=updates, unchanged=unchanged)


async def import_products(principal: Principal, data: bytes, *, dry_run: bool) -> ImportReport:
    """Upsert products by SKU from a CSV (sku,name[,description,category,unit,barcode,
    tax_rate,active]); columns missing from the file keep their current values."""
    require_admin(principal, "products")
    table, errors = await _read(data, PRODUCT_REQUIRED, PRODUCT_OPTIONAL, dry_run)
    if dry_run:
        plan = await _plan_products(table, errors)
        return _report(True, plan, plan.rows, errors)
    async with write_transaction():
        # Planned inside the transaction so nobody changes the rows between check and write.
        plan = await _plan_products(table, errors)
        report = _report(False, plan, plan.rows, errors)
        if errors.items:
            raise _refuse(report)
        now = _now()
        for part in repo.chunks(plan.inserts, 200):
            await Product.insert(*part)
        for product_id, changed in plan.updates:
            values: dict[Any, Any] = {getattr(Product, k): v for k, v in changed.items()}
            values[Product.version] = Product.version + 1
            values[Product.updated_at] = now
            await Product.update(values).where(Product.id == product_id)
        for product in plan.inserts:
            await record_change("products", product.id, "put")
        for product_id, _ in plan.updates:
            await record_change("products", product_id, "put")
    log.info(
        "catalogue.products_imported",
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        by=str(principal.user_id),
    )
    return report


# --- price-list items -------------------------------------------------------------------


async def _plan_items(price_list_id: UUID, table: Any, errors: _RowErrors) -> _Plan:
    has_min = "min_quantity" in table.columns
    products = await repo.get_products_by_skus([r.get("sku", "") for _, r in table.rows])
    current = await repo.get_item_rows(price_list_id)
    seen: dict[str, int] = {}
    inserts: list[Any] = []
    updates: list[tuple[UUID, dict[str, Any]]] = []
    unchanged = 0
    for number, raw in table.rows:
        before = len(errors.items)
        sku = raw.get("sku", "")
        product = products.get(sku)
        if not sku:
            errors.add(number, "sku", "is required")
        elif product is None or product["deleted_at"] is not None:
            errors.add(number, "sku", f"no product with SKU {sku!r}")
        elif sku in seen:
            errors.add(number, "sku", f"repeats row {seen[sku]}")
        seen.setdefault(sku, number)
        values: dict[str, Any] = {}
        if not raw.get("price"):
            errors.add(number, "price", "is required")
        else:
            values["price"] = _number(
                errors, number, "price", raw["price"], places=4, lo=Decimal(0), hi=MAX_PRICE
            )
        if has_min and raw["min_quantity"]:
            values["min_quantity"] = _number(
                errors,
                number,
                "min_quantity",
                raw["min_quantity"],
                places=3,
                positive=True,
                hi=MAX_QUANTITY,
            )
        if len(errors.items) > before or product is None:
            continue
        item = current.get(product["id"])
        if item is None:
            inserts.append(
                PriceListItem(id=uuid4(), price_list=price_list_id, product=product["id"], **values)
            )
            continue
        changed = {k: v for k, v in values.items() if item[k] != v}
        if changed:
            updates.append((item["id"], changed))
        else:
            unchanged += 1
    return _Plan(rows=len(table.rows), inserts=inserts, updates=updates, unchanged=unchanged)


async def import_price_list_items(
    principal: Principal, price_list_id: UUID, data: bytes, *, dry_run: bool
) -> ImportReport:
    """Upsert a price list's prices by SKU from a CSV (sku,price[,min_quantity,name])."""
    require_admin(principal, "price lists")
    if await repo.get_price_list_row(price_list_id) is None:
        raise NotFound(detail="No such price list.")
    table, errors = await _read(data, ITEM_REQUIRED, ITEM_OPTIONAL, dry_run)
    if dry_run:
        plan = await _plan_items(price_list_id, table, errors)
        return _report(True, plan, plan.rows, errors)
    async with write_transaction():
        plan = await _plan_items(price_list_id, table, errors)
        report = _report(False, plan, plan.rows, errors)
        if errors.items:
            raise _refuse(report)
        now = _now()
        for part in repo.chunks(plan.inserts, 200):
            await PriceListItem.insert(*part)
        for item_id, changed in plan.updates:
            values: dict[Any, Any] = {getattr(PriceListItem, k): v for k, v in changed.items()}
            values[PriceListItem.version] = PriceListItem.version + 1
            values[PriceListItem.updated_at] = now
            await PriceListItem.update(values).where(PriceListItem.id == item_id)
        if plan.inserts or plan.updates:
            await touch_price_list(price_list_id)
    log.info(
        "catalogue.prices_imported",
        price_list_id=str(price_list_id),
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        by=str(principal.user_id),
    )
    return report
