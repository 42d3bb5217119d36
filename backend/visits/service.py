"""Visit use cases: plan, list, reschedule, check in and out, skip, cancel, delete.

Plain async functions of (principal, ...) so REST handlers and sync apply the same rules.
Every change bumps the version, lands in the change log and on the customer's timeline in
the same transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import msgspec
import structlog

from backend.accounts.principal import Principal, Role
from backend.accounts.tables import User
from backend.customers.core import decode_cursor, encode_cursor
from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.history.recorder import record_event
from backend.schemas import Page
from backend.scope import combine, customer_condition, customer_in_scope
from backend.visits import core
from backend.visits import repository as repo
from backend.visits.schemas import (
    CheckIn,
    CheckOut,
    VisitClose,
    VisitCreate,
    VisitRead,
    VisitStatus,
    VisitUpdate,
)
from backend.visits.tables import Visit
from sync.changelog import record_change

log = structlog.get_logger(__name__)
VISIT_ROLES = (Role.ADMIN, Role.MANAGER, Role.REP)
# Device clocks drift; a time further ahead than this is a broken clock, not a visit.
MAX_CLOCK_AHEAD = timedelta(minutes=10)


def _now() -> datetime:
    return datetime.now(UTC)


def _require_visit_role(principal: Principal) -> None:
    if principal.role not in VISIT_ROLES:
        raise PermissionDenied(detail="Visits are for reps, managers and admins.")


def visit_condition(principal: Principal) -> Any | None:
    """Which visits the principal may change: a rep their own, a manager the region, admin all."""
    if principal.role == Role.REP:
        return Visit.rep == principal.user_id
    return readable_visit_condition(principal)


def readable_visit_condition(principal: Principal) -> Any | None:
    """Which visits the principal reads (visibility.md): those of the customers they see, by
    every rep (the history is central); none for the partner roles. REST and sync ask this."""
    if principal.is_partner:
        return Visit.id.is_null()
    return customer_condition(principal, via=Visit.customer)


def _device_time(value: datetime | None, field: str, fallback: datetime) -> datetime:
    if value is None:
        return fallback
    value = value.astimezone(UTC)
    if value > _now() + MAX_CLOCK_AHEAD:
        raise ValidationFailed(
            detail="The device's clock is ahead of the server's.",
            errors=[FieldError(field, "lies in the future", "future")],
        )
    return value


def _check_position(lat: float | None, lng: float | None) -> None:
    if (lat is None) != (lng is None):
        raise ValidationFailed(
            detail="A position needs both latitude and longitude.",
            errors=[
                FieldError("lat" if lat is None else "lng", "give both or neither", "required")
            ],
        )


async def _check_rep(principal: Principal, rep_id: UUID) -> None:
    """The rep a visit is planned for must be one the principal may plan for."""
    if principal.role == Role.REP:
        if rep_id != principal.user_id:
            raise PermissionDenied(detail="Reps plan their own visits only.")
        return
    row = (
        await User.select(User.role, User.region, User.active)
        .where((User.id == rep_id) & User.deleted_at.is_null())
        .first()
    )
    ok = row is not None and row["role"] == "rep" and row["active"]
    if ok and principal.role == Role.MANAGER:
        ok = row is not None and row["region"] == principal.region_id
    if not ok:
        raise ValidationFailed(
            detail="Visits are planned for an active rep you manage.",
            errors=[FieldError("rep_id", "not an active rep of your region", "unknown")],
        )


async def _customer_for(
    principal: Principal, customer_id: UUID, field: str = "customer_id"
) -> dict[str, Any]:
    row = await repo.get_customer_row(customer_id)
    if row is None or not customer_in_scope(principal, row):
        raise NotFound(detail="No such customer.", errors=[FieldError(field, "unknown", "unknown")])
    return row


async def _load(principal: Principal, visit_id: UUID, *, read: bool = False) -> dict[str, Any]:
    _require_visit_role(principal)
    condition = readable_visit_condition(principal) if read else visit_condition(principal)
    row = await repo.get_visit_row(visit_id, condition)
    if row is None:
        raise NotFound(detail="No such visit.")
    return row


def _transition(row: dict[str, Any], action: str) -> str:
    try:
        return core.next_status(row["status"], action)
    except core.InvalidTransition as exc:
        raise Conflict(detail=str(exc), extra={"status_now": row["status"]}) from None


async def _save(
    row: dict[str, Any],
    values: dict[Any, Any],
    principal: Principal,
    *,
    step: str,
    summary: str,
    when: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    """Write the change, its change-log row and its history entry (inside a transaction)."""
    values[Visit.version] = Visit.version + 1
    values[Visit.updated_at] = _now()
    values[Visit.captured_at] = when
    await Visit.update(values).where(Visit.id == row["id"])
    await _journal(
        row["id"], row["customer"], principal, step=step, summary=summary, when=when, data=data
    )


async def _journal(
    visit_id: UUID,
    customer_id: UUID,
    principal: Principal,
    *,
    step: str,
    summary: str,
    when: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    await record_change("visits", visit_id, "put", customer_id=customer_id)
    await record_event(
        customer_id,
        "visit",
        ref_id=visit_id,
        actor_id=principal.user_id,
        summary=summary,
        data={"step": step, **(data or {})},
        captured_at=when,
    )


async def get_visit(principal: Principal, visit_id: UUID) -> VisitRead:
    return repo.to_visit_read(await _load(principal, visit_id, read=True))


async def plan_visit(
    principal: Principal, data: VisitCreate, *, captured_at: datetime | None = None
) -> VisitRead:
    """Plan a visit (reps for themselves, managers for reps of their region).

    Creating again with an id the same rep already used for the same customer returns that
    visit, so a device may retry; any other reuse of an id is a conflict.
    """
    _require_visit_role(principal)
    now = _now()
    when = _device_time(captured_at, "captured_at", now)
    rep_id = data.rep_id or (principal.user_id if principal.role == Role.REP else None)
    if rep_id is None:
        raise ValidationFailed(
            detail="Say which rep the visit is for.",
            errors=[FieldError("rep_id", "required", "required")],
        )
    visit_id = data.id or uuid4()
    async with write_transaction():
        customer = await _customer_for(principal, data.customer_id)
        await _check_rep(principal, rep_id)
        existing = await repo.get_any_visit_row(visit_id)
        if existing is not None:
            same = (
                existing["rep"] == rep_id
                and existing["customer"] == data.customer_id
                and existing["deleted_at"] is None
            )
            if same:
                return await get_visit(principal, visit_id)
            raise Conflict(
                detail="A visit with this id exists already.",
                errors=[FieldError("id", "already used", "taken")],
            )
        await Visit.insert(
            Visit(
                id=visit_id,
                customer=data.customer_id,
                rep=rep_id,
                status="planned",
                planned_start=(data.planned_start or when).astimezone(UTC),
                planned_duration_min=data.planned_duration_min
                or customer["visit_duration_min"]
                or 30,
                notes=data.notes,
                captured_at=when,
                created_at=now,
                updated_at=now,
            )
        )
        await _journal(
            visit_id,
            data.customer_id,
            principal,
            step="planned",
            summary="Visit planned",
            when=when,
            data={"status": "planned", "rep_id": str(rep_id)},
        )
    log.info("visits.planned", visit_id=str(visit_id), by=str(principal.user_id))
    return await get_visit(principal, visit_id)


async def update_visit(
    principal: Principal, visit_id: UUID, data: VisitUpdate, *, captured_at: datetime | None = None
) -> VisitRead:
    """Reschedule or reassign a planned visit."""
    when = _device_time(captured_at, "captured_at", _now())
    async with write_transaction():
        row = await _load(principal, visit_id)
        _transition(row, "reschedule")
        values: dict[Any, Any] = {}
        if data.rep_id is not msgspec.UNSET:
            await _check_rep(principal, data.rep_id)
            values[Visit.rep] = data.rep_id
        if data.planned_start is not msgspec.UNSET:
            values[Visit.planned_start] = data.planned_start.astimezone(UTC)
        if data.planned_duration_min is not msgspec.UNSET:
            values[Visit.planned_duration_min] = data.planned_duration_min
        if data.notes is not msgspec.UNSET:
            values[Visit.notes] = data.notes
        if values:
            await _save(
                row,
                values,
                principal,
                step="rescheduled",
                summary="Visit rescheduled",
                when=when,
                data={"status": "planned"},
            )
    return await get_visit(principal, visit_id)


_FAR_REASONS = {
    "pin_wrong": "the pin is in the wrong place",
    "met_elsewhere": "met the customer elsewhere",
    "gps_poor": "poor GPS signal",
    "other": "other",
}


def _far_text(data: CheckIn) -> str:
    """The reason for a check-in away from the pin, as the history summary shows it."""
    text = _FAR_REASONS.get(data.reason, data.reason)
    note = data.reason_note.strip()
    return f"{text} ({note})" if note and data.reason != "other" else (note or text)


async def check_in(
    principal: Principal, visit_id: UUID, data: CheckIn, *, captured_at: datetime | None = None
) -> VisitRead:
    """Arrive: verify the position against the customer's pin and start the visit."""
    _check_position(data.lat, data.lng)
    if data.reason == "other" and not data.reason_note.strip():
        raise ValidationFailed(
            detail="Say in a few words why you checked in away from the customer.",
            errors=[FieldError("reason_note", "required when the reason is other", "required")],
        )
    when = _device_time(data.captured_at or captured_at, "captured_at", _now())
    async with write_transaction():
        row = await _load(principal, visit_id)
        status = _transition(row, "check_in")
        customer = await repo.get_customer_row(row["customer"])
        verification, distance = core.verify_position(
            data.lat,
            data.lng,
            data.accuracy_m,
            customer["lat"] if customer else None,
            customer["lng"] if customer else None,
        )
        await _save(
            row,
            {
                Visit.status: status,
                Visit.check_in_at: when,
                Visit.check_in_lat: data.lat,
                Visit.check_in_lng: data.lng,
                Visit.check_in_accuracy_m: data.accuracy_m,
                Visit.check_in_verification: verification,
                Visit.check_in_distance_m: distance,
                Visit.check_in_reason: data.reason,
                Visit.check_in_reason_note: data.reason_note.strip(),
            },
            principal,
            step="check_in",
            when=when,
            summary=f"Checked in ({verification.replace('_', ' ')})"
            + (f": {_far_text(data)}" if data.reason else ""),
            data={
                "status": status,
                "verification": verification,
                "distance_m": None if distance is None else round(distance),
                "reason": data.reason,
                "reason_note": data.reason_note.strip(),
            },
        )
    # The distance is logged rounded; exact positions never are.
    log.info(
        "visits.checked_in",
        visit_id=str(visit_id),
        verification=verification,
        distance_m=None if distance is None else round(distance),
    )
    return await get_visit(principal, visit_id)


async def check_out(
    principal: Principal, visit_id: UUID, data: CheckOut, *, captured_at: datetime | None = None
) -> VisitRead:
    """Leave: record outcome, notes and next action; the customer's last visit moves on."""
    _check_position(data.lat, data.lng)
    when = _device_time(data.captured_at or captured_at, "captured_at", _now())
    async with write_transaction():
        row = await _load(principal, visit_id)
        status = _transition(row, "check_out")
        if row["check_in_at"] is not None and when < row["check_in_at"]:
            raise ValidationFailed(
                detail="Check-out cannot come before check-in.",
                errors=[FieldError("captured_at", "before check-in")],
            )
        notes = row["notes"] if data.notes is msgspec.UNSET else data.notes
        await _save(
            row,
            {
                Visit.status: status,
                Visit.check_out_at: when,
                Visit.check_out_lat: data.lat,
                Visit.check_out_lng: data.lng,
                Visit.check_out_accuracy_m: data.accuracy_m,
                Visit.outcome: data.outcome,
                Visit.notes: notes,
                Visit.next_action: data.next_action,
                Visit.next_action_due: data.next_action_due.astimezone(UTC)
                if data.next_action_due
                else None,
            },
            principal,
            step="check_out",
            when=when,
            summary=f"Visit done: {data.outcome.replace('_', ' ')}",
            data={
                "status": status,
                "outcome": data.outcome,
                "notes": notes[:500],
                "next_action": data.next_action[:500],
            },
        )
        await _touch_last_visit(row["customer"], when)
    log.info("visits.checked_out", visit_id=str(visit_id), outcome=data.outcome)
    return await get_visit(principal, visit_id)


async def _touch_last_visit(customer_id: UUID, when: datetime) -> None:
    # A visit synced late must not move the customer's last visit backwards.
    newer = Customer.last_visit_at.is_null() | (Customer.last_visit_at < when)
    where = (Customer.id == customer_id) & newer
    if await Customer.exists().where(where):
        await Customer.update(
            {
                Customer.last_visit_at: when,
                Customer.version: Customer.version + 1,
                Customer.updated_at: _now(),
            }
        ).where(where)
        await record_change("customers", customer_id, "put", customer_id=customer_id)


async def _close(
    principal: Principal,
    visit_id: UUID,
    data: VisitClose,
    action: str,
    captured_at: datetime | None,
) -> VisitRead:
    when = _device_time(data.captured_at or captured_at, "captured_at", _now())
    async with write_transaction():
        row = await _load(principal, visit_id)
        status = _transition(row, action)
        notes = f"{row['notes']}\n{data.reason}".strip() if row["notes"] else data.reason
        await _save(
            row,
            {Visit.status: status, Visit.notes: notes},
            principal,
            step=action,
            when=when,
            summary=f"Visit {status}: {data.reason}",
            data={"status": status, "reason": data.reason},
        )
    log.info(f"visits.{status}", visit_id=str(visit_id))
    return await get_visit(principal, visit_id)


async def skip_visit(
    principal: Principal, visit_id: UUID, data: VisitClose, *, captured_at: datetime | None = None
) -> VisitRead:
    """The rep did not go (no time, shop closed for good...): keep the plan, say why."""
    return await _close(principal, visit_id, data, "skip", captured_at)


async def cancel_visit(
    principal: Principal, visit_id: UUID, data: VisitClose, *, captured_at: datetime | None = None
) -> VisitRead:
    return await _close(principal, visit_id, data, "cancel", captured_at)


async def delete_visit(principal: Principal, visit_id: UUID) -> None:
    """Remove a visit planned by mistake (only while still planned); soft, so devices learn."""
    async with write_transaction():
        row = await _load(principal, visit_id)
        _transition(row, "reschedule")
        now = _now()
        await Visit.update(
            {Visit.deleted_at: now, Visit.version: Visit.version + 1, Visit.updated_at: now}
        ).where(Visit.id == visit_id)
        await record_change("visits", visit_id, "del", customer_id=row["customer"])


def _decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    values = decode_cursor(cursor)
    try:
        if not values or len(values) != 2:
            raise ValueError
        start = datetime.fromisoformat(values[0])
        if start.tzinfo is None:
            raise ValueError
        return start, UUID(values[1])
    except (TypeError, ValueError):
        raise ValidationFailed(
            detail="The cursor is not valid.", errors=[FieldError("cursor", "malformed")]
        ) from None


async def list_visits(
    principal: Principal,
    *,
    rep_id: UUID | None = None,
    customer_id: UUID | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    status: VisitStatus | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> Page[VisitRead]:
    """Visits in scope by planned start, filtered by rep, customer, period and status."""
    _require_visit_role(principal)
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value is not None and value.tzinfo is None:
            raise ValidationFailed(
                detail="Times need a UTC offset.",
                errors=[FieldError(name, "no time zone", "naive")],
            )
    condition = combine(
        Visit.deleted_at.is_null(),
        readable_visit_condition(principal),
        Visit.rep == rep_id if rep_id else None,
        Visit.customer == customer_id if customer_id else None,
        Visit.planned_start >= date_from if date_from else None,
        Visit.planned_start < date_to if date_to else None,
        Visit.status == status if status else None,
    )
    after = _decode_cursor(cursor) if cursor else None
    rows = await repo.list_visits_where(condition, limit + 1, after)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows and rows[-1]["planned_start"] is not None:
        next_cursor = encode_cursor([rows[-1]["planned_start"].isoformat(), str(rows[-1]["id"])])
    return Page(items=[repo.to_visit_read(r) for r in rows], next_cursor=next_cursor)
