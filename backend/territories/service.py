"""Use cases for regions, territories and distributors: scoped reads, admin/manager writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from backend.accounts.principal import Principal
from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.scope import _never
from backend.territories import repository as repo
from backend.territories.core import polygon_errors
from backend.territories.schemas import (
    DistributorCreate,
    DistributorRead,
    DistributorUpdate,
    RegionCreate,
    RegionRead,
    RegionUpdate,
    TerritoryCreate,
    TerritoryRead,
    TerritoryUpdate,
)
from backend.territories.tables import Distributor, Region, Territory
from sync.changelog import record_change


def _now() -> datetime:
    return datetime.now(UTC)


def _changes(data: msgspec.Struct, table: Any) -> dict[Any, Any]:
    """The columns a partial update sets (UNSET fields are left alone)."""
    return {
        getattr(table, name): value
        for name in data.__struct_fields__
        if (value := getattr(data, name)) is not msgspec.UNSET
    }


# --- scope ----------------------------------------------------------------------------------


def region_condition(principal: Principal) -> Any:
    """Regions the principal may read: admin all, everyone with a region their own."""
    live = Region.deleted_at.is_null()
    if principal.is_admin:
        return live
    if principal.region_id is None or principal.role == "customer":
        return live & _never(Region.id)
    return live & (Region.id == principal.region_id)


def territory_condition(principal: Principal) -> Any:
    """Territories: admin all, manager their region, rep their own, others none."""
    live = Territory.deleted_at.is_null()
    if principal.is_admin:
        return live
    if principal.role == "manager" and principal.region_id is not None:
        return live & (Territory.region == principal.region_id)
    if principal.role == "rep" and principal.territory_ids:
        return live & Territory.id.is_in(list(principal.territory_ids))
    return live & _never(Territory.id)


def distributor_condition(principal: Principal) -> Any:
    """Distributors: admin all, manager and rep their region, a distributor itself."""
    live = Distributor.deleted_at.is_null()
    if principal.is_admin:
        return live
    if principal.role in ("manager", "rep") and principal.region_id is not None:
        return live & (Distributor.region == principal.region_id)
    if principal.role == "distributor" and principal.distributor_id is not None:
        return live & (Distributor.id == principal.distributor_id)
    return live & _never(Distributor.id)


def _region_visible(principal: Principal, row: dict[str, Any]) -> bool:
    return principal.is_admin or (principal.role != "customer" and row["id"] == principal.region_id)


def _territory_visible(principal: Principal, row: dict[str, Any]) -> bool:
    if principal.is_admin:
        return True
    if principal.role == "manager":
        return row["region"] == principal.region_id
    return principal.role == "rep" and row["id"] in principal.territory_ids


def _distributor_visible(principal: Principal, row: dict[str, Any]) -> bool:
    if principal.is_admin:
        return True
    if principal.role in ("manager", "rep"):
        return row["region"] == principal.region_id
    return principal.role == "distributor" and row["id"] == principal.distributor_id


def _may_write_territory(principal: Principal, region_id: UUID) -> bool:
    return principal.is_admin or (principal.role == "manager" and principal.region_id == region_id)


async def _taken(table: Any, code: str, except_id: UUID | None = None) -> None:
    if await repo.code_taken(table, code, except_id):
        raise Conflict(
            detail=f"The code {code!r} is taken.",
            errors=[FieldError("code", "already taken", "taken")],
        )


async def _bump(table: Any, row_id: UUID, values: dict[Any, Any]) -> None:
    values[table.version] = table.version + 1
    values[table.updated_at] = _now()
    await table.update(values).where(table.id == row_id)


async def _existing_is_ok(row: dict[str, Any] | None, visible: bool) -> bool:
    """A create with an id that exists: idempotent for a visible live row, else a conflict."""
    if row is None:
        return False
    if visible and row["deleted_at"] is None:
        return True
    raise Conflict(
        detail="A row with this id exists already.",
        errors=[FieldError("id", "already used", "taken")],
    )


# --- regions --------------------------------------------------------------------------------


async def list_regions(principal: Principal) -> list[RegionRead]:
    return await repo.list_regions_where(region_condition(principal))


async def get_region(principal: Principal, region_id: UUID) -> RegionRead:
    row = await repo.get_region_row(region_id)
    if row is None or row["deleted_at"] is not None or not _region_visible(principal, row):
        raise NotFound(detail="No such region.")
    return repo.to_region_read(row)


async def create_region(principal: Principal, data: RegionCreate) -> RegionRead:
    if not principal.is_admin:
        raise PermissionDenied(detail="Only admins create regions.")
    region_id = data.id or uuid4()
    async with write_transaction():
        if await _existing_is_ok(await repo.get_region_row(region_id), True):
            return await get_region(principal, region_id)
        await _taken(Region, data.code)
        await Region.insert(
            Region(
                id=region_id,
                name=data.name,
                code=data.code,
                time_zone=data.time_zone,
                currency=data.currency,
            )
        )
        await record_change("regions", region_id, "put")
    return await get_region(principal, region_id)


async def update_region(principal: Principal, region_id: UUID, data: RegionUpdate) -> RegionRead:
    async with write_transaction():
        current = await get_region(principal, region_id)
        if not principal.is_admin:
            raise PermissionDenied(detail="Only admins change regions.")
        values = _changes(data, Region)
        if values:
            if data.code is not msgspec.UNSET and data.code != current.code:
                await _taken(Region, data.code, region_id)
            await _bump(Region, region_id, values)
            await record_change("regions", region_id, "put")
    return await get_region(principal, region_id)


async def delete_region(principal: Principal, region_id: UUID) -> None:
    async with write_transaction():
        await get_region(principal, region_id)
        if not principal.is_admin:
            raise PermissionDenied(detail="Only admins delete regions.")
        if await repo.count_live_territories_of_region(
            region_id
        ) or await repo.count_live_distributors_of_region(region_id):
            raise Conflict(detail="The region still has territories or distributors.")
        await _bump(Region, region_id, {Region.deleted_at: _now()})
        await record_change("regions", region_id, "del")


# --- territories ----------------------------------------------------------------------------


def _check_polygon(polygon: dict[str, Any] | None) -> None:
    if polygon is not None and (errors := polygon_errors(polygon)):
        raise ValidationFailed(detail="The polygon is not valid GeoJSON.", errors=errors)


async def list_territories(
    principal: Principal, region_id: UUID | None = None
) -> list[TerritoryRead]:
    condition = territory_condition(principal)
    if region_id is not None:
        condition = condition & (Territory.region == region_id)
    return await repo.list_territories_where(condition)


async def get_territory(principal: Principal, territory_id: UUID) -> TerritoryRead:
    row = await repo.get_territory_row(territory_id)
    if row is None or row["deleted_at"] is not None or not _territory_visible(principal, row):
        raise NotFound(detail="No such territory.")
    return repo.to_territory_read(row)


async def create_territory(principal: Principal, data: TerritoryCreate) -> TerritoryRead:
    if not _may_write_territory(principal, data.region_id):
        raise PermissionDenied(detail="You may create territories only in your own region.")
    _check_polygon(data.polygon)
    territory_id = data.id or uuid4()
    async with write_transaction():
        existing = await repo.get_territory_row(territory_id)
        visible = existing is not None and _territory_visible(principal, existing)
        if await _existing_is_ok(existing, visible):
            return await get_territory(principal, territory_id)
        region = await repo.get_region_row(data.region_id)
        if region is None or region["deleted_at"] is not None:
            raise ValidationFailed(
                detail="No such region.",
                errors=[FieldError("region_id", "no such region", "unknown")],
            )
        await _taken(Territory, data.code)
        await Territory.insert(
            Territory(
                id=territory_id,
                region=data.region_id,
                name=data.name,
                code=data.code,
                polygon=data.polygon,
            )
        )
        await record_change("territories", territory_id, "put")
    return await get_territory(principal, territory_id)


async def update_territory(
    principal: Principal, territory_id: UUID, data: TerritoryUpdate
) -> TerritoryRead:
    if data.polygon is not msgspec.UNSET:
        _check_polygon(data.polygon)
    async with write_transaction():
        current = await get_territory(principal, territory_id)
        if not _may_write_territory(principal, current.region_id):
            raise PermissionDenied(detail="You may not change territories.")
        values = _changes(data, Territory)
        if values:
            if data.code is not msgspec.UNSET and data.code != current.code:
                await _taken(Territory, data.code, territory_id)
            await _bump(Territory, territory_id, values)
            await record_change("territories", territory_id, "put")
    return await get_territory(principal, territory_id)


async def delete_territory(principal: Principal, territory_id: UUID) -> None:
    async with write_transaction():
        current = await get_territory(principal, territory_id)
        if not _may_write_territory(principal, current.region_id):
            raise PermissionDenied(detail="You may not delete territories.")
        if await repo.count_live_customers_where(Customer.territory == territory_id):
            raise Conflict(
                detail="Customers are still assigned to this territory; move them first."
            )
        await _bump(Territory, territory_id, {Territory.deleted_at: _now()})
        await record_change("territories", territory_id, "del")


# --- distributors ---------------------------------------------------------------------------


async def list_distributors(principal: Principal) -> list[DistributorRead]:
    return await repo.list_distributors_where(distributor_condition(principal))


async def get_distributor(principal: Principal, distributor_id: UUID) -> DistributorRead:
    row = await repo.get_distributor_row(distributor_id)
    if row is None or row["deleted_at"] is not None or not _distributor_visible(principal, row):
        raise NotFound(detail="No such distributor.")
    return repo.to_distributor_read(row)


async def create_distributor(principal: Principal, data: DistributorCreate) -> DistributorRead:
    if not principal.is_admin:
        raise PermissionDenied(detail="Only admins create distributors.")
    distributor_id = data.id or uuid4()
    async with write_transaction():
        if await _existing_is_ok(await repo.get_distributor_row(distributor_id), True):
            return await get_distributor(principal, distributor_id)
        region = await repo.get_region_row(data.region_id)
        if region is None or region["deleted_at"] is not None:
            raise ValidationFailed(
                detail="No such region.",
                errors=[FieldError("region_id", "no such region", "unknown")],
            )
        await _taken(Distributor, data.code)
        await Distributor.insert(
            Distributor(
                id=distributor_id,
                region=data.region_id,
                name=data.name,
                code=data.code,
                phone=data.phone,
                email=data.email,
            )
        )
        await record_change("distributors", distributor_id, "put")
    return await get_distributor(principal, distributor_id)


async def update_distributor(
    principal: Principal, distributor_id: UUID, data: DistributorUpdate
) -> DistributorRead:
    async with write_transaction():
        current = await get_distributor(principal, distributor_id)
        if not principal.is_admin:
            raise PermissionDenied(detail="Only admins change distributors.")
        values = _changes(data, Distributor)
        if values:
            if data.code is not msgspec.UNSET and data.code != current.code:
                await _taken(Distributor, data.code, distributor_id)
            await _bump(Distributor, distributor_id, values)
            await record_change("distributors", distributor_id, "put")
    return await get_distributor(principal, distributor_id)


async def delete_distributor(principal: Principal, distributor_id: UUID) -> None:
    async with write_transaction():
        await get_distributor(principal, distributor_id)
        if not principal.is_admin:
            raise PermissionDenied(detail="Only admins delete distributors.")
        if await repo.count_live_customers_where(Customer.distributor == distributor_id):
            raise Conflict(detail="The distributor still serves customers.")
        await _bump(Distributor, distributor_id, {Distributor.deleted_at: _now()})
        await record_change("distributors", distributor_id, "del")
