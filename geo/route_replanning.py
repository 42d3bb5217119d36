"""Re-planning the rest of a day from the rep's position and time (rules: geo.replan_rules)."""

from __future__ import annotations

from datetime import UTC
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
import structlog

from backend.accounts.principal import Principal
from backend.db import write_transaction
from backend.errors import (
    FieldError,
    NotFound,
    ValidationFailed,
)
from backend.scope import customer_condition
from geo import planner
from geo import routes_repository as repo
from geo.replan_rules import check_nothing_hidden, left_out, resume_from, split_stops
from geo.route_access import get_route, load_route, matrix_provider, plannable_rep, read_preferences
from geo.route_inputs import split_located, to_rep
from geo.route_planning import solve_in_thread
from geo.route_schemas import (
    ReplanRequest,
    RouteRead,
)
from geo.route_store import route_values, unassigned_reads
from sync.changelog import record_change

log = structlog.get_logger(__name__)


async def replan_route(principal: Principal, route_id: UUID, data: ReplanRequest) -> RouteRead:
    """Re-solve the rest of the day from the rep's position and time; done stops stay first."""
    row = await load_route(principal, route_id)
    rep_row = await plannable_rep(principal, row["rep"])
    prefs = read_preferences(rep_row["preferences"])
    tz = rep_row["time_zone"] or "Europe/Tallinn"
    at = data.at.astimezone(UTC)
    if at.astimezone(ZoneInfo(tz)).date() != row["day"]:
        raise ValidationFailed(
            detail="Re-plan a route on its own day.",
            errors=[FieldError("at", f"not on {row['day']}", "range")],
        )
    current = repo.to_route_read(row)
    before = msgspec.to_builtins(current.stops)
    split = split_stops(before, data.done, data.checked_in, data.skipped)
    fixed_ids = {str(s["customer_id"]) for s in split.fixed} | set(split.skipped)
    rest = [UUID(c) for c in split.open_ids]
    added = [c for c in data.added if str(c) not in fixed_ids and c not in rest]
    if added:
        found = await repo.customer_rows_by_ids(added, customer_condition(principal))
        if len(found) != len(set(added)):
            raise NotFound(
                detail="Some added customers are unknown or outside your scope.",
                errors=[FieldError("added", "unknown customer", "unknown")],
            )
    rows = await repo.customer_rows_by_ids([*rest, *added], None)
    visit_of = {s.customer_id: s.visit_id for s in current.stops if s.visit_id}
    customers, unlocated = split_located(rows, visit_of)
    home = current.stats.get("end") or current.stats.get("start")
    end = (home["lat"], home["lng"]) if home else None
    start_at, start = resume_from(split.fixed, at, (data.position.lat, data.position.lng))
    rep = to_rep(row["rep"], rep_row, prefs, start, start, end)
    plan = await solve_in_thread(
        planner.plan_day,
        rep,
        customers,
        row["day"],
        matrix_provider(),
        now=start_at,
        exploration_level=2,
    )
    names = {str(r["id"]): r["name"] for r in rows}
    unassigned = unassigned_reads(plan, names, unlocated)
    left = left_out(unassigned, before)
    common = {
        "solve_ms": round(plan.solve_ms, 1),
        "plan_cost": plan.cost,
        "unassigned": len(unassigned),
        "unassigned_ids": [str(u.customer_id) for u in unassigned],
        "unassigned_reasons": {str(u.customer_id): u.reason for u in unassigned},
        "left_out": left,
        "fixed": [str(s["customer_id"]) for s in split.fixed],
        "skipped": split.skipped,
        "replanned_at": at.isoformat(),
        "exploration_level": 2,
        "strategy": "replan",
    }
    route = plan.routes[0] if plan.routes else None
    values = route_values(route, rep, names, visit_of, common, split.fixed)
    hidden = check_nothing_hidden(
        [str(c) for c in [*rest, *added]], values["stops"], left, split.skipped
    )
    if hidden:  # a solver that drops a job without a reason must not lose the stop
        log.error("routes.replan_lost_stops", route_id=str(route_id), lost=len(hidden))
        raise ValidationFailed(
            detail="The re-plan lost stops without a reason; the route is left as it was.",
            errors=[FieldError("stops", "lost by the solver", "lost")],
        )
    async with write_transaction():
        await repo.lock_route(route_id)
        await repo.update_route(route_id, values)
        await record_change("routes", route_id, "put", user_id=row["rep"])
    log.info(
        "routes.replanned",
        route_id=str(route_id),
        by=str(principal.user_id),
        stops=len(values["stops"]),
        unassigned=len(unassigned),
        fixed=len(split.fixed),
    )
    return await get_route(principal, route_id)
