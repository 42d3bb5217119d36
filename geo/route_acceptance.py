"""Accepting a route: a planned visit for every stop, linked to it (the route's stop carries
its id). A rep's accept and a manager's publish of a team plan both go through here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec
import structlog

from backend.accounts.principal import Principal
from backend.db import write_transaction
from geo import routes_repository as repo
from geo.route_access import get_route, load_route, plannable_rep
from geo.route_schemas import RouteRead, StopRead
from sync.changelog import record_change

log = structlog.get_logger(__name__)


@dataclass
class PlannedVisits:
    """The planned visits a set of stops may take over: by id and by customer, each once."""

    by_id: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    by_customer: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    taken: set[UUID] = field(default_factory=set)

    @classmethod
    def of(cls, rows: Sequence[dict[str, Any]]) -> PlannedVisits:
        out = cls()
        for r in sorted(rows, key=lambda r: _utc(r["planned_start"])):
            out.by_id[r["id"]] = r
            out.by_customer.setdefault(r["customer"], r)
        return out

    def claim(self, stop: StopRead) -> dict[str, Any] | None:
        """The stop's own planned visit, else its customer's one no other stop has claimed."""
        row = self.by_id.get(stop.visit_id) if stop.visit_id else None
        if row is None:
            row = self.by_customer.get(stop.customer_id)
        if row is None or row["id"] in self.taken:
            return None
        self.taken.add(row["id"])
        return row


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _minutes(s: StopRead) -> int:
    return max(1, round((s.planned_departure - s.planned_start).total_seconds() / 60))


async def visits_for_stops(
    principal: Principal,
    rep_id: UUID,
    stops: Sequence[StopRead],
    known: PlannedVisits | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Each planned stop with a planned visit of `rep_id` at its time: a visit the stop (or, with
    `known`, its customer) already has is kept, moved to the stop's rep and time if it differs;
    a stop with none gets one. Returns the stops (with `visit_id`) and how many were created."""
    from backend.visits import service as visits_service
    from backend.visits.schemas import VisitCreate, VisitUpdate

    out, created = [], 0
    for s in stops:
        stop = msgspec.to_builtins(s)
        if s.status != "planned":
            out.append(stop)
            continue
        row = known.claim(s) if known is not None else None
        if row is not None:
            if row["rep"] != rep_id or _utc(row["planned_start"]) != _utc(s.planned_start):
                await visits_service.update_visit(
                    principal,
                    row["id"],
                    VisitUpdate(
                        rep_id=rep_id,
                        planned_start=s.planned_start,
                        planned_duration_min=_minutes(s),
                    ),
                )
            stop["visit_id"] = str(row["id"])
        elif s.visit_id is None:  # one no longer planned (done, cancelled) stays linked
            visit = await visits_service.plan_visit(
                principal,
                VisitCreate(
                    customer_id=s.customer_id,
                    rep_id=rep_id,
                    planned_start=s.planned_start,
                    planned_duration_min=_minutes(s),
                ),
            )
            stop["visit_id"] = str(visit.id)
            created += 1
        out.append(stop)
    return out, created


async def accept_route(principal: Principal, route_id: UUID) -> RouteRead:
    """Create a planned visit (through the visits service) for every stop that has none."""
    async with write_transaction():
        await repo.lock_route(route_id)
        row = await load_route(principal, route_id)
        await plannable_rep(principal, row["rep"])
        current = repo.to_route_read(row)
        # A stop may name a visit planned for another day of the planned span (the planner
        # moved it here): accepting moves that visit to the stop's time, as publishing does,
        # instead of leaving it behind on its old day.
        named = [s.visit_id for s in current.stops if s.visit_id and s.status == "planned"]
        known = PlannedVisits.of(await repo.planned_visits_by_ids(named)) if named else None
        stops, created = await visits_for_stops(principal, row["rep"], current.stops, known)
        if created:
            stats = {**current.stats, "visits_created": created}
            await repo.update_route(route_id, {"stops": stops, "stats": stats})
            await record_change("routes", route_id, "put", user_id=row["rep"])
    return await get_route(principal, route_id)
