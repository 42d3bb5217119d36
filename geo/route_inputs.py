"""Planner inputs from the database: the customers due, their windows, the rep's start and hours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog

from backend.accounts.principal import Principal
from backend.errors import (
    FieldError,
    NotFound,
)
from backend.scope import customer_condition
from geo import planner
from geo import routes_repository as repo
from geo.matrix import Point
from geo.route_schemas import (
    RoutePreferences,
    UnassignedRead,
)
from geo.windows import DAYS

log = structlog.get_logger(__name__)


NO_LOCATION = "no_location"
NO_LOCATION_TEXT = "the customer has no map position (geocode or pin it first)"
PLANNED_VISIT_PRIORITY = 80  # a visit someone already planned goes before merely due ones


def local_range(days: Sequence[date], tz: str) -> tuple[datetime, datetime]:
    zi = ZoneInfo(tz)
    lo = datetime.combine(min(days), time(0), tzinfo=zi).astimezone(UTC)
    hi = datetime.combine(max(days) + timedelta(days=1), time(0), tzinfo=zi).astimezone(UTC)
    return lo, hi


def is_due(row: dict[str, Any], last_day: date) -> bool:
    """Due on or before `last_day` (a quarter of the frequency early counts, as the planner)."""
    freq = row["visit_frequency_days"] or 0
    if freq <= 0:
        return False
    last = row["last_visit_at"]
    if last is None:
        return True
    due = last.astimezone(ZoneInfo(row["time_zone"])).date() + timedelta(days=freq)
    return due - timedelta(days=freq // 4) <= last_day


# A booked (planned) visit keeps its day and its time within half an hour: the rep told the
# customer when to expect them. A stop locked elsewhere by a manager overrides it.
BOOKED_SLACK_S = 30 * 60


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def to_customer(row: dict[str, Any], planned: bool) -> planner.Customer:
    hours = row["opening_hours"] or None
    if isinstance(hours, dict) and not any(d in hours for d in DAYS):
        hours = None  # no weekly hours recorded: treat as open whenever the rep works
    last = row["last_visit_at"]
    tz = row["time_zone"] or "Europe/Tallinn"
    return planner.Customer(
        id=str(row["id"]),
        location=(row["lat"], row["lng"]),
        tz=tz,
        opening_hours=hours,
        service_s=max(60, (row["visit_duration_min"] or 30) * 60),
        priority=PLANNED_VISIT_PRIORITY if planned else 0,
        frequency_days=None if planned else (row["visit_frequency_days"] or None),
        last_visit=last.astimezone(ZoneInfo(tz)).date() if last else None,
        appointment=_aware(row.get("_booked_at")) if planned else None,
        appointment_slack_s=BOOKED_SLACK_S,
    )


def to_rep(
    rep_id: UUID,
    row: dict[str, Any],
    prefs: RoutePreferences,
    start: Point | None,
    fallback: Point,
    end: Point | None = None,
) -> planner.Rep:
    begin = start or (prefs.start and (prefs.start.lat, prefs.start.lng)) or fallback
    finish = end or (prefs.end and (prefs.end.lat, prefs.end.lng)) or None
    return planner.Rep(
        id=str(rep_id),
        start=begin,
        end=finish,
        tz=row["time_zone"] or "Europe/Tallinn",
        work_start=prefs.work_start,
        work_end=prefs.work_end,
        break_from=prefs.break_from if prefs.break_min > 0 else None,
        break_until=prefs.break_until,
        break_s=prefs.break_min * 60,
        workdays=tuple(sorted(set(prefs.workdays))),
    )


def centre(rows: Sequence[dict[str, Any]]) -> Point:
    located = [(r["lat"], r["lng"]) for r in rows if r["lat"] is not None]
    if not located:
        return (0.0, 0.0)
    return (
        sum(p[0] for p in located) / len(located),
        sum(p[1] for p in located) / len(located),
    )


async def customer_rows(
    principal: Principal,
    rep_ids: Sequence[UUID],
    days: Sequence[date],
    tz: str,
    customer_ids: list[UUID] | None,
) -> tuple[list[dict[str, Any]], dict[UUID, UUID]]:
    """Rows to plan and the planned visit of each (customer -> visit id)."""
    lo, hi = local_range(days, tz)
    visits = await repo.planned_visits_between(list(rep_ids), lo, hi)
    visit_of = {v["customer"]: v["id"] for v in visits}
    # Each customer's booked time (its visit's planned start) goes with its row to the planner.
    booked = {
        v["customer"]: v["planned_start"] for v in visits if v["id"] == visit_of[v["customer"]]
    }

    def with_booking(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "_booked_at": booked.get(r["id"])} for r in found]

    if customer_ids is not None:
        wanted = list(dict.fromkeys(customer_ids))
        rows = await repo.customer_rows_by_ids(wanted, customer_condition(principal))
        missing = set(wanted) - {r["id"] for r in rows}
        if missing:
            raise NotFound(
                detail="Some customers are unknown or outside your scope.",
                errors=[FieldError("customer_ids", f"unknown: {sorted(map(str, missing))[0]}")],
            )
        return with_booking(rows), visit_of
    territories: set[UUID] = set()
    for rid in rep_ids:
        territories.update(await repo.territory_ids_of_rep(rid))
    rows = await repo.customer_rows_of_territories(sorted(territories))
    last_day = max(days)
    rows = [r for r in rows if r["id"] in visit_of or is_due(r, last_day)]
    extra = set(visit_of) - {r["id"] for r in rows}
    rows += await repo.customer_rows_by_ids(sorted(extra), None)
    return with_booking(rows), visit_of


def split_located(
    rows: Sequence[dict[str, Any]], visit_of: Mapping[UUID, UUID]
) -> tuple[list[planner.Customer], list[UnassignedRead]]:
    customers, unlocated = [], []
    for r in rows:
        if r["lat"] is None or r["lng"] is None:
            unlocated.append(
                UnassignedRead(
                    customer_id=r["id"], name=r["name"], reason=NO_LOCATION, detail=NO_LOCATION_TEXT
                )
            )
        else:
            customers.append(to_customer(r, r["id"] in visit_of))
    return customers, unlocated
