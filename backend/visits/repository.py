"""Queries on visits; rows become VisitRead here."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from backend.customers.tables import Customer
from backend.visits.schemas import VisitRead
from backend.visits.tables import Visit

VISIT_COLUMNS = (
    Visit.id,
    Visit.customer,
    Visit.rep,
    Visit.status,
    Visit.planned_start,
    Visit.planned_duration_min,
    Visit.check_in_at,
    Visit.check_in_lat,
    Visit.check_in_lng,
    Visit.check_in_accuracy_m,
    Visit.check_in_verification,
    Visit.check_in_distance_m,
    Visit.check_in_reason,
    Visit.check_in_reason_note,
    Visit.check_out_at,
    Visit.check_out_lat,
    Visit.check_out_lng,
    Visit.check_out_accuracy_m,
    Visit.outcome,
    Visit.notes,
    Visit.next_action,
    Visit.next_action_due,
    Visit.captured_at,
    Visit.version,
    Visit.created_at,
    Visit.updated_at,
)


def to_visit_read(row: dict[str, Any]) -> VisitRead:
    values = {c._meta.name: row[c._meta.name] for c in VISIT_COLUMNS}
    values["customer_id"] = values.pop("customer")
    values["rep_id"] = values.pop("rep")
    return VisitRead(**values)


async def get_visit_row(visit_id: UUID, condition: Any = None) -> dict[str, Any] | None:
    """A live (not deleted) visit with its customer's scope columns, optionally limited."""
    where = (Visit.id == visit_id) & Visit.deleted_at.is_null()
    if condition is not None:
        where = where & condition
    return (
        await Visit.select(
            *VISIT_COLUMNS,
            Visit.customer.region.as_alias("customer_region"),
            Visit.customer.territory.as_alias("customer_territory"),
        )
        .where(where)
        .first()
    )


async def get_any_visit_row(visit_id: UUID) -> dict[str, Any] | None:
    """A visit by id, deleted or not, unscoped: for client-id collision checks."""
    return (
        await Visit.select(Visit.id, Visit.customer, Visit.rep, Visit.deleted_at)
        .where(Visit.id == visit_id)
        .first()
    )


async def list_visits_where(
    condition: Any, limit: int, after: tuple[datetime, UUID] | None
) -> list[dict[str, Any]]:
    """Visits matching a condition, by planned start then id, after a keyset cursor."""
    where = condition
    if after is not None:
        start, last_id = after
        where = where & (
            (Visit.planned_start > start) | ((Visit.planned_start == start) & (Visit.id > last_id))
        )
    return await (
        Visit.select(*VISIT_COLUMNS)
        .where(where)
        .order_by(Visit.planned_start, Visit.id)
        .limit(limit)
    )


async def get_customer_row(customer_id: UUID) -> dict[str, Any] | None:
    return (
        await Customer.select(
            Customer.id,
            Customer.region,
            Customer.territory,
            Customer.distributor,
            Customer.lat,
            Customer.lng,
            Customer.last_visit_at,
            Customer.visit_duration_min,
            Customer.name,
        )
        .where((Customer.id == customer_id) & Customer.deleted_at.is_null())
        .first()
    )
