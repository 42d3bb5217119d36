"""Wire contract of territory planning: workload, rebalance, assignment by polygon, undo."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta


class WorkloadRead(msgspec.Struct, kw_only=True):
    """A territory's four-week workload in seconds, and per week against its reps' hours."""

    territory_id: UUID
    name: str
    customers: int
    visits: float
    visit_s: int
    travel_s: int
    total_s: int
    rep_ids: list[UUID] = msgspec.field(default_factory=list)
    visits_per_week: float = 0.0
    hours_per_week: float = 0.0  # visiting plus travelling
    # The reps' working hours a week given to this territory (a rep covering two territories
    # gives each half); None: no rep covers it.
    capacity_hours_per_week: float | None = None
    load: float | None = None  # hours needed / capacity; above 1: more work than hours


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


class Move(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One customer from one territory (None: none) to another."""

    customer_id: UUID
    from_territory_id: UUID | None
    to_territory_id: UUID


class RebalanceApply(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Apply the moves of a preview; refused if any customer has moved since."""

    region_id: UUID | None = None  # managers: their own region
    moves: Annotated[list[Move], Meta(min_length=1, max_length=1000)]


class MoveBatchRead(msgspec.Struct, kw_only=True):
    """Moves applied in one step; `id` undoes them (POST /api/territories/rebalance/{id}/undo)."""

    id: UUID
    region_id: UUID
    kind: str  # rebalance | polygon
    moves: list[Move]
    created_at: datetime
    undone_at: datetime | None


class AssignMove(msgspec.Struct, kw_only=True):
    """A customer inside the polygon and the territory it leaves (None: it had none)."""

    customer_id: UUID
    name: str
    from_territory_id: UUID | None
    to_territory_id: UUID


class AssignResult(msgspec.Struct, kw_only=True):
    """Customers moved (or, on a dry run, that would move) into a territory by its polygon."""

    territory_id: UUID
    dry_run: bool
    moves: list[AssignMove]
    assigned: list[UUID]
    already_inside: int
    batch_id: UUID | None  # undo with POST /api/territories/rebalance/{batch_id}/undo


MAP_SCALE = 100_000  # map coordinates are integers of 1/100,000 degree (about 1 m)


class TeamMapRead(msgspec.Struct, kw_only=True):
    """Every located customer of a region for the team map, column by column to keep 10,000
    of them small: customer i is `ids[i]` at (`lat[i]`, `lng[i]`) / `scale` degrees, in
    `territories[territory[i]]` (-1: none), of segment `segments[segment[i]]`, next visit due
    at Unix time `due[i]` seconds (null: no regular visits). Unlocated customers are counted;
    names and the rest come from the customer itself when the map shows one."""

    region_id: UUID
    unlocated: int
    scale: int = MAP_SCALE
    territories: list[UUID]
    segments: list[str]
    ids: list[str]  # customer UUIDs as text
    lat: list[int]
    lng: list[int]
    territory: list[int]
    segment: list[int]
    due: list[int | None]
