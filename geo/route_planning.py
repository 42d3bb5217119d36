"""Planning and storing rep-days: one rep's days or a team's, solved by the portfolio.

The solve runs in a worker thread before the write transaction opens, so a long solve never
holds a database lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec
import structlog

from backend.accounts.principal import Principal, Role
from backend.db import write_transaction
from backend.errors import (
    FieldError,
    PermissionDenied,
    TemporarilyUnavailable,
    ValidationFailed,
)
from geo import planner, week_window
from geo import routes_repository as repo
from geo.errors import InfeasibleResult, MatrixError
from geo.route_access import matrix_provider, plannable_rep, read_preferences, require_planner
from geo.route_inputs import centre, customer_rows, split_located, to_rep
from geo.route_schemas import (
    PlanRequest,
    PlanResult,
    PlanStats,
    TeamPlanRequest,
)
from geo.route_store import put_route, route_values, unassigned_reads

log = structlog.get_logger(__name__)


async def solve_in_thread(fn: Any, *args: Any, **kw: Any) -> planner.Plan:
    try:
        return await anyio.to_thread.run_sync(partial(fn, *args, **kw))
    except MatrixError as exc:
        raise TemporarilyUnavailable(detail=f"Travel times are unavailable: {exc}") from None
    except InfeasibleResult as exc:
        raise TemporarilyUnavailable(
            detail=f"No solver answer kept every rule ({exc.violations[0]}); nothing was stored."
        ) from None


def now_utc() -> datetime:
    """The clock planning reads (tests of the week window give their own `now`)."""
    return datetime.now(UTC)


async def plan_and_store(
    principal: Principal,
    reps: dict[UUID, tuple[dict[str, Any], planner.Rep]],
    days: list[date],
    rows: list[dict[str, Any]],
    visit_of: dict[UUID, UUID],
    level: int,
    budget: float | None = None,
    *,
    now: datetime | None = None,
    state: str = "published",
    pins: dict[str, tuple[UUID, date]] | None = None,
) -> PlanResult:
    customers, unlocated = split_located(rows, visit_of)
    pins = pins or {}
    # A locked stop stays on its day (and rep), before anything merely due.
    customers = [
        replace(c, day=pins[c.id][1], priority=100, appointment=None) if c.id in pins else c
        for c in customers
    ]
    names = {str(r["id"]): r["name"] for r in rows}
    team = [rep for _, rep in reps.values()]
    if len(team) == 1:
        plan = await solve_in_thread(
            planner.plan,
            team,
            customers,
            days,
            matrix_provider(),
            now=now,
            exploration_level=level,
            timeout_s=budget,
        )
        strategy = "single"
    else:
        owners = await owners_of(list(reps), rows)
        owners.update({cid: [str(rep)] for cid, (rep, _) in pins.items()})
        plan = await solve_in_thread(
            planner.plan_team,
            team,
            customers,
            days,
            matrix_provider(),
            owners=owners,
            now=now,
            exploration_level=level,
            timeout_s=budget,
            balance=True,
        )
        strategy = "cluster"
    unassigned = unassigned_reads(plan, names, unlocated)
    engines = plan.stats.get("engines") or [plan.stats.get("engine", "")]
    reason = str(plan.stats.get("engine_reason", ""))
    common = {
        "solve_ms": round(plan.solve_ms, 1),
        "plan_cost": plan.cost,
        "unassigned": len(unassigned),
        "unassigned_ids": [str(u.customer_id) for u in unassigned],
        "exploration_level": level,
        "strategy": strategy,
        "engines": engines,
        "engine_reason": reason,
    }
    if state == "draft":
        common["left_out"] = [msgspec.to_builtins(u) for u in unassigned]
    by_key = {(r.rep_id, r.day): r for r in plan.routes}
    ids: list[UUID] = []
    locked = frozenset(pins)
    async with write_transaction():
        await repo.lock_reps(list(reps))
        for rep_id, (_, rep) in reps.items():
            for day in days:
                values = route_values(
                    by_key.get((str(rep_id), day)), rep, names, visit_of, common, locked=locked
                )
                ids.append(await put_route(rep_id, day, values, state))
    routes = [repo.to_route_read(await repo.get_route_row(i) or {}) for i in ids]
    log.info(
        "routes.planned",
        by=str(principal.user_id),
        reps=len(reps),
        days=len(days),
        stops=sum(len(r.stops) for r in routes),
        unassigned=len(unassigned),
        solve_ms=round(plan.solve_ms),
        engines=engines,
    )
    return PlanResult(
        routes=routes,
        unassigned=unassigned,
        stats=PlanStats(
            solve_ms=round(plan.solve_ms, 1),
            cost=plan.cost,
            unassigned=len(unassigned),
            routes=len(routes),
            strategy=strategy,
            engines=engines,
            engine_reason=reason,
        ),
    )


async def owners_of(rep_ids: list[UUID], rows: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Which of the team's reps cover each customer's territory (empty: anyone may go)."""
    covering = await repo.reps_by_territory(
        sorted({r["territory"] for r in rows if r["territory"] is not None})
    )
    team = set(rep_ids)
    out = {}
    for r in rows:
        reps = [str(u) for u in covering.get(r["territory"], []) if u in team]
        if reps:
            out[str(r["id"])] = reps
    return out


# --- use cases ------------------------------------------------------------------------------


async def plan_routes(principal: Principal, data: PlanRequest) -> PlanResult:
    """Plan one rep's days and store one route per rep-day, replacing the previous plans."""
    require_planner(principal)
    rep_id = data.rep_id or (principal.user_id if principal.role == Role.REP else None)
    if rep_id is None:
        raise ValidationFailed(
            detail="Say which rep to plan for.",
            errors=[FieldError("rep_id", "required", "required")],
        )
    row = await plannable_rep(principal, rep_id)
    prefs = read_preferences(row["preferences"])
    now = now_utc()
    days = plan_days(data.days, data.week, now, row["time_zone"])
    rows, visit_of = await customer_rows(
        principal, [rep_id], days, row["time_zone"], data.customer_ids
    )
    start = (data.start.lat, data.start.lng) if data.start else None
    rep = to_rep(rep_id, row, prefs, start, centre(rows))
    return await plan_and_store(
        principal,
        {rep_id: (row, rep)},
        days,
        rows,
        visit_of,
        data.exploration_level,
        data.time_budget_s,
        now=now,
    )


async def plan_team_routes(principal: Principal, data: TeamPlanRequest) -> PlanResult:
    """Plan several reps' days with balanced workload (managers and admins)."""
    rows_of = await team_rows(principal, data.rep_ids, data.region_id)
    tz = next(iter(rows_of.values()))["time_zone"]
    now = now_utc()
    days = plan_days(data.days, data.week, now, tz)
    rows, visit_of = await customer_rows(principal, list(rows_of), days, tz, data.customer_ids)
    return await plan_and_store(
        principal,
        team_reps(rows_of, rows),
        days,
        rows,
        visit_of,
        data.exploration_level,
        data.time_budget_s,
        now=now,
        state="draft" if data.draft else "published",
    )


async def team_rows(
    principal: Principal,
    rep_ids: list[UUID] | None,
    region_id: UUID | None,
    *,
    empty_ok: bool = False,
) -> dict[UUID, dict[str, Any]]:
    """The team's rep rows: those named, or every active rep of the region (managers: theirs).

    A region without active reps is refused, unless `empty_ok` (reading: an empty team)."""
    require_planner(principal)
    if principal.role == Role.REP:
        raise PermissionDenied(detail="Team plans are made by managers and admins.")
    if rep_ids is None:
        region = principal.region_id if principal.role == Role.MANAGER else region_id
        if region is None:
            raise ValidationFailed(
                detail="Say which reps or which region to plan for.",
                errors=[FieldError("region_id", "required", "required")],
            )
        rep_ids = (await repo.active_rep_ids_of_region(region))[:20]
        if not rep_ids and empty_ok:
            return {}
        if not rep_ids:
            raise ValidationFailed(
                detail="The region has no active reps to plan for.",
                errors=[FieldError("region_id", "no active reps", "empty")],
            )
    rows_of: dict[UUID, dict[str, Any]] = {}
    for k, rep_id in enumerate(dict.fromkeys(rep_ids)):
        rows_of[rep_id] = await plannable_rep(principal, rep_id, f"rep_ids[{k}]")
    return rows_of


def team_reps(
    rows_of: dict[UUID, dict[str, Any]], rows: Sequence[dict[str, Any]]
) -> dict[UUID, tuple[dict[str, Any], planner.Rep]]:
    """Each rep with their home and hours (no home: the customers' centre)."""
    middle = centre(rows)
    return {
        rep_id: (row, to_rep(rep_id, row, read_preferences(row["preferences"]), None, middle))
        for rep_id, row in rows_of.items()
    }


def plan_days(days: Sequence[date] | None, week: str | None, now: datetime, tz: str) -> list[date]:
    """The days to plan: the given ones or the week's; days already over are refused."""
    if days is None:
        if week is None:
            raise ValidationFailed(
                detail="Say which days to plan: `days` or `week` (this or next).",
                errors=[FieldError("days", "give days or week", "required")],
            )
        return week_window.week_days(now, tz, "next" if week == "next" else "this")
    over = week_window.past_days(days, now, tz)
    if over:
        raise ValidationFailed(
            detail=f"Days already over are not planned ({over[0].isoformat()}).",
            errors=[FieldError("days", f"{over[0].isoformat()} is in the past", "past")],
        )
    return check_days(days)


def check_days(days: Iterable[date]) -> list[date]:
    out = sorted(set(days))
    if (out[-1] - out[0]).days > 13:
        raise ValidationFailed(
            detail="Plan at most two weeks at once.",
            errors=[FieldError("days", "spans more than 14 days", "range")],
        )
    return out
