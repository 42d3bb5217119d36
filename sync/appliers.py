"""Applying one device mutation through the same domain services as the REST API.

Each collection maps create/update/delete to its area's service functions, so validation,
authorization (checked now, against the scope that holds now) and the change log cannot be
bypassed. Customers and contacts are merged field by field against base_version
(sync/merge.py); orders and visits are owned documents: a stale base_version is refused,
never merged. A row deleted on the server answers `gone`; it never comes back.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

import msgspec

from backend.accounts.principal import Principal
from backend.errors import Conflict, DomainError, Gone, NotFound, ValidationFailed
from sync.collections import COLLECTIONS
from sync.merge import merge_fields
from sync.schemas import Mutation

T = TypeVar("T")


class NotSupported(DomainError):
    """The collection cannot be changed through sync (read-only or not built yet)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail, slug="not_supported")


@dataclass
class Applied:
    version: int | None
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def _convert(fields: dict[str, Any], schema: type[Any], **extra: Any) -> Any:
    try:
        return msgspec.convert({**fields, **extra}, schema, strict=False)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(detail=f"The mutation's fields are not valid: {exc}") from None


def _uuid(value: Any, name: str) -> UUID:
    if value is None:
        raise ValidationFailed(detail=f"{name} is required.")
    try:
        return UUID(str(value))
    except ValueError:
        raise ValidationFailed(detail=f"{name} is not a valid id.") from None


async def _row(collection: str, row_id: UUID) -> dict[str, Any] | None:
    table = COLLECTIONS[collection].table
    return (
        await table.select(table.id, table.version, table.deleted_at)
        .where(table.id == row_id)
        .first()
    )


async def _existing(collection: str, row_id: UUID, *, must_exist: bool) -> dict[str, Any] | None:
    row = await _row(collection, row_id)
    if row is not None and row["deleted_at"] is not None:
        raise Gone(detail="The row was deleted on the server.")
    if row is None and must_exist:
        raise NotFound(detail="No such row.")
    return row


async def _created(collection: str, row_id: UUID, call: Awaitable[T]) -> T:
    """Run a create; an id taken by a row deleted on the server answers `gone`.

    The services refuse a taken id with Conflict, so the deleted-row check costs a query
    only on that rare path instead of on every create.
    """
    try:
        return await call
    except Conflict:
        row = await _row(collection, row_id)
        if row is not None and row["deleted_at"] is not None:
            raise Gone(detail="The row was deleted on the server.") from None
        raise


def _owned_version_check(m: Mutation, row: dict[str, Any]) -> None:
    if m.base_version is not None and m.base_version != row["version"]:
        raise Conflict(
            detail="Changed on the server since your version; owned documents are never merged.",
            extra={"current_version": row["version"]},
        )


# --- customers and contacts: merged -------------------------------------------------------------


async def _merge(collection: str, m: Mutation) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from sync.fields import field_state

    fields = {k: v for k, v in m.fields.items() if k != "base_version"}
    state = await field_state(collection, m.id)
    result = merge_fields(fields, m.base_version, state)
    return result.apply, result.conflicts


async def customers(principal: Principal, m: Mutation) -> Applied:
    from backend.customers import service
    from backend.customers.schemas import CustomerCreate, CustomerUpdate

    if m.op == "create":
        data = _convert(m.fields, CustomerCreate, id=str(m.id))
        read = await _created(
            "customers",
            m.id,
            service.create_customer(principal, data, captured_at=m.captured_at),
        )
        return Applied(read.version)
    await _existing("customers", m.id, must_exist=True)
    if m.op == "delete":
        await service.delete_customer(principal, m.id)
        row = await _row("customers", m.id)
        return Applied(row["version"] if row else None)
    apply, conflicts = await _merge("customers", m)
    read = await service.update_customer(principal, m.id, _convert(apply, CustomerUpdate))
    return Applied(read.version, conflicts)


async def contacts(principal: Principal, m: Mutation) -> Applied:
    from backend.customers import contact_service as service
    from backend.customers.schemas import ContactCreate, ContactUpdate

    if m.op == "create":
        fields = dict(m.fields)
        customer_id = _uuid(fields.pop("customer_id", None), "customer_id")
        data = _convert(fields, ContactCreate, id=str(m.id))
        read = await _created(
            "contacts", m.id, service.create_contact(principal, customer_id, data)
        )
        return Applied(read.version)
    await _existing("contacts", m.id, must_exist=True)
    if m.op == "delete":
        await service.delete_contact(principal, m.id)
        row = await _row("contacts", m.id)
        return Applied(row["version"] if row else None)
    apply, conflicts = await _merge("contacts", m)
    read = await service.update_contact(principal, m.id, _convert(apply, ContactUpdate))
    return Applied(read.version, conflicts)


# --- owned documents ----------------------------------------------------------------------------

_VISIT_ACTIONS = {
    "check_in": "CheckIn",
    "check_out": "CheckOut",
    "skip": "VisitClose",
    "cancel": "VisitClose",
}


async def visits(principal: Principal, m: Mutation) -> Applied:
    """Visits: `fields.action` (check_in, check_out, skip, cancel) or a plain reschedule."""
    from backend.visits import schemas, service

    if m.op == "create":
        data = _convert(m.fields, schemas.VisitCreate, id=str(m.id))
        read = await _created(
            "visits", m.id, service.plan_visit(principal, data, captured_at=m.captured_at)
        )
        return Applied(read.version)
    row = await _existing("visits", m.id, must_exist=True)
    assert row is not None
    if m.op == "delete":
        await service.delete_visit(principal, m.id)
        after = await _row("visits", m.id)
        return Applied(after["version"] if after else None)
    _owned_version_check(m, row)
    fields = dict(m.fields)
    action = fields.pop("action", None)
    if action is None:
        read = await service.update_visit(
            principal, m.id, _convert(fields, schemas.VisitUpdate), captured_at=m.captured_at
        )
    elif action in _VISIT_ACTIONS:
        data = _convert(fields, getattr(schemas, _VISIT_ACTIONS[action]))
        fn = {
            "check_in": service.check_in,
            "check_out": service.check_out,
            "skip": service.skip_visit,
            "cancel": service.cancel_visit,
        }[action]
        read = await fn(principal, m.id, data, captured_at=m.captured_at)  # type: ignore[operator]
    else:
        raise ValidationFailed(detail=f"Unknown visit action {action!r}.")
    return Applied(read.version)


async def orders(principal: Principal, m: Mutation) -> Applied:
    """Orders: create (lines inside), or a status change; never merged, never deleted."""
    from backend.orders import service
    from backend.orders.schemas import OrderCreate, OrderStatusChange

    if m.op == "create":
        await _existing("orders", m.id, must_exist=False)
        read = await service.create_order(
            principal, _convert(m.fields, OrderCreate, id=str(m.id)), captured_at=m.captured_at
        )
        return Applied(read.version)
    row = await _existing("orders", m.id, must_exist=True)
    assert row is not None
    if m.op == "delete":
        raise NotSupported('Orders are not deleted; cancel them with status "cancelled".')
    _owned_version_check(m, row)
    read = await service.change_status(principal, m.id, _convert(m.fields, OrderStatusChange))
    return Applied(read.version)


async def quotes(principal: Principal, m: Mutation) -> Applied:
    """Quotes (backend.quoting): create, edit a draft, or a status change; never deleted."""
    from backend.quoting.sync_hooks import apply_quote

    if m.op != "create":
        row = await _existing("quotes", m.id, must_exist=True)
        assert row is not None
        if m.op == "delete":
            raise NotSupported("Quotes are not deleted; reject them or let them expire.")
        _owned_version_check(m, row)
    else:
        await _existing("quotes", m.id, must_exist=False)
    return Applied(await apply_quote(principal, m.op, m.id, m.fields, m.captured_at))


async def history(principal: Principal, m: Mutation) -> Applied:
    """History: a device adds notes (kind "note"); the timeline is never edited or deleted."""
    from backend.history import service
    from backend.history.schemas import NoteCreate

    if m.op != "create":
        raise NotSupported("History entries are never changed or deleted.")
    fields = dict(m.fields)
    kind = fields.pop("kind", "note")
    if kind != "note":
        raise NotSupported(f"Devices add notes only, not {kind!r} entries.")
    customer_id = _uuid(fields.pop("customer_id", None), "customer_id")
    data = _convert(fields, NoteCreate, id=str(m.id), captured_at=m.captured_at)
    await _created("history", m.id, service.add_note(principal, customer_id, data))
    row = await _row("history", m.id)
    return Applied(row["version"] if row else None)


async def routes(principal: Principal, m: Mutation) -> Applied:
    """Routes: the device re-orders the open stops of a day (fields.customer_ids)."""
    from geo import routes_service
    from geo.route_schemas import OrderUpdate

    if m.op != "update":
        raise NotSupported("Routes are planned on the server; devices only re-order stops.")
    await _existing("routes", m.id, must_exist=True)
    if m.base_version is None:
        raise ValidationFailed(detail="base_version is required to re-order a route.")
    data = _convert(m.fields, OrderUpdate, base_version=m.base_version)
    read = await routes_service.store_order(principal, m.id, data)
    return Applied(read.version)


_INBOX_REPORTS = ("read", "displayed", "clicked")


async def notifications(principal: Principal, m: Mutation) -> Applied:
    """The inbox: mark an entry read (fields {"read": true}) or displayed/clicked (action)."""
    from notifications import service

    if m.op != "update":
        raise NotSupported("Notifications are only marked read, displayed or clicked.")
    await _existing("notifications", m.id, must_exist=True)
    action = m.fields.get("action") or ("read" if m.fields.get("read") is True else None)
    if action not in _INBOX_REPORTS:
        raise ValidationFailed(detail='Send {"read": true} or an action: read, displayed, clicked.')
    read = await service.report(m.id, action, principal=principal)  # type: ignore[arg-type]
    return Applied(read.version)


APPLIERS = {
    "routes": routes,
    "notifications": notifications,
    "customers": customers,
    "contacts": contacts,
    "visits": visits,
    "orders": orders,
    "history": history,
}
APPLIERS["quotes"] = quotes


async def apply(principal: Principal, m: Mutation) -> Applied:
    """Apply one mutation (inside the caller's transaction); DomainErrors mean not applied."""
    fn = APPLIERS.get(m.collection)
    if fn is None:
        if m.collection in COLLECTIONS:
            raise NotSupported(f"{m.collection} cannot be changed through sync.")
        raise ValidationFailed(detail=f"Unknown collection {m.collection!r}.")
    return await fn(principal, m)
