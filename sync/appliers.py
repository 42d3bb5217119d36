"""Applying one device mutation through the same domain services as the REST API.

Each area's collection (`<area>/sync.py`) maps create/update/delete to its service functions
with the helpers here, so validation,
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

from backend.edge.input_check import date_problems
from backend.errors import Conflict, DomainError, Gone, NotFound, ValidationFailed
from backend.principal import Principal
from sync.collections import COLLECTIONS, UnknownCollection, get
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


def convert(fields: dict[str, Any], schema: type[Any], **extra: Any) -> Any:
    """A mutation's fields as the area's schema, its dates held to the edge's range like a
    REST body: a bad one is rejected alone, never a 500."""
    try:
        value = msgspec.convert({**fields, **extra}, schema, strict=False)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(detail=f"The mutation's fields are not valid: {exc}") from None
    # Control characters and oversized integers were refused by the push itself
    # (sync/push.py invalid_fields) before any applier ran: only dates are left to check.
    errors = date_problems(value)
    if errors:
        # Named as in the mutation (fields.notes), like the push's own checks.
        for e in errors:
            e.field = f"fields.{e.field}" if e.field not in ("", "body") else "fields"
        raise ValidationFailed(detail="The mutation's fields are not valid.", errors=errors)
    return value


def uuid_field(value: Any, name: str) -> UUID:
    if value is None:
        raise ValidationFailed(detail=f"{name} is required.")
    try:
        return UUID(str(value))
    except ValueError:
        raise ValidationFailed(detail=f"{name} is not a valid id.") from None


async def row_of(collection: str, row_id: UUID) -> dict[str, Any] | None:
    table = COLLECTIONS[collection].table
    return (
        await table.select(table.id, table.version, table.deleted_at)
        .where(table.id == row_id)
        .first()
    )


async def existing(collection: str, row_id: UUID, *, must_exist: bool) -> dict[str, Any] | None:
    row = await row_of(collection, row_id)
    if row is not None and row["deleted_at"] is not None:
        raise Gone(detail="The row was deleted on the server.")
    if row is None and must_exist:
        raise NotFound(detail="No such row.")
    return row


async def created(collection: str, row_id: UUID, call: Awaitable[T]) -> T:
    """Run a create; an id taken by a row deleted on the server answers `gone`.

    The services refuse a taken id with Conflict, so the deleted-row check costs a query
    only on that rare path instead of on every create.
    """
    try:
        return await call
    except Conflict:
        row = await row_of(collection, row_id)
        if row is not None and row["deleted_at"] is not None:
            raise Gone(detail="The row was deleted on the server.") from None
        raise


def owned_version_check(m: Mutation, row: dict[str, Any]) -> None:
    if m.base_version is not None and m.base_version != row["version"]:
        raise Conflict(
            detail="Changed on the server since your version; owned documents are never merged.",
            extra={"current_version": row["version"]},
        )


async def merge(collection: str, m: Mutation) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The fields to apply and the conflicts reported, merged field by field (sync/merge.py)."""
    from sync.fields import field_state

    fields = {k: v for k, v in m.fields.items() if k != "base_version"}
    state = await field_state(collection, m.id)
    result = merge_fields(fields, m.base_version, state)
    return result.apply, result.conflicts


async def apply(principal: Principal, m: Mutation) -> Applied:
    """Apply one mutation (inside the caller's transaction); DomainErrors mean not applied."""
    try:
        coll = get(m.collection)
    except UnknownCollection:
        raise ValidationFailed(detail=f"Unknown collection {m.collection!r}.") from None
    if coll.apply is None:
        raise NotSupported(f"{m.collection} cannot be changed through sync.")
    return await coll.apply(principal, m)
