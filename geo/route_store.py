"""Storing a plan: one route per rep-day replaced in place (version bump, change log)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import structlog

from geo import planner
from geo import routes_repository as repo
from geo.route_schemas import (
    UnassignedRead,
)
from sync.changelog import record_change

log = structlog.get_logger(__name__)


def stop_json(
    s: planner.Stop, name: str, visit_id: UUID | None, locked: bool = False
) -> dict[str, Any]:
    return {
        "customer_id": s.customer_id,
        "name": name,
        "lat": s.location[0],
        "lng": s.location[1],
        "planned_arrival": s.arrival.isoformat(),
        "planned_start": s.start.isoformat(),
        "planned_departure": s.departure.isoformat(),
        "travel_s": s.travel_s,
        "distance_m": s.distance_m,
        "visit_id": str(visit_id) if visit_id else None,
        "status": "planned",
        "locked": locked,
    }


def route_values(
    route: planner.Route | None,
    rep: planner.Rep,
    names: Mapping[str, str],
    visit_of: Mapping[UUID, UUID],
    common: dict[str, Any],
    kept: Sequence[dict[str, Any]] = (),
    locked: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    stops = list(kept)
    stats = dict(common)
    stats["start"] = {"lat": rep.start[0], "lng": rep.start[1]}
    end = rep.end or rep.start
    stats["end"] = {"lat": end[0], "lng": end[1]}
    stats["work_end"] = rep.work_end  # the phone's offline re-order stops there
    if route is None:
        return {
            "stops": stops,
            "distance_m": 0,
            "duration_s": 0,
            "cost": Decimal(0),
            "stats": stats,
            "source": "planned",
        }
    stops += [
        stop_json(
            s, names[s.customer_id], visit_of.get(UUID(s.customer_id)), s.customer_id in locked
        )
        for s in route.stops
    ]
    stats.update(
        travel_s=route.travel_s,
        service_s=route.service_s,
        waiting_s=route.waiting_s,
        start_at=route.start_at.isoformat(),
        end_at=route.end_at.isoformat(),
        breaks=[{"start": b.start.isoformat(), "end": b.end.isoformat()} for b in route.breaks],
    )
    return {
        "stops": stops,
        "distance_m": route.distance_m,
        "duration_s": route.duration_s,
        "cost": Decimal(route.travel_s),  # VROOM's cost: travel seconds
        "stats": stats,
        "source": "planned",
    }


async def put_route(
    rep_id: UUID, day: date, values: dict[str, Any], state: str = "published"
) -> UUID:
    """Replace the rep-day's live route in place (same id, version + 1) or create it.

    A draft (team plan not yet published) is kept apart and never enters the change log."""
    route_id = await repo.get_live_route_id_by_rep_and_day(rep_id, day, state)
    if route_id is None:
        route_id = uuid4()
        await repo.insert_route(route_id, rep_id, day, values, state)
    else:
        await repo.update_route(route_id, values)
    if state == "published":
        await record_change("routes", route_id, "put", user_id=rep_id)
    return route_id


def unassigned_reads(
    plan: planner.Plan, names: Mapping[str, str], unlocated: Sequence[UnassignedRead]
) -> list[UnassignedRead]:
    out = list(unlocated)
    out += [
        UnassignedRead(
            customer_id=UUID(u.customer_id),
            name=names[u.customer_id],
            reason=u.reason,
            detail=u.detail,
        )
        for u in plan.unassigned
    ]
    return out
