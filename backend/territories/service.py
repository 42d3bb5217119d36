"""Use cases for regions, territories and distributors: scoped reads, admin/manager writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from backend.accounts import repository as accounts_repo
from backend.accounts.principal import Principal, Role
from backend.catalogue import repository as catalogue_repo
from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.scope import _never
from backend.territories import repository as repo
from backend.territories.core import geometry_errors, territory_colour
from backend.territories.schemas import (
    DistributorCreate,
    DistributorRead,
    DistributorUpdate,
    RegionCreate,
    RegionRead,
    RegionUpdate,
    TerritoryCreate,
    TerritoryFeature,
    TerritoryFeatureCollection,
    TerritoryImport,
    TerritoryImportResult,
    TerritoryProperties,
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


def region_condition(principal: Principal, *, live_only: bool = True) -> Any:
    """Regions the principal may read: admin all, everyone with a region their own (the
    partner roles none). Sync asks without `live_only`: a deleted row's del must still
    reach the devices that read it."""
    live = Region.deleted_at.is_null() if live_only else Region.id.is_not_null()
    if principal.is_admin:
        return live
    if principal.region_id is None or principal.is_partner:
        return live & _never(Region.id)
    return live & (Region.id == principal.region_id)


def territory_condition(principal: Principal, *, live_only: bool = True) -> Any:
    """Territories: admin all, manager their region, rep their own, others none."""
    live = Territory.deleted_at.is_null() if live_only else Territory.id.is_not_null()
    if principal.is_admin:
        return live
    if principal.role == Role.MANAGER and principal.region_id is not None:
        return live & (Territory.region == principal.region_id)
    if principal.role == Role.REP and principal.territory_ids:
        return live & Territory.id.is_in(list(principal.territory_ids))
    return live & _never(Territory.id)


def distributor_condition(principal: Principal) -> Any:
    """Distributors: admin all, manager and rep their region, a distributor itself."""
    live = Distributor.deleted_at.is_null()
    if principal.is_admin:
        return live
    if principal.role in (Role.MANAGER, Role.REP) and principal.region_id is not None:
        return live & (Distributor.region == principal.region_id)
    if principal.role == Role.DISTRIBUTOR and principal.distributor_id is not None:
        return live & (Distributor.id == principal.distributor_id)
    return live & _never(Distributor.id)


def _region_visible(principal: Principal, row: dict[str, Any]) -> bool:
    return principal.is_admin or (not principal.is_partner and row["id"] == principal.region_id)


def _territory_visible(principal: Principal, row: dict[str, Any]) -> bool:
    if principal.is_admin:
        return True
    if principal.role == Role.MANAGER:
        return row["region"] == principal.region_id
    return principal.role == Role.REP and row["id"] in principal.territory_ids


def _distributor_visible(principal: Principal, row: dict[str, Any]) -> bool:
    if principal.is_admin:
        return True
    if principal.role in (Role.MANAGER, Role.REP):
        return row["region"] == principal.region_id
    return principal.role == Role.DISTRIBUTOR and row["id"] == principal.distributor_id


def _may_write_territory(principal: Principal, region_id: UUID) -> bool:
    return principal.is_admin or (
        principal.role == Role.MANAGER and principal.region_id == region_id
    )


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


def _check_geometry(geometry: dict[str, Any] | None, field: str = "geometry") -> None:
    if geometry is not None and (errors := geometry_errors(geometry, field)):
        raise ValidationFailed(detail=f"The {field} is not a valid territory shape.", errors=errors)


def _pick_geometry(geometry: Any, polygon: Any) -> tuple[Any, str]:
    """`geometry`, or the first round's `polygon` when only that is sent; (value, field)."""
    if polygon is msgspec.UNSET or (polygon is None and geometry is not msgspec.UNSET):
        return geometry, "geometry"
    if geometry is msgspec.UNSET or geometry is None:
        return polygon, "polygon"
    if geometry != polygon:
        raise ValidationFailed(
            detail="Send the shape once, as `geometry`.",
            errors=[FieldError("polygon", "differs from geometry", "conflict")],
        )
    return geometry, "geometry"


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
    geometry, field = _pick_geometry(data.geometry, data.polygon)
    _check_geometry(geometry, field)
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
                polygon=geometry,
            )
        )
        await record_change("territories", territory_id, "put")
    return await get_territory(principal, territory_id)


async def update_territory(
    principal: Principal, territory_id: UUID, data: TerritoryUpdate
) -> TerritoryRead:
    geometry, field = _pick_geometry(data.geometry, data.polygon)
    if geometry is not msgspec.UNSET:
        _check_geometry(geometry, field)
    async with write_transaction():
        current = await get_territory(principal, territory_id)
        if not _may_write_territory(principal, current.region_id):
            raise PermissionDenied(detail="You may not change territories.")
        values = _changes(
            msgspec.structs.replace(data, geometry=msgspec.UNSET, polygon=msgspec.UNSET), Territory
        )
        if geometry is not msgspec.UNSET:
            values[Territory.polygon] = geometry
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


async def territories_geojson(
    principal: Principal, region_id: UUID | None = None
) -> TerritoryFeatureCollection:
    """The visible territories as a GeoJSON FeatureCollection for maps (and export)."""
    territories = await list_territories(principal, region_id)
    reps = await accounts_repo.active_rep_ids_by_territory([t.id for t in territories])
    return TerritoryFeatureCollection(
        features=[
            TerritoryFeature(
                id=t.id,
                geometry=t.geometry,
                properties=TerritoryProperties(
                    id=t.id,
                    code=t.code,
                    name=t.name,
                    region_id=t.region_id,
                    rep_ids=sorted(reps.get(t.id, []), key=str),
                    colour=territory_colour(t.code),
                ),
            )
            for t in territories
        ]
    )


async def import_geojson(
    principal: Principal, data: TerritoryImport, *, dry_run: bool = False
) -> TerritoryImportResult:
    """Set the shapes of existing territories from a FeatureCollection, matched by code.

    All or nothing: an unknown code, a territory out of the caller's reach or a bad shape
    refuses the whole file, naming the feature.
    """
    if principal.role not in (Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(detail="Only admins and managers import territory shapes.")
    visible = {t.code: t for t in await list_territories(principal)}
    errors: list[FieldError] = []
    plan: list[tuple[TerritoryRead, dict[str, Any] | None]] = []
    seen: set[str] = set()
    for i, feature in enumerate(data.features):
        code = feature.properties.get("code")
        where = f"features[{i}]"
        territory = visible.get(code) if isinstance(code, str) else None
        if territory is None or not _may_write_territory(principal, territory.region_id):
            errors.append(FieldError(f"{where}.properties.code", "no such territory", "unknown"))
            continue
        if code in seen:
            errors.append(FieldError(f"{where}.properties.code", "appears twice", "duplicate"))
            continue
        seen.add(territory.code)
        if feature.geometry is not None:
            errors.extend(geometry_errors(feature.geometry, f"{where}.geometry"))
        plan.append((territory, feature.geometry))
    if errors:
        raise ValidationFailed(
            detail="The file was not imported; nothing was changed.", errors=errors[:50]
        )
    changed = [t for t, g in plan if t.geometry != g]
    if not dry_run and changed:
        shapes = {t.id: g for t, g in plan}
        async with write_transaction():
            for t in changed:
                await _bump(Territory, t.id, {Territory.polygon: shapes[t.id]})
                await record_change("territories", t.id, "put")
    changed_codes = {t.code for t in changed}
    return TerritoryImportResult(
        dry_run=dry_run,
        updated=sorted(changed_codes),
        unchanged=sorted(t.code for t, _ in plan if t.code not in changed_codes),
    )


# --- distributors ---------------------------------------------------------------------------


async def list_distributors(principal: Principal) -> list[DistributorRead]:
    return await repo.list_distributors_where(distributor_condition(principal))


async def get_distributor(principal: Principal, distributor_id: UUID) -> DistributorRead:
    row = await repo.get_distributor_row(distributor_id)
    if row is None or row["deleted_at"] is not None or not _distributor_visible(principal, row):
        raise NotFound(detail="No such distributor.")
    return repo.to_distributor_read(row)


# Distributors are no sync collection: their users' scope (the customers they serve, their
# price list) is followed through the customers' moves and the cursor's scope facts.


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
    return await get_distributor(principal, distributor_id)


async def _check_price_list(price_list_id: UUID | None) -> None:
    """A distributor's orders are priced with this list: it must exist (None unlinks it)."""
    if price_list_id is not None and await catalogue_repo.get_price_list_row(price_list_id) is None:
        raise ValidationFailed(
            detail="No such price list; the distributor was not changed.",
            errors=[FieldError("price_list_id", "no such price list", "unknown")],
        )


async def update_distributor(
    principal: Principal, distributor_id: UUID, data: DistributorUpdate
) -> DistributorRead:
    async with write_transaction():
        current = await get_distributor(principal, distributor_id)
        if not principal.is_admin:
            raise PermissionDenied(detail="Only admins change distributors.")
        values = _changes(msgspec.structs.replace(data, price_list_id=msgspec.UNSET), Distributor)
        if data.price_list_id is not msgspec.UNSET:
            await _check_price_list(data.price_list_id)
            values[Distributor.price_list] = data.price_list_id
        if values:
            if data.code is not msgspec.UNSET and data.code != current.code:
                await _taken(Distributor, data.code, distributor_id)
            await _bump(Distributor, distributor_id, values)
    return await get_distributor(principal, distributor_id)


async def delete_distributor(principal: Principal, distributor_id: UUID) -> None:
    async with write_transaction():
        await get_distributor(principal, distributor_id)
        if not principal.is_admin:
            raise PermissionDenied(detail="Only admins delete distributors.")
        if await repo.count_live_customers_where(Customer.distributor == distributor_id):
            raise Conflict(detail="The distributor still serves customers.")
        await _bump(Distributor, distributor_id, {Distributor.deleted_at: _now()})
