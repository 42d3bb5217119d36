"""Searching customers: text, filters, due dates, nearby, sorting and keyset pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from backend.accounts.principal import Principal
from backend.customers import core
from backend.customers import repository as repo
from backend.customers.schemas import CustomerListItem, CustomerQuery
from backend.customers.tables import Customer
from backend.customers.visibility import shaped
from backend.errors import FieldError, ValidationFailed
from backend.schemas import Page
from backend.scope import combine, customer_condition

SORTS: dict[str, tuple[Any, bool]] = {
    "name": (Customer.name, True),
    "-name": (Customer.name, False),
    "code": (Customer.code, True),
    "-code": (Customer.code, False),
    "updated_at": (Customer.updated_at, True),
    "-updated_at": (Customer.updated_at, False),
    "created_at": (Customer.created_at, True),
    "-created_at": (Customer.created_at, False),
}
MAX_RADIUS_M = 200_000.0


def _now() -> datetime:
    return datetime.now(UTC)


def _bad_query(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        detail="The query is not valid.", errors=[FieldError(field, message, "invalid")]
    )


def _filters(principal: Principal, query: CustomerQuery, now: datetime) -> Any:
    conditions: list[Any] = [Customer.deleted_at.is_null(), customer_condition(principal)]
    if query.q:
        for term in core.search_terms(query.q):
            conditions.append(repo.search_condition(core.like_pattern(term)))
    if query.territory_id is not None:
        conditions.append(Customer.territory == query.territory_id)
    if query.segment:
        conditions.append(Customer.segment == query.segment)
    if query.distributor_id is not None:
        conditions.append(Customer.distributor == query.distributor_id)
    if query.due:
        conditions.append(repo.due_condition(now))
    if query.overdue:
        conditions.append(repo.due_condition(now, visited_only=True))
    return combine(*conditions)


async def list_customers(principal: Principal, query: CustomerQuery) -> Page[CustomerListItem]:
    """Search, filter, sort and page the customers in the principal's scope."""
    if not 1 <= query.limit <= 500:
        raise _bad_query("limit", "must be within 1..500")
    if query.q is not None and len(query.q) > 200:
        raise _bad_query("q", "at most 200 characters")
    near = (query.lat, query.lng, query.radius_m)
    if any(v is not None for v in near):
        if any(v is None for v in near):
            raise _bad_query("radius_m", "nearby search needs lat, lng and radius_m")
        return await _list_nearby(principal, query)
    condition = _filters(principal, query, _now())
    column, ascending = SORTS[query.sort]
    order = [(column, ascending), (Customer.id, ascending)]
    if query.offset is not None:
        if query.offset < 0:
            raise _bad_query("offset", "must be 0 or more")
        rows = await repo.select_list_rows(
            condition, order, query.limit, query.offset, selective=bool(query.q)
        )
        total = await repo.count_where(condition)
        return Page(items=[shaped(principal, repo.to_list_item(r)) for r in rows], total=total)
    if query.cursor:
        condition = condition & _after(query, column, ascending)
    rows = await repo.select_list_rows(condition, order, query.limit + 1, selective=bool(query.q))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = None
    if more:
        last = rows[-1]
        value = last[column._meta.name]
        next_cursor = core.encode_cursor(
            [
                query.sort,
                value.isoformat() if isinstance(value, datetime) else value,
                str(last["id"]),
            ]
        )
    return Page(
        items=[shaped(principal, repo.to_list_item(r)) for r in rows], next_cursor=next_cursor
    )


def _after(query: CustomerQuery, column: Any, ascending: bool) -> Any:
    """The keyset condition: rows after the cursor's (value, id) in this sort order."""
    values = core.decode_cursor(query.cursor or "")
    if not values or len(values) != 3 or values[0] != query.sort:
        raise _bad_query("cursor", "not a cursor of this list (sort changed?)")
    try:
        value: Any = values[1]
        if query.sort.lstrip("-") in ("updated_at", "created_at"):
            value = datetime.fromisoformat(value)
        last_id = UUID(str(values[2]))
    except (TypeError, ValueError) as exc:
        raise _bad_query("cursor", "not a cursor of this list") from exc
    if ascending:
        return (column > value) | ((column == value) & (Customer.id > last_id))
    return (column < value) | ((column == value) & (Customer.id < last_id))


async def _list_nearby(principal: Principal, query: CustomerQuery) -> Page[CustomerListItem]:
    """Bounding box in SQL, exact great-circle distance here, nearest first."""
    assert query.lat is not None and query.lng is not None and query.radius_m is not None
    if not (-90 <= query.lat <= 90):
        raise _bad_query("lat", "must be within -90..90")
    if not (-180 <= query.lng <= 180):
        raise _bad_query("lng", "must be within -180..180")
    if not (0 < query.radius_m <= MAX_RADIUS_M):
        raise _bad_query("radius_m", f"must be within 0..{int(MAX_RADIUS_M)} metres")
    start = 0
    if query.cursor:
        values = core.decode_cursor(query.cursor)
        if (
            not values
            or len(values) != 2
            or values[0] != "near"
            or not isinstance(values[1], int)
            or values[1] < 0
        ):
            raise _bad_query("cursor", "not a cursor of this list")
        start = values[1]
    elif query.offset:
        start = query.offset
    box = core.bounding_box(query.lat, query.lng, query.radius_m)
    condition = combine(_filters(principal, query, _now()), repo.bbox_condition(*box))
    # Positions only for the whole box; the full list columns only for the page shown.
    found = []
    for row in await repo.select_positions(condition):
        d = core.haversine_m(query.lat, query.lng, row["lat"], row["lng"])
        if d <= query.radius_m:
            found.append((d, str(row["id"]), row["id"]))
    found.sort(key=lambda t: (t[0], t[1]))
    page = found[start : start + query.limit]
    end = start + len(page)
    rows = {r["id"]: r for r in await repo.select_list_rows_by_ids([i for _, _, i in page])}
    return Page(
        items=[shaped(principal, repo.to_list_item(rows[i], d)) for d, _, i in page if i in rows],
        total=len(found),
        next_cursor=core.encode_cursor(["near", end]) if end < len(found) else None,
    )


# --- writes ---------------------------------------------------------------------------------
