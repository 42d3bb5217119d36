"""Wire contract of planned routes, re-planning, territory workload and a rep's route settings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta

from backend.schemas import Latitude, Longitude

AwareTime = Annotated[datetime, Meta(tz=True)]
HHMM = Annotated[str, Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
Days = Annotated[list[date], Meta(min_length=1, max_length=7)]
Level = Annotated[int, Meta(ge=0, le=5)]
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


class PlanRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Plan one rep's days; customers default to the rep's due and already planned ones."""

    rep_id: UUID | None = None  # default: the calling rep
    days: Days
    customer_ids: CustomerIds | None = None
    start: LatLng | None = None
    exploration_level: Level = 2


class TeamPlanRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Plan several reps' days at once with balanced workload."""

    rep_ids: Annotated[list[UUID], Meta(min_length=1, max_length=MAX_TEAM)]
    days: Days
    customer_ids: CustomerIds | None = None
    exploration_level: Level = 1


class ReplanRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Re-plan the rest of a route's day from where the rep is now."""

    position: LatLng
    at: AwareTime
    skipped: CustomerIds = msgspec.field(default_factory=list)
    added: CustomerIds = msgspec.field(default_factory=list)
    done: CustomerIds = msgspec.field(default_factory=list)


class OrderUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A device's re-ordering of a route's stops (the next server plan replaces it)."""

    customer_ids: CustomerIds
    base_version: Annotated[int, Meta(ge=1)]


class StopRead(msgspec.Struct, kw_only=True):
    """A planned stop: times in UTC; `status` is planned, done or skipped."""

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


class PlanResult(msgspec.Struct, kw_only=True):
    """Stored routes, customers left out and the solver's figures."""

    routes: list[RouteRead]
    unassigned: list[UnassignedRead]
    stats: PlanStats


class WorkloadRead(msgspec.Struct, kw_only=True):
    """A territory's four-week workload in seconds."""

    territory_id: UUID
    name: str
    customers: int
    visits: float
    visit_s: int
    travel_s: int
    total_s: int


class WorkloadReport(msgspec.Struct, kw_only=True):
    """Every territory of a region and how uneven they are."""

    region_id: UUID
    territories: list[WorkloadRead]
    spread: float


class RebalanceRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Ask for a suggested rebalance of a region's territories (nothing is changed)."""

    region_id: UUID | None = None  # managers: their own region
    tolerance: Annotated[float, Meta(ge=0, le=10)] = 0.15
    neighbour_km: Annotated[float, Meta(gt=0, le=500)] = 10.0
    max_moves: Annotated[int, Meta(ge=1, le=1000)] = 200


class MoveRead(msgspec.Struct, kw_only=True):
    """A suggested move with both territories' totals right after it."""

    customer_id: UUID
    name: str
    from_territory_id: UUID
    to_territory_id: UUID
    from_total_s: int
    to_total_s: int


class RebalanceRead(msgspec.Struct, kw_only=True):
    """Suggested moves and every territory's workload and travel before and after."""

    region_id: UUID
    moves: list[MoveRead]
    before: list[WorkloadRead]
    after: list[WorkloadRead]
    spread_before: float
    spread_after: float
    notes: list[str]


class AssignResult(msgspec.Struct, kw_only=True):
    """Customers moved into a territory by its polygon."""

    territory_id: UUID
    assigned: list[UUID]
    already_inside: int
