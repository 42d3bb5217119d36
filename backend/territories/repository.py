"""Queries over regions, territories and distributors; rows become Structs here."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from backend.customers.tables import Customer
from backend.territories.schemas import DistributorRead, RegionRead, TerritoryRead
from backend.territories.tables import Distributor, Region, Territory

REGION_COLUMNS = (
    Region.id,
    Region.name,
    Region.code,
    Region.time_zone,
    Region.currency,
    Region.version,
    Region.updated_at,
)
TERRITORY_COLUMNS = (
    Territory.id,
    Territory.region,
    Territory.name,
    Territory.code,
    Territory.polygon,
    Territory.version,
    Territory.updated_at,
)
DISTRIBUTOR_COLUMNS = (
    Distributor.id,
    Distributor.region,
    Distributor.name,
    Distributor.code,
    Distributor.phone,
    Distributor.email,
    Distributor.price_list,
    Distributor.version,
    Distributor.updated_at,
)


def to_region_read(row: dict[str, Any]) -> RegionRead:
    return RegionRead(
        id=row["id"],
        name=row["name"],
        code=row["code"],
        time_zone=row["time_zone"],
        currency=row["currency"],
        version=row["version"],
        updated_at=row["updated_at"],
    )


def _geometry(stored: Any) -> dict[str, Any] | None:
    """The stored shape (the `polygon` column, JSON text on SQLite) as GeoJSON."""
    value = json.loads(stored) if isinstance(stored, str) else stored
    return value or None


def to_territory_read(row: dict[str, Any]) -> TerritoryRead:
    return TerritoryRead(
        id=row["id"],
        region_id=row["region"],
        name=row["name"],
        code=row["code"],
        geometry=_geometry(row["polygon"]),
        polygon=_geometry(row["polygon"]),
        version=row["version"],
        updated_at=row["updated_at"],
    )


def to_distributor_read(row: dict[str, Any]) -> DistributorRead:
    return DistributorRead(
        id=row["id"],
        region_id=row["region"],
        name=row["name"],
        code=row["code"],
        phone=row["phone"],
        email=row["email"],
        price_list_id=row["price_list"],
        version=row["version"],
        updated_at=row["updated_at"],
    )


async def list_regions_where(condition: Any) -> list[RegionRead]:
    rows = await Region.select(*REGION_COLUMNS).where(condition).order_by(Region.name)
    return [to_region_read(r) for r in rows]


async def list_territories_where(condition: Any) -> list[TerritoryRead]:
    rows = (
        await Territory.select(*TERRITORY_COLUMNS)
        .where(condition)
        .order_by(Territory.name)
        .output(load_json=True)
    )
    return [to_territory_read(r) for r in rows]


async def list_distributors_where(condition: Any) -> list[DistributorRead]:
    rows = (
        await Distributor.select(*DISTRIBUTOR_COLUMNS).where(condition).order_by(Distributor.name)
    )
    return [to_distributor_read(r) for r in rows]


async def get_region_row(region_id: UUID) -> dict[str, Any] | None:
    return (
        await Region.select(*REGION_COLUMNS, Region.deleted_at)
        .where(Region.id == region_id)
        .first()
    )


async def get_territory_row(territory_id: UUID) -> dict[str, Any] | None:
    return (
        await Territory.select(*TERRITORY_COLUMNS, Territory.deleted_at)
        .where(Territory.id == territory_id)
        .output(load_json=True)
        .first()
    )


async def get_distributor_row(distributor_id: UUID) -> dict[str, Any] | None:
    return (
        await Distributor.select(*DISTRIBUTOR_COLUMNS, Distributor.deleted_at)
        .where(Distributor.id == distributor_id)
        .first()
    )


async def code_taken(table: Any, code: str, except_id: UUID | None = None) -> bool:
    """Whether another row (deleted ones too: the unique index covers them) has this code."""
    condition = table.code == code
    if except_id is not None:
        condition = condition & (table.id != except_id)
    return bool(await table.exists().where(condition))


async def count_live_customers_where(condition: Any) -> int:
    return int(await Customer.count().where(condition & Customer.deleted_at.is_null()))


async def count_live_territories_of_region(region_id: UUID) -> int:
    return int(
        await Territory.count().where(
            (Territory.region == region_id) & Territory.deleted_at.is_null()
        )
    )


async def count_live_distributors_of_region(region_id: UUID) -> int:
    return int(
        await Distributor.count().where(
            (Distributor.region == region_id) & Distributor.deleted_at.is_null()
        )
    )
