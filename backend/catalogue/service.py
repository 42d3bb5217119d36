"""Products and price lists: everyone signed in reads the catalogue, admins change it.

Price lists are read by admins, managers and reps; a distributor reads its own distributor's
list and a customer user its customer's list, nothing else (404 for the rest).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import msgspec
import structlog

from backend.accounts.principal import Principal, Role
from backend.catalogue import repository as repo
from backend.catalogue.core import HUNDRED, MAX_PRICE, MAX_QUANTITY, check_decimal
from backend.catalogue.schemas import (
    PriceListCreate,
    PriceListItemPut,
    PriceListRead,
    PriceListUpdate,
    ProductCreate,
    ProductRead,
    ProductUpdate,
)
from backend.catalogue.tables import PriceList, PriceListItem, Product
from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.schemas import Page
from backend.territories.tables import Distributor
from sync.changelog import record_change

log = structlog.get_logger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def _unset(value: Any) -> bool:
    return value is msgspec.UNSET


def require_admin(principal: Principal, what: str) -> None:
    if not principal.is_admin:
        raise PermissionDenied(detail=f"Only administrators may change {what}.")


# --- products ---------------------------------------------------------------------------


def _check_tax_rate(errors: list[FieldError], value: Decimal) -> None:
    check_decimal(errors, "tax_rate", value, places=2, lo=Decimal(0), hi=HUNDRED)


async def list_products(
    principal: Principal,
    *,
    q: str | None = None,
    category: str | None = None,
    active: bool | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[ProductRead]:
    """Products by name; q matches name, sku or barcode; the cursor is an opaque offset."""
    offset = _offset(cursor)
    condition = repo.live_product_condition() & readable_product_condition(principal)
    if q:
        pattern = f"%{q.strip()}%"
        condition = condition & (
            Product.name.ilike(pattern)
            | Product.sku.ilike(pattern)
            | Product.barcode.ilike(pattern)
        )
    if category:
        condition = condition & (Product.category == category)
    if active is not None:
        condition = condition & (Product.active == active)
    rows = await repo.list_product_rows(condition, limit + 1, offset)
    more = len(rows) > limit
    return Page(
        items=[repo.to_product_read(r) for r in rows[:limit]],
        next_cursor=str(offset + limit) if more else None,
    )


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not cursor.isdigit() or len(cursor) > 9:
        raise ValidationFailed(
            detail="The cursor is not valid.",
            errors=[FieldError("cursor", "not a cursor from this list")],
        )
    return int(cursor)


def readable_product_condition(principal: Principal) -> Any:
    """Products a principal reads (visibility.md): admins and managers every one, reps and the
    partner roles the active ones. REST and sync ask this one rule."""
    if principal.role in (Role.ADMIN, Role.MANAGER):
        return Product.id.is_not_null()
    return Product.active.eq(True)


async def get_product(principal: Principal, product_id: UUID) -> ProductRead:
    row = await repo.get_product_row(product_id)
    if row is not None and not await Product.exists().where(
        (Product.id == product_id) & readable_product_condition(principal)
    ):
        row = None
    if row is None:
        raise NotFound(detail="No such product.")
    return repo.to_product_read(row)


async def create_product(principal: Principal, data: ProductCreate) -> ProductRead:
    require_admin(principal, "products")
    errors: list[FieldError] = []
    _check_tax_rate(errors, data.tax_rate)
    if errors:
        raise ValidationFailed(detail="The product is not valid.", errors=errors)
    product_id = data.id or uuid4()
    async with write_transaction():
        if await Product.exists().where(Product.id == product_id):
            raise Conflict(detail="A product with this id exists already.")
        if await repo.sku_taken(data.sku):
            raise Conflict(
                detail="The SKU is taken.", errors=[FieldError("sku", "already taken", "taken")]
            )
        await Product.insert(
            Product(
                id=product_id,
                sku=data.sku,
                name=data.name,
                description=data.description,
                category=data.category,
                unit=data.unit,
                barcode=data.barcode,
                tax_rate=data.tax_rate,
                active=data.active,
            )
        )
        await record_change("products", product_id, "put")
    log.info("catalogue.product_created", product_id=str(product_id), by=str(principal.user_id))
    return await get_product(principal, product_id)


async def update_product(
    principal: Principal, product_id: UUID, data: ProductUpdate
) -> ProductRead:
    require_admin(principal, "products")
    errors: list[FieldError] = []
    if not _unset(data.tax_rate):
        _check_tax_rate(errors, data.tax_rate)  # type: ignore[arg-type]
    if errors:
        raise ValidationFailed(detail="The product is not valid.", errors=errors)
    async with write_transaction():
        if await repo.get_product_row(product_id) is None:
            raise NotFound(detail="No such product.")
        if not _unset(data.sku) and await repo.sku_taken(data.sku, product_id):  # type: ignore[arg-type]
            raise Conflict(
                detail="The SKU is taken.", errors=[FieldError("sku", "already taken", "taken")]
            )
        values: dict[Any, Any] = {Product.version: Product.version + 1, Product.updated_at: _now()}
        for name in (
            "sku",
            "name",
            "description",
            "category",
            "unit",
            "barcode",
            "tax_rate",
            "active",
        ):
            value = getattr(data, name)
            if not _unset(value):
                values[getattr(Product, name)] = value
        await Product.update(values).where(Product.id == product_id)
        await record_change("products", product_id, "put")
    return await get_product(principal, product_id)


async def delete_product(principal: Principal, product_id: UUID) -> None:
    """Soft delete: past orders keep their snapshot; devices learn of it through sync."""
    require_admin(principal, "products")
    async with write_transaction():
        if await repo.get_product_row(product_id) is None:
            raise NotFound(detail="No such product.")
        now = _now()
        await Product.update(
            {
                Product.deleted_at: now,
                Product.active: False,
                Product.version: Product.version + 1,
                Product.updated_at: now,
            }
        ).where(Product.id == product_id)
        await record_change("products", product_id, "del")


# --- price lists ------------------------------------------------------------------------


async def readable_price_list_condition(principal: Principal) -> Any | None:
    """None: every list; otherwise a condition on PriceList for what this principal reads."""
    if principal.role in (Role.ADMIN, Role.MANAGER, Role.REP):
        return None
    own = await own_price_list(principal)
    # Primary keys are never null: "no list" matches nothing.
    return PriceList.id.is_null() if own is None else PriceList.id == own


async def own_price_list(principal: Principal) -> UUID | None:
    """The one price list a distributor or customer reads (None: none, or another role)."""
    own: UUID | None = None
    if principal.role == Role.DISTRIBUTOR and principal.distributor_id:
        row = (
            await Distributor.select(Distributor.price_list)
            .where(Distributor.id == principal.distributor_id)
            .first()
        )
        own = row["price_list"] if row else None
    elif principal.role == Role.CUSTOMER and principal.customer_id:
        row = (
            await Customer.select(Customer.price_list)
            .where(Customer.id == principal.customer_id)
            .first()
        )
        own = row["price_list"] if row else None
    return own


async def list_price_lists(principal: Principal) -> list[PriceListRead]:
    rows = await repo.list_price_list_rows(await readable_price_list_condition(principal))
    return [repo.to_price_list_read(r) for r in rows]


async def get_price_list(
    principal: Principal, price_list_id: UUID, *, items: bool = True
) -> PriceListRead:
    condition = await readable_price_list_condition(principal)
    row = await repo.get_price_list_row(price_list_id)
    if row is None or (
        condition is not None
        and not await PriceList.exists().where((PriceList.id == price_list_id) & condition)
    ):
        raise NotFound(detail="No such price list.")
    return repo.to_price_list_read(
        row, await repo.list_item_reads(price_list_id) if items else None
    )


def _check_validity(errors: list[FieldError], valid_from: Any, valid_to: Any) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        errors.append(FieldError("valid_to", "must not be before valid_from"))


def _check_max_discount(errors: list[FieldError], value: object) -> None:
    if isinstance(value, Decimal):
        check_decimal(errors, "max_discount_pct", value, places=2, lo=Decimal(0), hi=HUNDRED)


async def create_price_list(principal: Principal, data: PriceListCreate) -> PriceListRead:
    require_admin(principal, "price lists")
    errors: list[FieldError] = []
    _check_validity(errors, data.valid_from, data.valid_to)
    _check_max_discount(errors, data.max_discount_pct)
    if errors:
        raise ValidationFailed(detail="The price list is not valid.", errors=errors)
    price_list_id = data.id or uuid4()
    async with write_transaction():
        if await PriceList.exists().where(
            (PriceList.id == price_list_id) | (PriceList.code == data.code)
        ):
            raise Conflict(
                detail="A price list with this id or code exists already.",
                errors=[FieldError("code", "already taken", "taken")],
            )
        await PriceList.insert(
            PriceList(
                id=price_list_id,
                code=data.code,
                name=data.name,
                currency=data.currency,
                prices_include_tax=data.prices_include_tax,
                valid_from=data.valid_from,
                valid_to=data.valid_to,
                max_discount_pct=data.max_discount_pct,
            )
        )
        await record_change("price_lists", price_list_id, "put")
    return await get_price_list(principal, price_list_id)


async def update_price_list(
    principal: Principal, price_list_id: UUID, data: PriceListUpdate
) -> PriceListRead:
    require_admin(principal, "price lists")
    async with write_transaction():
        row = await repo.get_price_list_row(price_list_id)
        if row is None:
            raise NotFound(detail="No such price list.")
        errors: list[FieldError] = []
        _check_validity(
            errors,
            row["valid_from"] if _unset(data.valid_from) else data.valid_from,
            row["valid_to"] if _unset(data.valid_to) else data.valid_to,
        )
        if not _unset(data.max_discount_pct):
            _check_max_discount(errors, data.max_discount_pct)
        if errors:
            raise ValidationFailed(detail="The price list is not valid.", errors=errors)
        if not _unset(data.code) and await PriceList.exists().where(
            (PriceList.code == data.code) & (PriceList.id != price_list_id)
        ):
            raise Conflict(
                detail="The code is taken.", errors=[FieldError("code", "already taken", "taken")]
            )
        values: dict[Any, Any] = {
            PriceList.version: PriceList.version + 1,
            PriceList.updated_at: _now(),
        }
        for name in (
            "code",
            "name",
            "currency",
            "prices_include_tax",
            "valid_from",
            "valid_to",
            "max_discount_pct",
        ):
            value = getattr(data, name)
            if not _unset(value):
                values[getattr(PriceList, name)] = value
        await PriceList.update(values).where(PriceList.id == price_list_id)
        await record_change("price_lists", price_list_id, "put")
    return await get_price_list(principal, price_list_id)


async def delete_price_list(principal: Principal, price_list_id: UUID) -> None:
    require_admin(principal, "price lists")
    async with write_transaction():
        if await repo.get_price_list_row(price_list_id) is None:
            raise NotFound(detail="No such price list.")
        now = _now()
        await PriceList.update(
            {
                PriceList.deleted_at: now,
                PriceList.version: PriceList.version + 1,
                PriceList.updated_at: now,
            }
        ).where(PriceList.id == price_list_id)
        await record_change("price_lists", price_list_id, "del")


async def put_price_list_item(
    principal: Principal, price_list_id: UUID, product_id: UUID, data: PriceListItemPut
) -> PriceListRead:
    """Set one product's price in a list (created or replaced)."""
    require_admin(principal, "price lists")
    errors: list[FieldError] = []
    check_decimal(errors, "price", data.price, places=4, lo=Decimal(0), hi=MAX_PRICE)
    check_decimal(
        errors, "min_quantity", data.min_quantity, places=3, positive=True, hi=MAX_QUANTITY
    )
    if errors:
        raise ValidationFailed(detail="The price is not valid.", errors=errors)
    async with write_transaction():
        if await repo.get_price_list_row(price_list_id) is None:
            raise NotFound(detail="No such price list.")
        if await repo.get_product_row(product_id) is None:
            raise ValidationFailed(
                detail="No such product.",
                errors=[FieldError("product_id", "no such product", "unknown")],
            )
        now = _now()
        existing = (await repo.get_item_rows(price_list_id, [product_id])).get(product_id)
        if existing is None:
            await PriceListItem.insert(
                PriceListItem(
                    price_list=price_list_id,
                    product=product_id,
                    price=data.price,
                    min_quantity=data.min_quantity,
                )
            )
        else:
            await PriceListItem.update(
                {
                    PriceListItem.price: data.price,
                    PriceListItem.min_quantity: data.min_quantity,
                    PriceListItem.version: PriceListItem.version + 1,
                    PriceListItem.updated_at: now,
                }
            ).where(PriceListItem.id == existing["id"])
        await touch_price_list(price_list_id)
    return await get_price_list(principal, price_list_id)


async def delete_price_list_item(
    principal: Principal, price_list_id: UUID, product_id: UUID
) -> None:
    require_admin(principal, "price lists")
    async with write_transaction():
        existing = (await repo.get_item_rows(price_list_id, [product_id])).get(product_id)
        if existing is None or await repo.get_price_list_row(price_list_id) is None:
            raise NotFound(detail="No such price in this list.")
        now = _now()
        await PriceListItem.update(
            {
                PriceListItem.deleted_at: now,
                PriceListItem.version: PriceListItem.version + 1,
                PriceListItem.updated_at: now,
            }
        ).where(PriceListItem.id == existing["id"])
        await touch_price_list(price_list_id)


async def touch_price_list(price_list_id: UUID) -> None:
    """Bump a list's version and log it: devices sync price lists with their items inside."""
    await PriceList.update(
        {PriceList.version: PriceList.version + 1, PriceList.updated_at: _now()}
    ).where(PriceList.id == price_list_id)
    await record_change("price_lists", price_list_id, "put")
