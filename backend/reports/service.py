"""Plan vs actual: who may ask for whom, the checked range, and the figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from backend.accounts import service as accounts
from backend.accounts.schemas import UserRead
from backend.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.principal import Principal, Role
from backend.reports import core
from backend.reports import repository as repo
from backend.reports.schemas import PlanActualRead
from backend.territories import service as territories

MAX_DAYS = 366
DEFAULT_DAYS = 7


def _date(value: str | None, name: str, default: date | None) -> date | None:
    if value is None or value == "":
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            detail=f"'{name}' must be a date such as 2026-12-01.",
            errors=[FieldError(name, "not a date (YYYY-MM-DD)", "invalid_date")],
        ) from None
    if not 1900 <= day.year <= 2999:
        raise ValidationFailed(
            detail=f"'{name}' must be between 1900 and 2999.",
            errors=[FieldError(name, "out of range (1900-2999)", "out_of_range")],
        )
    return day


def check_range(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date]:
    """The asked days: both ends included, from ≤ to, at most MAX_DAYS (422 naming the field)."""
    asked_first = _date(raw_from, "from", None)
    last = _date(raw_to, "to", today) or today
    first = asked_first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed(
            detail="'from' must not be after 'to'.",
            errors=[FieldError("to", "before 'from'", "before_from")],
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            detail=f"At most {MAX_DAYS} days at once.",
            errors=[FieldError("to", f"more than {MAX_DAYS} days after 'from'", "too_long")],
        )
    return first, last


def check_group(group: str | None) -> str:
    if group in (None, "", "day", "week"):
        return group or "day"
    raise ValidationFailed(
        detail="'group' is day or week.",
        errors=[FieldError("group", "must be day or week", "invalid_choice")],
    )


def check_rep_id(raw: str | None) -> UUID | None:
    if raw is None or raw == "":
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise ValidationFailed(
            detail="'rep_id' must be a user id.",
            errors=[FieldError("rep_id", "not a UUID", "invalid_uuid")],
        ) from None


async def _reps(principal: Principal, rep_id: UUID | None) -> list[UserRead]:
    """The reps this reader may report on (visibility.md: the users they read)."""
    if principal.role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        raise PermissionDenied(detail="Reports are for reps, managers and admins.")
    reps = await accounts.list_users(principal, role=Role.REP)
    if rep_id is None:
        return reps
    picked = [r for r in reps if r.id == rep_id]
    if not picked:
        raise NotFound(detail="No such rep.", errors=[FieldError("rep_id", "unknown", "unknown")])
    return picked


async def _zones(principal: Principal, reps: list[UserRead]) -> dict[UUID, str]:
    """Each rep's time zone: their own, else their region's (core.zone_of)."""
    regions = {r.id: r.time_zone for r in await territories.list_regions(principal)}
    return {
        rep.id: core.zone_of(rep.time_zone, regions.get(rep.region_id) if rep.region_id else None)
        for rep in reps
    }


async def plan_vs_actual(
    principal: Principal,
    raw_from: str | None,
    raw_to: str | None,
    group: str | None,
    raw_rep: str | None,
    now: datetime | None = None,
) -> PlanActualRead:
    """Figures per rep and their local day or week; `to` defaults to the reader's today."""
    now = now or datetime.now(UTC)
    reader_today = core.local_today(core.zone_of(principal.time_zone, None), now)
    first, last = check_range(raw_from, raw_to, reader_today)
    grouping = check_group(group)
    reps = await _reps(principal, check_rep_id(raw_rep))
    items = []
    if reps:
        zones = await _zones(principal, reps)
        period = repo.Period(
            first,
            last,
            grouping,
            zones=zones,
            today={r: core.local_today(z, now) for r, z in zones.items()},
            spans={r: core.local_spans(z, first, last) for r, z in zones.items()},
        )
        rows = await repo.figures(period)
        items = core.items(rows, {r.id: r.name for r in reps}, repo.money)
    return PlanActualRead(
        from_=first,
        to=last,
        group=grouping,  # type: ignore[arg-type]
        items=items,
        totals=core.totals(items),
    )


def check_format(fmt: str | None) -> str:
    if fmt in (None, "", "json", "csv", "xlsx"):
        return fmt or "json"
    raise ValidationFailed(
        detail="'format' is json, csv or xlsx.",
        errors=[FieldError("format", "must be json, csv or xlsx", "invalid_choice")],
    )
