"""Route, rep and customer queries for planning; rows become Structs here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypedDict, cast
from uuid import UUID

import msgspec

from backend.accounts.tables import RepTerritory, User
from backend.customers.tables import Customer
from backend.db import is_sqlite
from backend.territories.tables import Territory
from backend.visits.tables import Visit
from geo.route_schemas import RouteRead, StopRead
from geo.tables import Route

CUSTOMER_COLUMNS = (
    Customer.id,
    Customer.name,
    Customer.lat,
    Customer.lng,
    Customer.opening_hours,
    Customer.time_zone,
    Customer.visit_frequency_days,
    Customer.visit_duration_min,
    Customer.last_visit_at,
    Customer.territory,
    Customer.region,
    Customer.distributor,
)


def to_route_read(row: dict[str, Any]) -> RouteRead:
    """A route row (stops as stored JSON) as its wire form."""
    stops = row["stops"]
    if isinstance(stops, str):
        stops = msgspec.json.decode(stops)
    stats = row["stats"]
    if isinstance(stats, str):
        stats = msgspec.json.decode(stats)
    return RouteRead(
        id=row["id"],
        rep_id=row["rep"],
        day=row["day"],
        stops=msgspec.convert(stops, list[StopRead]),
        distance_m=row["distance_m"],
        duration_s=row["duration_s"],
        cost=Decimal(str(row["cost"])),
        stats=stats or {},
        source=row["source"],
        version=row["version"],
        updated_at=row["updated_at"],
    )


async def get_route_row(route_id: UUID, condition: Any | None = None) -> dict[str, Any] | None:
    where = (Route.id == route_id) & Route.deleted_at.is_null()
    return await Route.select().where(where if condition is None else where & condition).first()


async def get_live_route_id_by_rep_and_day(
    rep_id: UUID, day: date, state: str = "published"
) -> UUID | None:
    row = (
        await Route.select(Route.id)
        .where(
            (Route.rep == rep_id)
            & (Route.day == day)
            & (Route.state == state)
            & Route.deleted_at.is_null()
        )
        .first()
    )
    return row["id"] if row else None


async def list_draft_rows(rep_ids: list[UUID], days: list[date]) -> list[dict[str, Any]]:
    """The team plan drafts of these reps on these days."""
    if not rep_ids or not days:
        return []
    return (
        await Route.select()
        .where(
            Route.rep.is_in(rep_ids)
            & Route.day.is_in(days)
            & (Route.state == "draft")
            & Route.deleted_at.is_null()
        )
        .order_by(Route.day)
        .order_by(Route.rep)
    )


async def delete_route(route_id: UUID) -> None:
    """Remove a draft for good (drafts never reach a device, so nothing is tombstoned)."""
    await Route.delete().where(Route.id == route_id)


async def active_rep_ids_of_region(region_id: UUID) -> list[UUID]:
    rows = (
        await User.select(User.id)
        .where(
            (User.region == region_id)
            & (User.role == "rep")
            & (User.active == True)  # noqa: E712
            & User.deleted_at.is_null()
        )
        .order_by(User.name)
    )
    return [r["id"] for r in rows]


async def list_route_rows(condition: Any) -> list[dict[str, Any]]:
    return await Route.select().where(condition).order_by(Route.day).order_by(Route.rep)


async def insert_route(
    route_id: UUID, rep_id: UUID, day: date, values: dict[str, Any], state: str = "published"
) -> None:
    now = datetime.now(UTC)
    await Route.insert(
        Route(
            id=route_id, rep=rep_id, day=day, state=state, created_at=now, updated_at=now, **values
        )
    )


async def update_route(route_id: UUID, values: dict[str, Any]) -> None:
    changes: dict[Any, Any] = {getattr(Route, k): v for k, v in values.items()}
    changes[Route.version] = Route.version + 1
    changes[Route.updated_at] = datetime.now(UTC)
    await Route.update(changes).where(Route.id == route_id)


async def get_rep_row(rep_id: UUID) -> dict[str, Any] | None:
    return (
        await User.select(
            User.id, User.role, User.region, User.active, User.time_zone, User.preferences
        )
        .where((User.id == rep_id) & User.deleted_at.is_null())
        .first()
        .output(load_json=True)
    )


async def rep_ids_of_region(region_id: UUID) -> list[UUID]:
    return [u["id"] for u in await User.select(User.id).where(User.region == region_id)]


async def territory_ids_of_rep(rep_id: UUID) -> list[UUID]:
    rows = await RepTerritory.select(RepTerritory.territory).where(RepTerritory.user == rep_id)
    return [r["territory"] for r in rows]


async def reps_by_territory(territory_ids: list[UUID]) -> dict[UUID, list[UUID]]:
    if not territory_ids:
        return {}
    rows = await RepTerritory.select(RepTerritory.territory, RepTerritory.user).where(
        RepTerritory.territory.is_in(territory_ids)
    )
    out: dict[UUID, list[UUID]] = {}
    for r in rows:
        out.setdefault(r["territory"], []).append(r["user"])
    return out


async def customer_rows_by_ids(ids: list[UUID], condition: Any) -> list[dict[str, Any]]:
    if not ids:
        return []
    where = Customer.id.is_in(ids) & Customer.deleted_at.is_null()
    if condition is not None:
        where = where & condition
    return await Customer.select(*CUSTOMER_COLUMNS).where(where).output(load_json=True)


async def customer_rows_of_territories(territory_ids: list[UUID]) -> list[dict[str, Any]]:
    if not territory_ids:
        return []
    return (
        await Customer.select(*CUSTOMER_COLUMNS)
        .where(Customer.territory.is_in(territory_ids) & Customer.deleted_at.is_null())
        .output(load_json=True)
    )


async def customer_rows_of_region(region_id: UUID) -> list[dict[str, Any]]:
    return (
        await Customer.select(*CUSTOMER_COLUMNS)
        .where((Customer.region == region_id) & Customer.deleted_at.is_null())
        .output(load_json=True)
    )


async def planned_visits_between(
    rep_ids: list[UUID], start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """Visits still planned for these reps with a planned start in [start, end)."""
    if not rep_ids:
        return []
    return await Visit.select(Visit.id, Visit.customer, Visit.rep, Visit.planned_start).where(
        Visit.rep.is_in(rep_ids)
        & (Visit.status == "planned")
        & Visit.deleted_at.is_null()
        & (Visit.planned_start >= start)
        & (Visit.planned_start < end)
    )


async def planned_visits_by_ids(visit_ids: list[UUID]) -> list[dict[str, Any]]:
    """These visits, where still planned (a route's stops name them)."""
    if not visit_ids:
        return []
    return await Visit.select(Visit.id, Visit.customer, Visit.rep, Visit.planned_start).where(
        Visit.id.is_in(visit_ids) & (Visit.status == "planned") & Visit.deleted_at.is_null()
    )


async def territory_rows_of_region(region_id: UUID) -> list[dict[str, Any]]:
    return (
        await Territory.select(Territory.id, Territory.name, Territory.region, Territory.polygon)
        .where((Territory.region == region_id) & Territory.deleted_at.is_null())
        .order_by(Territory.name)
        .output(load_json=True)
    )


async def get_territory_row(territory_id: UUID) -> dict[str, Any] | None:
    return (
        await Territory.select(Territory.id, Territory.name, Territory.region, Territory.polygon)
        .where((Territory.id == territory_id) & Territory.deleted_at.is_null())
        .first()
        .output(load_json=True)
    )


async def lock_reps(rep_ids: list[UUID]) -> None:
    """Serialise plans of the same reps (PostgreSQL row locks; SQLite writers queue anyway)."""
    if rep_ids and not is_sqlite():
        await User.select(User.id).where(User.id.is_in(rep_ids)).lock_rows()


async def lock_route(route_id: UUID) -> None:
    """Serialise writers of one route so a base_version check cannot race."""
    if not is_sqlite():
        await Route.select(Route.id).where(Route.id == route_id).lock_rows()


class MapRow(TypedDict):
    """What the team map draws of one customer (ids as text: 10,000 UUID objects cost)."""

    id: str
    lat: float | None
    lng: float | None
    territory: str | None
    segment: str
    last_visit_at: datetime | None
    visit_frequency_days: int | None


async def map_rows_of_region(region_id: UUID) -> list[MapRow]:
    """What the team map draws of every live customer of a region: only those columns, ids
    cast to text in SQL (Piccolo's per-value UUID conversion was most of the query's time)."""
    rows = await Customer.raw(
        "SELECT CAST(id AS TEXT) AS id, lat, lng, CAST(territory AS TEXT) AS territory,"
        " segment, last_visit_at, visit_frequency_days"
        f" FROM {Customer._meta.tablename}"
        " WHERE region = {} AND deleted_at IS NULL",
        region_id,
    )
    return cast(list[MapRow], rows)
