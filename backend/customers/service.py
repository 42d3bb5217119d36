"""Customer use cases: scoped reads and validated writes, each with its change-log entry."""

from __future__ import annotations

import json
import zoneinfo
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID, uuid4

import msgspec

from backend.accounts.principal import Principal, Role
from backend.catalogue.tables import PriceList
from backend.customers import core
from backend.customers import repository as repo
from backend.customers.schemas import (
    CustomerCreate,
    CustomerRead,
    CustomerUpdate,
)
from backend.customers.tables import Customer
from backend.customers.visibility import PUBLIC, shaped
from backend.db import is_unique_violation, write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.history.recorder import record_event
from backend.scope import customer_in_scope
from backend.territories.tables import Distributor, Territory
from backend.texts import field_names
from sync.changelog import current_batch, record_change

WRITERS = ("admin", "manager", "rep")
# Fields a rep may not set: they decide money, prices and who looks after the customer.
REP_PROTECTED = ("code", "territory_id", "distributor_id", "price_list_id", "credit_limit")
MAX_CREDIT = Decimal("999999999999.99")


def _now() -> datetime:
    return datetime.now(UTC)


def _stored(row: dict[str, Any], name: str) -> Any:
    value = row[name]
    return json.loads(value) if name == "opening_hours" and isinstance(value, str) else value


def _same(new: Any, old: Any) -> bool:
    """A field's new value equals the stored one (decimal text, JSON and ids compared as such)."""
    if new is None or old is None:
        return new is None and old is None
    if isinstance(new, dict | list) or isinstance(old, dict | list):
        return bool(new == old)
    if isinstance(new, Decimal | float | int) and not isinstance(new, bool):
        try:
            return Decimal(str(new)) == Decimal(str(old))
        except ArithmeticError:
            return False
    return str(new) == str(old)


def _set(value: Any) -> bool:
    return value is not msgspec.UNSET


# --- reads ----------------------------------------------------------------------------------


async def customer_row_in_scope(principal: Principal, customer_id: UUID) -> dict[str, Any]:
    """The customer's scope columns if the principal may see it; NotFound otherwise.

    Other areas (contacts, history, visits, orders) use this to scope rows hanging off a customer.
    """
    # Inside a sync push the scope row is read once per customer (the batch forgets it when
    # the customer is written): a push of 100 contacts would read it 100 times otherwise.
    batch = current_batch()
    row = batch.scope_rows.get(customer_id) if batch is not None else None
    if row is None:
        row = await repo.get_customer_scope_row(customer_id)
        if batch is not None and row is not None:
            batch.scope_rows[customer_id] = row
    if row is None or row["deleted_at"] is not None or not customer_in_scope(principal, row):
        raise NotFound(detail="No such customer.")
    return dict(row)


def require_writer(principal: Principal, what: str = "change customers") -> None:
    if principal.role not in WRITERS:
        raise PermissionDenied(detail=f"Your role may not {what}.")


async def get_customer(principal: Principal, customer_id: UUID) -> CustomerRead:
    row = await repo.get_customer_row(customer_id)
    if row is None or row["deleted_at"] is not None or not customer_in_scope(principal, row):
        raise NotFound(detail="No such customer.")
    return shaped(principal, repo.to_customer_read(row))  # type: ignore[no-any-return]


def _scope_of(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "territory": values.get("territory"),
        "distributor": values.get("distributor"),
        "region": values.get("region"),
    }


async def _resolve_links(
    principal: Principal,
    merged: dict[str, Any],
    errors: list[FieldError],
    before: dict[str, Any] | None = None,
) -> None:
    """Check territory, distributor and price list; the region follows the territory.

    On an update (`before` is the stored row) only links that change are looked up: a
    territory never changes region, so a kept territory keeps the region it gave, and a
    link retired since it was set does not stop an edit of the customer's other fields.
    """

    def changed(name: str) -> bool:
        return before is None or merged[name] != before[name]

    if merged["territory"] is not None and changed("territory"):
        t = (
            await Territory.select(Territory.region)
            .where((Territory.id == merged["territory"]) & Territory.deleted_at.is_null())
            .first()
        )
        if t is None:
            errors.append(FieldError("territory_id", "no such territory", "unknown"))
        else:
            merged["region"] = t["region"]
    if merged["distributor"] is not None and (changed("distributor") or changed("region")):
        d = (
            await Distributor.select(Distributor.region)
            .where((Distributor.id == merged["distributor"]) & Distributor.deleted_at.is_null())
            .first()
        )
        if d is None:
            errors.append(FieldError("distributor_id", "no such distributor", "unknown"))
        elif merged["region"] is not None and d["region"] != merged["region"]:
            errors.append(
                FieldError("distributor_id", "the distributor works in another region", "region")
            )
    if (
        merged["price_list"] is not None
        and changed("price_list")
        and not await PriceList.exists().where(
            (PriceList.id == merged["price_list"]) & PriceList.deleted_at.is_null()
        )
    ):
        errors.append(FieldError("price_list_id", "no such price list", "unknown"))


def _check_fields(merged: dict[str, Any], errors: list[FieldError]) -> None:
    errors.extend(core.country_errors(merged["country"]))
    errors.extend(core.opening_hours_errors(merged["opening_hours"]))
    if (merged["lat"] is None) != (merged["lng"] is None):
        errors.append(FieldError("lat", "give both lat and lng, or neither", "coordinates"))
    try:
        zoneinfo.ZoneInfo(merged["time_zone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.append(
            FieldError("time_zone", f"unknown time zone {merged['time_zone']!r}", "time_zone")
        )
    credit = merged["credit_limit"]
    try:
        if not credit.is_finite() or credit < 0 or credit > MAX_CREDIT:
            raise InvalidOperation
        merged["credit_limit"] = credit.quantize(repo.CENTS)
        if merged["credit_limit"] != credit:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(
            FieldError("credit_limit", "must be 0 or more, with at most 2 decimals", "range")
        )


def _check_role_reach(principal: Principal, merged: dict[str, Any]) -> None:
    """Managers work in their region and reps in their territories, also after the change."""
    if principal.is_admin:
        return
    if principal.role == Role.MANAGER and merged["region"] != principal.region_id:
        raise PermissionDenied(detail="Customers must stay in your region.")
    if principal.role == Role.REP and merged["territory"] not in principal.territory_ids:
        raise PermissionDenied(detail="Customers must stay in your territories.")


async def _taken(code: str, except_id: UUID | None = None) -> None:
    if await repo.code_taken(code, except_id):
        raise Conflict(
            detail=f"The customer code {code!r} is taken.",
            errors=[FieldError("code", "already taken", "taken")],
        )


def _invalid(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(detail="The customer is not valid.", errors=errors)


_FIELD_COLUMNS = {
    "territory_id": "territory",
    "distributor_id": "distributor",
    "price_list_id": "price_list",
    "region_id": "region",
}


async def create_customer(
    principal: Principal, data: CustomerCreate, *, captured_at: datetime | None = None
) -> CustomerRead:
    """Create a customer (reps: prospects in their territories); id may come from a device.

    captured_at (the device's clock, from sync) is accepted for symmetry with other creates;
    a customer row has no field for it.
    """
    require_writer(principal, "create customers")
    if principal.role == Role.REP:
        given = [
            f
            for f in REP_PROTECTED
            if f != "code" and f != "territory_id" and getattr(data, f) not in (None, Decimal("0"))
        ]
        if given:
            raise PermissionDenied(detail=f"Reps may not set {', '.join(given)}.")
    customer_id = data.id or uuid4()
    merged: dict[str, Any] = {
        _FIELD_COLUMNS.get(f, f): getattr(data, f) for f in data.__struct_fields__ if f != "id"
    }
    if principal.role == Role.MANAGER and merged["region"] is None and merged["territory"] is None:
        merged["region"] = principal.region_id
    if principal.role == Role.REP and not merged["segment"]:
        merged["segment"] = "prospect"
    errors: list[FieldError] = []
    _check_fields(merged, errors)
    region_given = merged["region"]
    await _resolve_links(principal, merged, errors)
    if (
        region_given is not None
        and merged["territory"] is not None
        and (region_given != merged["region"])
    ):
        errors.append(FieldError("region_id", "the territory is in another region", "region"))
    _check_role_reach(principal, merged)
    _invalid(errors)
    merged["geocode_quality"] = core.location_source(
        merged, pinned=merged["lat"] is not None, address_changed=True, before="none"
    )
    merged["search_text"] = core.search_text(
        merged["name"], merged["code"], merged["street"], merged["city"], merged["postal_code"]
    )
    async with write_transaction():
        existing = await repo.get_customer_scope_row(customer_id)
        if existing is not None:
            if existing["deleted_at"] is None and customer_in_scope(principal, existing):
                return await get_customer(principal, customer_id)
            raise Conflict(
                detail="A customer with this id exists already.",
                errors=[FieldError("id", "already used", "taken")],
            )
        await _taken(merged["code"])
        try:
            await Customer.insert(Customer(id=customer_id, **merged))
        except Exception as exc:
            # Two creates racing past the check on PostgreSQL: the unique index decides.
            if is_unique_violation(exc):
                raise Conflict(
                    detail=f"The customer code {merged['code']!r} or id is taken.",
                    errors=[FieldError("code", "already taken", "taken")],
                ) from exc
            raise
        await record_event(
            customer_id,
            "customer_created",
            ref_id=customer_id,
            actor_id=principal.user_id,
            summary=(
                "Prospect created: " if merged["segment"] == "prospect" else "Customer created: "
            )
            + merged["name"],
            data={"code": merged["code"], "segment": merged["segment"]},
            captured_at=captured_at,
        )
        await record_change(
            "customers",
            customer_id,
            "put",
            customer_id=customer_id,
            user_id=principal.user_id,
            scope_to=_scope_of(merged),
        )
    return await get_customer(principal, customer_id)


async def update_customer(
    principal: Principal,
    customer_id: UUID,
    data: CustomerUpdate,
    *,
    base_version: int | None = None,
    captured_at: datetime | None = None,
) -> CustomerRead:
    """Change some fields; a stale base_version is a Conflict carrying the current version.

    captured_at: the device's clock (sync), kept on the history entry of the change. The
    customer's history names who changed which fields (`customer_updated`), with the values
    of the public fields only: internal values stay out of the timeline."""
    if base_version is None and _set(data.base_version):
        base_version = data.base_version  # type: ignore[assignment]
    async with write_transaction():
        row = await repo.get_customer_row(customer_id)
        if row is None or row["deleted_at"] is not None or not customer_in_scope(principal, row):
            raise NotFound(detail="No such customer.")
        require_writer(principal)
        changes = {
            f: getattr(data, f)
            for f in data.__struct_fields__
            if f != "base_version" and _set(getattr(data, f))
        }
        if principal.role == Role.REP:
            touched = [
                f
                for f in REP_PROTECTED
                if f in changes and changes[f] != row[_FIELD_COLUMNS.get(f, f)]
            ]
            if touched:
                raise PermissionDenied(detail=f"Reps may not change {', '.join(touched)}.")
        if base_version is not None and base_version != row["version"]:
            raise Conflict(
                detail="Someone else changed this customer first.",
                extra={"current_version": row["version"]},
            )
        if not changes:
            return repo.to_customer_read(row)
        merged = dict(row)
        merged["credit_limit"] = Decimal(str(row["credit_limit"]))
        for f, value in changes.items():
            merged[_FIELD_COLUMNS.get(f, f)] = value
        errors: list[FieldError] = []
        _check_fields(merged, errors)
        await _resolve_links(principal, merged, errors, row)
        _check_role_reach(principal, merged)
        _invalid(errors)
        if "code" in changes and changes["code"] != row["code"]:
            await _taken(changes["code"], customer_id)
        merged["geocode_quality"] = core.location_source(
            merged,
            pinned="lat" in changes or "lng" in changes,
            address_changed=any(f in changes and changes[f] != row[f] for f in core.ADDRESS_FIELDS),
            before=row["geocode_quality"],
        )
        merged["search_text"] = core.search_text(
            merged["name"], merged["code"], merged["street"], merged["city"], merged["postal_code"]
        )
        columns = {f for f in changes} | {"search_text", "geocode_quality", "region"}
        values: dict[Any, Any] = {
            getattr(Customer, _FIELD_COLUMNS.get(f, f)): merged[_FIELD_COLUMNS.get(f, f)]
            for f in columns
        }
        values[Customer.version] = Customer.version + 1
        values[Customer.updated_at] = _now()
        written = await repo.update_customer_returning(customer_id, values)
        await _record_edit(principal, customer_id, row, changes, captured_at)
        before, after = _scope_of(row), _scope_of(merged)
        moved = before != after
        await record_change(
            "customers",
            customer_id,
            "put",
            customer_id=customer_id,
            user_id=principal.user_id,
            scope_from=before if moved else None,
            scope_to=after if moved else None,
            row=written,
        )
    # The principal still reaches the customer (_check_role_reach): no read-back needed.
    return repo.to_customer_read(written)


async def _record_edit(
    principal: Principal,
    customer_id: UUID,
    row: dict[str, Any],
    changes: dict[str, Any],
    captured_at: datetime | None,
) -> None:
    """A `customer_updated` history entry naming the author and the fields that changed."""
    fields = sorted(
        f for f, v in changes.items() if not _same(v, _stored(row, _FIELD_COLUMNS.get(f, f)))
    )
    if not fields:
        return
    values = {f: None if changes[f] is None else str(changes[f]) for f in fields if f in PUBLIC}
    await record_event(
        customer_id,
        "customer_updated",
        actor_id=principal.user_id,
        summary=f"Changed: {field_names(fields, 'en')}",
        data={"fields": fields, "values": values},
        captured_at=captured_at,
    )


async def delete_customer(
    principal: Principal, customer_id: UUID, *, base_version: int | None = None
) -> None:
    """Soft-delete (admins and managers); devices learn of it through a "del" change."""
    async with write_transaction():
        row = await customer_row_in_scope(principal, customer_id)
        if principal.role not in (Role.ADMIN, Role.MANAGER):
            raise PermissionDenied(detail="Only admins and managers delete customers.")
        if base_version is not None:
            current = (
                await Customer.select(Customer.version).where(Customer.id == customer_id).first()
            )
            if current and current["version"] != base_version:
                raise Conflict(
                    detail="Someone else changed this customer first.",
                    extra={"current_version": current["version"]},
                )
        now = _now()
        await Customer.update(
            {
                Customer.deleted_at: now,
                Customer.version: Customer.version + 1,
                Customer.updated_at: now,
            }
        ).where(Customer.id == customer_id)
        await record_change(
            "customers",
            customer_id,
            "del",
            customer_id=customer_id,
            user_id=principal.user_id,
            scope_from=_scope_of(row),
        )


async def apply_geocode(customer_id: UUID, lat: float, lng: float, quality: str) -> bool:
    """Store a geocoder result unless someone pinned the customer by hand; True if stored."""
    async with write_transaction():
        row = (
            await Customer.select(Customer.geocode_quality, Customer.deleted_at)
            .where(Customer.id == customer_id)
            .first()
        )
        if row is None or row["deleted_at"] is not None or row["geocode_quality"] == "manual":
            return False
        await Customer.update(
            {
                Customer.lat: lat,
                Customer.lng: lng,
                Customer.geocode_quality: quality,
                Customer.version: Customer.version + 1,
                Customer.updated_at: _now(),
            }
        ).where(Customer.id == customer_id)
        await record_change("customers", customer_id, "put", customer_id=customer_id)
    return True
