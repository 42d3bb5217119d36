"""A device's re-ordering of the open stops, kept with times recomputed along the way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
import structlog

from backend.accounts.principal import Principal
from backend.db import write_transaction
from backend.errors import (
    Conflict,
    FieldError,
    ValidationFailed,
)
from geo import routes_repository as repo
from geo.matrix import GreatCircleMatrix, Point
from geo.route_access import get_route, load_route, plannable_rep
from geo.route_schemas import (
    OrderUpdate,
    RouteRead,
    StopRead,
)
from sync.changelog import record_change

log = structlog.get_logger(__name__)


async def store_order(principal: Principal, route_id: UUID, data: OrderUpdate) -> RouteRead:
    """Keep a device's re-ordering of the open stops, with times recomputed along the way."""
    async with write_transaction():
        await repo.lock_route(route_id)
        row = await load_route(principal, route_id)
        await plannable_rep(principal, row["rep"])
        if data.base_version != row["version"]:
            raise Conflict(
                detail="The route changed since the device read it.",
                extra={"current_version": row["version"]},
            )
        current = repo.to_route_read(row)
        open_stops = {s.customer_id: s for s in current.stops if s.status == "planned"}
        if len(data.customer_ids) != len(open_stops) or set(data.customer_ids) != set(open_stops):
            raise ValidationFailed(
                detail="The order must list every open stop of the route exactly once.",
                errors=[FieldError("customer_ids", "not the route's open stops", "mismatch")],
            )
        left = {u.customer_id: u.reason for u in data.left_out}
        done = set(data.done)
        if not (set(left) | done) <= set(open_stops) or set(left) & done:
            raise ValidationFailed(
                detail="Only open stops of the route can be left out.",
                errors=[FieldError("left_out", "not an open stop of the route", "mismatch")],
            )
        if done:
            current.stops = [
                msgspec.structs.replace(s, status="done") if s.customer_id in done else s
                for s in current.stops
            ]
        order = [open_stops[c] for c in data.customer_ids if c not in left and c not in done]
        values = _reordered(current, order)
        earlier = [  # what an earlier server re-plan could not fit stays listed
            u
            for u in current.stats.get("left_out") or []
            if UUID(str(u["customer_id"])) not in set(open_stops) | done
        ]
        values["stats"]["left_out"] = earlier + [
            _left_out(open_stops[c], r) for c, r in left.items()
        ]
        await repo.update_route(route_id, values)
        await record_change("routes", route_id, "put", user_id=row["rep"])
    return await get_route(principal, route_id)


def _left_out(s: StopRead, reason: str) -> dict[str, Any]:
    """A stop kept listed, not timed: the phone shows it under "Could not fit"."""
    return {
        "customer_id": str(s.customer_id),
        "name": s.name,
        "reason": reason,
        "detail": "",
        "lat": s.lat,
        "lng": s.lng,
        "visit_id": str(s.visit_id) if s.visit_id else None,
        "origin": "device",
    }


def _reordered(current: RouteRead, order: list[StopRead]) -> dict[str, Any]:
    """Stops in the device's order, each leaving after the previous one plus travel."""
    closed = [s for s in current.stops if s.status != "planned"]
    last_done = next((s for s in reversed(closed) if s.status == "done"), None)
    start = current.stats.get("start") or (
        {"lat": order[0].lat, "lng": order[0].lng} if order else {"lat": 0.0, "lng": 0.0}
    )
    prev: Point = (last_done.lat, last_done.lng) if last_done else (start["lat"], start["lng"])
    if last_done is not None:
        clock = last_done.planned_departure
    else:
        first = min(current.stops, key=lambda s: s.planned_arrival, default=None)
        clock = (
            (first.planned_arrival - timedelta(seconds=first.travel_s))
            if first
            else (datetime.now(UTC))
        )
    points = [prev, *((s.lat, s.lng) for s in order)]
    end = current.stats.get("end")
    if end:
        points.append((end["lat"], end["lng"]))
    m = GreatCircleMatrix().table(points)
    stops = [msgspec.to_builtins(s) for s in closed]
    distance = 0
    for k, s in enumerate(order, start=1):
        travel, metres = int(m.durations[k - 1, k]), int(m.distances[k - 1, k])
        arrival = clock + timedelta(seconds=travel)
        departure = arrival + (s.planned_departure - s.planned_start)
        stops.append(
            {
                **msgspec.to_builtins(s),
                "planned_arrival": arrival.isoformat(),
                "planned_start": arrival.isoformat(),
                "planned_departure": departure.isoformat(),
                "travel_s": travel,
                "distance_m": metres,
            }
        )
        distance += metres
        clock = departure
    if end and order:
        distance += int(m.distances[len(order), len(order) + 1])
    stats = {**current.stats, "reordered_from_version": current.version}
    return {"stops": stops, "distance_m": distance, "stats": stats, "source": "reordered"}
