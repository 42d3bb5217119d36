"""Wire contract of planned routes, re-planning and a rep's route settings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from backend.schemas import Latitude, Longitude

AwareTime = Annotated[datetime, Meta(tz=True)]
HHMM = Annotated[str, Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
Days = Annotated[list[date], Meta(min_length=1, max_length=7)]
Level = Annotated[int, Meta(ge=0, le=5)]
Budget = Annotated[
    float,
    Meta(
        gt=0,
        le=60,
        description="Seconds the solver may take; picks PyVRP or VROOM (default: by size)",
    ),
]
CustomerIds = Annotated[list[UUID], Meta(max_length=2000)]
MAX_TEAM = 20


class LatLng(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A position in WGS 84 degrees."""

    lat: Latitude
    lng: Longitude


class RoutePreferences(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """`User.preferences["route"]`: where a rep starts and ends, working hours and break."""

    start: LatLng | None = None  # home or office; None: the plan's customers' centre
    end: LatLng | None = None  # None: back to start
    work_start: HHMM = "08:00"
    work_end: HHMM = "17:00"
    break_from: HHMM | None = "12:00"  # earliest break start; None: no break
    break_until: HHMM = "14:00"  # latest break end
    break_min: Annotated[int, Meta(ge=0, le=240)] = 30
    workdays: Annotated[list[Annotated[int, Meta(ge=0, le=6)]], Meta(max_length=7)] = msgspec.field(
        default_factory=lambda: [0, 1, 2, 3, 4]
    )  # Monday = 0


Week = Annotated[
    Literal["this", "next"],
    Meta(description="this: today to Sunday (today from now on); next: next Monday to Sunday"),
]


class PlanRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Plan one rep's days; customers default to the rep's due and already planned ones.

    Give `days` or `week`. Days before today are refused; today is planned from now on."""

    rep_id: UUID | None = None  # default: the calling rep
    days: Days | None = None
    week: Week | None = None
    customer_ids: CustomerIds | None = None
    start: LatLng | None = None
    exploration_level: Level = 2
    time_budget_s: Budget | None = None


RepIds = Annotated[list[UUID], Meta(min_length=1, max_length=MAX_TEAM)]


class TeamPlanRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Plan several reps' days at once with balanced workload.

    Without `rep_ids`, every active rep of the region (a manager's own; an admin names
    `region_id`). A team plan is a draft that reps do not see until it is published."""

    rep_ids: RepIds | None = None
    region_id: UUID | None = None
    days: Days | None = None
    week: Week | None = None
    customer_ids: CustomerIds | None = None
    exploration_level: Level = 1
    time_budget_s: Budget | None = None  # per rep's solve (a team plan solves each rep apart)
    draft: bool = True


class DraftScope(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Which drafts to re-solve or publish: reps (default: the region's) and days."""

    rep_ids: RepIds | None = None
    region_id: UUID | None = None
    days: Annotated[list[date], Meta(min_length=1, max_length=14)]
    exploration_level: Level = 1
    time_budget_s: Budget | None = None


class DraftMove(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Move a draft's stop to another day and/or rep; a moved stop is locked there."""

    customer_id: UUID
    to_rep_id: UUID
    to_day: date


class DraftLock(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Lock (or unlock) a draft's stop on its rep and day: re-solving keeps it there."""

    customer_id: UUID
    locked: bool = True


class ReplanRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Re-plan the rest of a route's day from where the rep is now."""

    position: LatLng
    at: AwareTime
    skipped: CustomerIds = msgspec.field(default_factory=list)
    added: CustomerIds = msgspec.field(default_factory=list)
    done: CustomerIds = msgspec.field(default_factory=list)
    checked_in: CustomerIds = msgspec.field(default_factory=list)


class LeftOut(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A stop the device's re-order could not fit, with the reason it showed the rep."""

    customer_id: UUID
    reason: Annotated[str, Meta(pattern=r"^[a-z_]{1,40}$")]


class OrderUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A device's re-ordering of a route's stops (the next server plan replaces it).

    `left_out`: open stops the device could not fit; they stay listed in `stats.left_out`
    instead of being timed after the work day. `done`: open stops visited meanwhile; they
    become done with their times unchanged.
    """

    customer_ids: CustomerIds
    base_version: Annotated[int, Meta(ge=1)]
    left_out: Annotated[list[LeftOut], Meta(max_length=2000)] = msgspec.field(default_factory=list)
    done: CustomerIds = msgspec.field(default_factory=list)  # visited: kept as they were


class StopRead(msgspec.Struct, kw_only=True):
    """A planned stop: times in UTC; `status` is planned, done, checked_in or skipped."""

    customer_id: UUID
    name: str
    lat: float
    lng: float
    planned_arrival: datetime
    planned_start: datetime
    planned_departure: datetime
    travel_s: int
    distance_m: int
    visit_id: UUID | None = None
    status: str = "planned"
    locked: bool = False  # kept on its rep and day when a team plan is re-solved


class UnassignedRead(msgspec.Struct, kw_only=True):
    """A customer left out, with a reason slug and its explanation."""

    customer_id: UUID
    name: str
    reason: str
    detail: str


class RouteRead(msgspec.Struct, kw_only=True):
    """A rep's stored plan for one day (the `routes` sync collection)."""

    id: UUID
    rep_id: UUID
    day: date
    stops: list[StopRead]
    distance_m: int
    duration_s: int
    cost: Decimal
    stats: dict[str, Any]
    source: str
    version: int
    updated_at: datetime


class PlanStats(msgspec.Struct, kw_only=True):
    """Solver figures for the whole request."""

    solve_ms: float
    cost: int
    unassigned: int
    routes: int
    strategy: str = "single"
    engines: list[str] = msgspec.field(default_factory=list)  # solvers that answered
    engine_reason: str = ""  # why (the first solve's reason when several)


class TeamPlanRead(msgspec.Struct, kw_only=True):
    """A team's draft routes over some days and the customers the last solve left out."""

    routes: list[RouteRead]
    unassigned: list[UnassignedRead]
    published: int = 0  # routes published by this call


class PlanResult(msgspec.Struct, kw_only=True):
    """Stored routes, customers left out and the solver's figures."""

    routes: list[RouteRead]
    unassigned: list[UnassignedRead]
    stats: PlanStats
