"""A team plan's drafts: read, move a stop, lock it, re-solve the rest, publish to the reps.

Drafts are `Route` rows with state "draft": one per rep-day, read only through these use cases
(never synced, never in GET /api/routes). Publishing copies each draft onto the rep's live route
of that day (version + 1, change log) so the rep's devices get it on their next pull.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
import structlog

from backend.accounts.principal import Principal
from backend.db import write_transaction
from backend.errors import FieldError, NotFound, ValidationFailed
from backend.scope import customer_condition
from geo import routes_repository as repo
from geo.route_acceptance import PlannedVisits, visits_for_stops
from geo.route_access import plannable_rep
from geo.route_inputs import customer_rows, local_range
from geo.route_planning import now_utc, plan_and_store, plan_days, team_reps, team_rows
from geo.route_schemas import (
    DraftLock,
    DraftMove,
    DraftScope,
    RouteRead,
    TeamPlanRead,
    UnassignedRead,
)
from geo.route_store import put_route
from geo.week_window import past_days

log = structlog.get_logger(__name__)


def _left_out(routes: list[RouteRead]) -> list[UnassignedRead]:
    """The customers the last solve left out (kept in every draft's stats)."""
    planned = {s.customer_id for r in routes for s in r.stops}
    for r in routes:
        if "left_out" in r.stats:
            items = msgspec.convert(r.stats["left_out"], list[UnassignedRead])
            return [u for u in items if u.customer_id not in planned]
    return []


async def _drafts(
    principal: Principal, scope: DraftScope, *, empty_ok: bool = False
) -> list[RouteRead]:
    reps = await team_rows(principal, scope.rep_ids, scope.region_id, empty_ok=empty_ok)
    if not reps:
        return []
    rows = await repo.list_draft_rows(list(reps), sorted(set(scope.days)))
    return [repo.to_route_read(r) for r in rows]


async def list_drafts(principal: Principal, scope: DraftScope) -> TeamPlanRead:
    """The team's drafts over the days, with who was left out and why (no reps: none)."""
    routes = await _drafts(principal, scope, empty_ok=True)
    return TeamPlanRead(routes=routes, unassigned=_left_out(routes))


async def _draft(principal: Principal, route_id: UUID) -> dict[str, Any]:
    row = await repo.get_route_row(route_id)
    if row is None or row["state"] != "draft":
        raise NotFound(detail="No such draft route.")
    await plannable_rep(principal, row["rep"])
    return row


async def move_stop(principal: Principal, route_id: UUID, data: DraftMove) -> TeamPlanRead:
    """Move a stop of a draft to another rep and/or day; it is locked there."""
    async with write_transaction():
        await repo.lock_route(route_id)
        source = repo.to_route_read(await _draft(principal, route_id))
        await plannable_rep(principal, data.to_rep_id, "to_rep_id")
        stop = next((s for s in source.stops if s.customer_id == data.customer_id), None)
        if stop is None:
            raise NotFound(
                detail="The stop is not on that draft.",
                errors=[FieldError("customer_id", "not on this route", "unknown")],
            )
        if (data.to_rep_id, data.to_day) == (source.rep_id, source.day):
            raise ValidationFailed(
                detail="The stop is already on that rep's day.",
                errors=[FieldError("to_day", "same rep and day", "same")],
            )
        to_row = await repo.get_rep_row(data.to_rep_id) or {}
        over = past_days([data.to_day], now_utc(), to_row.get("time_zone") or "Europe/Tallinn")
        if over or abs((data.to_day - source.day).days) > 13:
            raise ValidationFailed(
                detail="Move a stop to a day of the plan that is not over.",
                errors=[FieldError("to_day", "in the past or outside the plan", "range")],
            )
        moved = {**msgspec.to_builtins(stop), "locked": True}
        rest = [msgspec.to_builtins(s) for s in source.stops if s.customer_id != stop.customer_id]
        stats = {**source.stats, "needs_solve": True}
        await repo.update_route(route_id, {"stops": rest, "stats": stats})
        target_id = await repo.get_live_route_id_by_rep_and_day(
            data.to_rep_id, data.to_day, "draft"
        )
        if target_id is None:
            fresh = {"needs_solve": True, "left_out": stats.get("left_out", [])}
            values = {"stops": [moved], "stats": fresh, "source": "planned"}
            await put_route(data.to_rep_id, data.to_day, values, "draft")
        else:
            target = repo.to_route_read(await repo.get_route_row(target_id) or {})
            stops = [msgspec.to_builtins(s) for s in target.stops] + [moved]
            tstats = {**target.stats, "needs_solve": True}
            await repo.update_route(target_id, {"stops": stops, "stats": tstats})
    log.info("routes.draft_stop_moved", by=str(principal.user_id), route_id=str(route_id))
    days = sorted({source.day, data.to_day})
    reps = sorted({source.rep_id, data.to_rep_id}, key=str)
    return await list_drafts(principal, DraftScope(rep_ids=reps, days=days))


async def lock_stop(principal: Principal, route_id: UUID, data: DraftLock) -> RouteRead:
    """Lock or unlock one stop of a draft on its rep and day."""
    async with write_transaction():
        await repo.lock_route(route_id)
        route = repo.to_route_read(await _draft(principal, route_id))
        if not any(s.customer_id == data.customer_id for s in route.stops):
            raise NotFound(
                detail="The stop is not on that draft.",
                errors=[FieldError("customer_id", "not on this route", "unknown")],
            )
        stops = [
            {
                **msgspec.to_builtins(s),
                "locked": data.locked if s.customer_id == data.customer_id else s.locked,
            }
            for s in route.stops
        ]
        await repo.update_route(route_id, {"stops": stops})
    return repo.to_route_read(await repo.get_route_row(route_id) or {})


async def resolve_drafts(principal: Principal, scope: DraftScope) -> TeamPlanRead:
    """Plan the team's days again: locked stops stay on their rep and day, the rest is free."""
    reps = await team_rows(principal, scope.rep_ids, scope.region_id)
    tz = next(iter(reps.values()))["time_zone"]
    now = now_utc()
    days = plan_days(scope.days, None, now, tz)
    drafts = [repo.to_route_read(r) for r in await repo.list_draft_rows(list(reps), days)]
    pins = {str(s.customer_id): (r.rep_id, r.day) for r in drafts for s in r.stops if s.locked}
    rows, visit_of = await customer_rows(principal, list(reps), days, tz, None)
    have = {r["id"] for r in rows}
    extra = sorted({s.customer_id for r in drafts for s in r.stops} - have, key=str)
    rows += await repo.customer_rows_by_ids(extra, customer_condition(principal))
    result = await plan_and_store(
        principal,
        team_reps(reps, rows),
        days,
        rows,
        visit_of,
        scope.exploration_level,
        scope.time_budget_s,
        now=now,
        state="draft",
        pins=pins,
    )
    return TeamPlanRead(routes=result.routes, unassigned=result.unassigned)


async def publish_drafts(principal: Principal, scope: DraftScope) -> TeamPlanRead:
    """Copy each draft onto the rep's live route of its day; the reps' devices pull it.

    Every stop gets a planned visit, as a rep's accepted plan does (Today's figures, reminders
    and plan vs actual count them): the visit already planned for that customer in those days
    is kept (moved to the stop's rep and time), so publishing again never doubles it."""
    reps = await team_rows(principal, scope.rep_ids, scope.region_id)
    days = sorted(set(scope.days))
    drafts = [repo.to_route_read(r) for r in await repo.list_draft_rows(list(reps), days)]
    if not drafts:
        raise NotFound(
            detail="There is no draft to publish for these reps and days.",
            errors=[FieldError("days", "no drafts", "empty")],
        )
    team = sorted({d.rep_id for d in drafts} | set(reps), key=str)
    lo, hi = local_range(days, next(iter(reps.values()))["time_zone"] or "Europe/Tallinn")
    ids, created = [], 0
    async with write_transaction():
        await repo.lock_reps(team)
        known = PlannedVisits.of(await repo.planned_visits_between(team, lo, hi))
        for d in drafts:
            if not d.stops and await repo.get_live_route_id_by_rep_and_day(d.rep_id, d.day) is None:
                # An empty day (a weekend, a rep with nothing due) makes no empty route on the
                # phone; an empty draft does clear a route published there before.
                await repo.delete_route(d.id)
                continue
            stops, made = await visits_for_stops(principal, d.rep_id, d.stops, known)
            created += made
            stats = {k: v for k, v in d.stats.items() if k not in ("left_out", "needs_solve")}
            stats["published_by"] = str(principal.user_id)
            stats["visits_created"] = made
            values = {
                "stops": stops,
                "distance_m": d.distance_m,
                "duration_s": d.duration_s,
                "cost": d.cost,
                "stats": stats,
                "source": "planned",
            }
            ids.append(await put_route(d.rep_id, d.day, values, "published"))
            await repo.delete_route(d.id)
    routes = [repo.to_route_read(await repo.get_route_row(i) or {}) for i in ids]
    log.info(
        "routes.published", by=str(principal.user_id), routes=len(routes), visits_created=created
    )
    return TeamPlanRead(routes=routes, unassigned=[], published=len(routes))
