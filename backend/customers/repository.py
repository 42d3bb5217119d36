"""Queries over customers and contacts; rows become Structs here."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from backend.customers.core import due_at
from backend.customers.schemas import ContactRead, CustomerListItem, CustomerRead
from backend.customers.tables import Contact, Customer
from backend.db import RowById, is_sqlite, load_json

CENTS = Decimal("0.01")

CUSTOMER_COLUMNS = (
    Customer.id,
    Customer.code,
    Customer.name,
    Customer.legal_name,
    Customer.street,
    Customer.city,
    Customer.postal_code,
    Customer.country,
    Customer.lat,
    Customer.lng,
    Customer.geocode_quality,
    Customer.region,
    Customer.territory,
    Customer.distributor,
    Customer.price_list,
    Customer.segment,
    Customer.tier,
    Customer.phone,
    Customer.email,
    Customer.notes,
    Customer.opening_hours,
    Customer.time_zone,
    Customer.visit_frequency_days,
    Customer.visit_duration_min,
    Customer.credit_limit,
    Customer.last_visit_at,
    Customer.version,
    Customer.created_at,
    Customer.updated_at,
    Customer.deleted_at,
)
LIST_COLUMNS = (
    Customer.id,
    Customer.code,
    Customer.name,
    Customer.street,
    Customer.city,
    Customer.postal_code,
    Customer.lat,
    Customer.lng,
    Customer.region,
    Customer.territory,
    Customer.distributor,
    Customer.segment,
    Customer.tier,
    Customer.phone,
    Customer.visit_frequency_days,
    Customer.last_visit_at,
    Customer.version,
    Customer.created_at,
    Customer.updated_at,
)
CONTACT_COLUMNS = (
    Contact.id,
    Contact.customer,
    Contact.name,
    Contact.title,
    Contact.phone,
    Contact.email,
    Contact.is_primary,
    Contact.locale,
    Contact.offers_opt_in,
    Contact.version,
    Contact.updated_at,
    Contact.deleted_at,
)


def _json(value: Any) -> Any:
    """A JSON column's value, whether the query loaded it or left it as text."""
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value if value is not None else {}


def to_customer_read(row: dict[str, Any]) -> CustomerRead:
    return CustomerRead(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        legal_name=row["legal_name"],
        street=row["street"],
        city=row["city"],
        postal_code=row["postal_code"],
        country=row["country"],
        lat=row["lat"],
        lng=row["lng"],
        geocode_quality=row["geocode_quality"],
        region_id=row["region"],
        territory_id=row["territory"],
        distributor_id=row["distributor"],
        price_list_id=row["price_list"],
        segment=row["segment"],
        tier=row["tier"],
        phone=row["phone"],
        email=row["email"],
        notes=row["notes"],
        opening_hours=_json(row["opening_hours"]),
        time_zone=row["time_zone"],
        visit_frequency_days=row["visit_frequency_days"],
        visit_duration_min=row["visit_duration_min"],
        credit_limit=Decimal(str(row["credit_limit"])).quantize(CENTS),
        last_visit_at=row["last_visit_at"],
        next_visit_due_at=due_at(row["last_visit_at"], row["visit_frequency_days"]),
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def to_list_item(row: dict[str, Any], distance_m: float | None = None) -> CustomerListItem:
    return CustomerListItem(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        street=row["street"],
        city=row["city"],
        postal_code=row["postal_code"],
        lat=row["lat"],
        lng=row["lng"],
        region_id=row["region"],
        territory_id=row["territory"],
        distributor_id=row["distributor"],
        segment=row["segment"],
        tier=row["tier"],
        phone=row["phone"],
        visit_frequency_days=row["visit_frequency_days"],
        last_visit_at=row["last_visit_at"],
        next_visit_due_at=due_at(row["last_visit_at"], row["visit_frequency_days"]),
        version=row["version"],
        updated_at=row["updated_at"],
        distance_m=None if distance_m is None else round(distance_m, 1),
    )


def to_contact_read(row: dict[str, Any]) -> ContactRead:
    return ContactRead(
        id=row["id"],
        customer_id=row["customer"],
        name=row["name"],
        title=row["title"],
        phone=row["phone"],
        email=row["email"],
        is_primary=row["is_primary"],
        locale=row["locale"],
        offers_opt_in=row["offers_opt_in"],
        version=row["version"],
        updated_at=row["updated_at"],
    )


# --- conditions -----------------------------------------------------------------------------


def search_condition(pattern: str) -> Any:
    """search_text contains the (escaped, lower-cased) term; LIKE works alike on both engines."""
    return WhereRaw("search_text LIKE {} ESCAPE '\\'", pattern)


def due_condition(now: datetime, *, visited_only: bool = False) -> Any:
    """Due for a regular visit: never visited, or the last visit is frequency days old."""
    never = "" if visited_only else "last_visit_at IS NULL OR "
    if is_sqlite():
        sql = (
            f"visit_frequency_days > 0 AND ({never}(last_visit_at IS NOT NULL AND "
            "julianday(last_visit_at) <= julianday({}) - visit_frequency_days))"
        )
    else:
        sql = (
            f"visit_frequency_days > 0 AND ({never}(last_visit_at IS NOT NULL AND "
            "last_visit_at <= {}::timestamptz - make_interval(days => visit_frequency_days)))"
        )
    return WhereRaw(sql, now)


def bbox_condition(min_lat: float, max_lat: float, min_lng: float, max_lng: float) -> Any:
    return (
        (Customer.lat >= min_lat)
        & (Customer.lat <= max_lat)
        & (Customer.lng >= min_lng)
        & (Customer.lng <= max_lng)
    )


# --- customers ------------------------------------------------------------------------------


get_customer_row = RowById(Customer, CUSTOMER_COLUMNS)


async def update_customer_returning(customer_id: UUID, values: dict[Any, Any]) -> dict[str, Any]:
    """Update one customer and give back the row as written (one round trip, no re-read)."""
    rows = (
        await Customer.update(values).where(Customer.id == customer_id).returning(*CUSTOMER_COLUMNS)
    )
    return load_json(rows[0], get_customer_row.json)


async def get_customer_scope_row(customer_id: UUID) -> dict[str, Any] | None:
    """The few columns a scope check needs."""
    return (
        await Customer.select(
            Customer.id,
            Customer.region,
            Customer.territory,
            Customer.distributor,
            Customer.deleted_at,
        )
        .where(Customer.id == customer_id)
        .first()
    )


async def read_customer(customer_id: UUID) -> CustomerRead | None:
    """A live customer as the wire sees it, unscoped (for sync snapshots)."""
    row = await get_customer_row(customer_id)
    return None if row is None or row["deleted_at"] is not None else to_customer_read(row)


async def select_list_rows(
    condition: Any,
    order: list[tuple[Any, bool]],
    limit: int | None,
    offset: int | None = None,
    *,
    selective: bool = False,
) -> list[dict[str, Any]]:
    """List columns of matching customers; `selective`: the filter keeps few rows.

    With a selective filter (a search term) SQLite would walk the whole name index looking
    for matches; a unary + on the sort column makes it scan, filter, then sort the few rows.
    """
    query = Customer.select(*LIST_COLUMNS).where(condition)
    for i, (column, ascending) in enumerate(order):
        if i == 0 and selective and is_sqlite():
            column = QueryString(f"+{column._meta.db_column_name}")
        query = query.order_by(column, ascending=ascending)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return await query


async def select_positions(condition: Any) -> list[dict[str, Any]]:
    """Id and position of matching customers: the cheap first step of a nearby search."""
    return await Customer.select(Customer.id, Customer.lat, Customer.lng).where(condition)


async def select_list_rows_by_ids(ids: list[UUID]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return await Customer.select(*LIST_COLUMNS).where(Customer.id.is_in(ids))


async def count_where(condition: Any) -> int:
    return int(await Customer.count().where(condition))


async def code_taken(code: str, except_id: UUID | None = None) -> bool:
    condition: Any = Customer.code == code
    if except_id is not None:
        condition = condition & (Customer.id != except_id)
    return bool(await Customer.exists().where(condition))


# --- contacts -------------------------------------------------------------------------------


async def get_contact_row(contact_id: UUID) -> dict[str, Any] | None:
    return await Contact.select(*CONTACT_COLUMNS).where(Contact.id == contact_id).first()


async def list_contacts_of(customer_id: UUID) -> list[ContactRead]:
    rows = (
        await Contact.select(*CONTACT_COLUMNS)
        .where((Contact.customer == customer_id) & Contact.deleted_at.is_null())
        .order_by(Contact.is_primary, ascending=False)
        .order_by(Contact.name)
    )
    return [to_contact_read(r) for r in rows]


async def primary_contact_ids_of(customer_id: UUID, except_id: UUID | None = None) -> list[UUID]:
    condition: Any = (
        (Contact.customer == customer_id)
        & Contact.deleted_at.is_null()
        & Contact.is_primary.eq(True)
    )
    if except_id is not None:
        condition = condition & (Contact.id != except_id)
    rows = await Contact.select(Contact.id).where(condition)
    return [r["id"] for r in rows]
