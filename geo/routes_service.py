"""Route use cases: plan and store rep-days, re-plan on the road, device re-orders, optimize.

Plain async functions of (principal, ...) so REST handlers and sync share the rules. The solve
runs in a worker thread before the write transaction opens, so a long solve never holds a
database lock; storing a plan replaces each rep-day's route in place (version bump, change log).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import anyio.to_thread
import msgspec
import structlog

from backend.accounts.principal import Principal
from backend.customers import service as customers_service
from backend.customers.schemas import CustomerUpdate
from backend.db import write_transaction
from backend.errors import (
    Conflict,
    FieldError,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    TemporarilyUnavailable,
    ValidationFailed,
)
from backend.scope import customer_condition
from backend.settings import get_settings
from backend.territories.tables import Region
from geo import planner
from geo import routes_repository as repo
from geo import territory_planning as tp
from geo.errors import MatrixError, ProblemError
from geo.matrix import GreatCircleMatrix, MatrixProvider, OsrmMatrix, Point
from geo.route_schemas import (
    AssignResult,
    MoveRead,
    OrderUpdate,
    PlanRequest,
    PlanResult,
    PlanStats,
    RebalanceRead,
    RebalanceRequest,
    ReplanRequest,
    RoutePreferences,
    RouteRead,
    StopRead,
    TeamPlanRequest,
    UnassignedRead,
    WorkloadRead,
    WorkloadReport,
)
from geo.vroom_style import solve_vroom_style
from geo.windows import DAYS
from sync.changelog import record_change

log = structlog.get_logger(__name__)
PLANNERS = ("admin", "manager", "rep")
MAX_OPTIMIZE_JOBS = 2000
MAX_OPTIMIZE_MATRIX = 2000
NO_LOCATION = "no_location"
NO_LOCATION_TEXT = "the customer has no map position (geocode or pin it first)"
PLANNED_VISIT_PRIORITY = 80  # a visit someone already planned goes before merely due ones


def matrix_provider() -> MatrixProvider:
    """The configured travel-time source: an OSRM-compatible table service or great-circle."""
    url = get_settings().osrm_url
    return OsrmMatrix(url) if url else GreatCircleMatrix()


def read_preferences(preferences: Any) -> RoutePreferences:
    """A rep's route settings from `User.preferences["route"]`, validated."""
    raw = (preferences or {}).get("route") if isinstance(preferences, dict) else None
    try:
        return msgspec.convert(raw or {}, RoutePreferences)
    except msgspec.ValidationError as exc:
        text = str(exc)
        where = text.rsplit("at `$", 1)[1].rstrip("`") if "at `$" in text else ""
        raise ValidationFailed(
            detail="The rep's route settings are not valid.",
            errors=[FieldError(f"preferences.route{where}", text.split(" - at ")[0])],
        ) from None


def _require_planner(principal: Principal) -> None:
    if principal.role not in PLANNERS:
        raise PermissionDenied(detail="Routes are for reps, managers and admins.")


async def _plannable_rep(principal: Principal, rep_id: UUID, field: str = "rep_id") -> dict:
    """The rep's row if the principal may plan for them (reps: themselves; managers: region)."""
    _require_planner(principal)
    if principal.role == "rep" and rep_id != principal.user_id:
        raise PermissionDenied(detail="Reps plan their own routes only.")
    row = await repo.get_rep_row(rep_id)
    ok = row is not None and row["role"] == "rep" and row["active"]
    if ok and principal.role == "manager":
        ok = row is not None and row["region"] == principal.region_id
    if not ok or row is None:
        raise NotFound(detail="No such rep.", errors=[FieldError(field, "unknown", "unknown")])
    return row


async def _load_route(principal: Principal, route_id: UUID) -> dict[str, Any]:
    _require_planner(principal)
    row = await repo.get_route_row(route_id)
    if row is not None and principal.role == "rep":
        row = row if row["rep"] == principal.user_id else None
    elif row is not None and principal.role == "manager":
        rep = await repo.get_rep_row(row["rep"])
        row = row if rep is not None and rep["region"] == principal.region_id else None
    if row is None:
        raise NotFound(detail="No such route.")
    return row


# --- planner inputs -------------------------------------------------------------------------


def _local_range(days: Sequence[date], tz: str) -> tuple[datetime, datetime]:
    zi = ZoneInfo(tz)
    lo = datetime.combine(min(days), time(0), tzinfo=zi).astimezone(UTC)
    hi = datetime.combine(max(days) + timedelta(days=1), time(0), tzinfo=zi).astimezone(UTC)
    return lo, hi


def _is_due(row: dict[str, Any], last_day: date) -> bool:
    """Due on or before `last_day` (a quarter of the frequency early counts, as the planner)."""
    freq = row["visit_frequency_days"] or 0
    if freq <= 0:
        return False
    last = row["last_visit_at"]
    if last is None:
        return True
    due = last.astimezone(ZoneInfo(row["time_zone"])).date() + timedelta(days=freq)
    return due - timedelta(days=freq // 4) <= last_day


def _to_customer(row: dict[str, Any], planned: bool) -> planner.Customer:
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
    )


def _to_rep(
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


def _centre(rows: Sequence[dict[str, Any]]) -> Point:
    located = [(r["lat"], r["lng"]) for r in rows if r["lat"] is not None]
    if not located:
        return (0.0, 0.0)
    return (
        sum(p[0] for p in located) / len(located),
        sum(p[1] for p in located) / len(located),
    )


async def _customer_rows(
    principal: Principal,
    rep_ids: Sequence[UUID],
    days: Sequence[date],
    tz: str,
    customer_ids: list[UUID] | None,
) -> tuple[list[dict[str, Any]], dict[UUID, UUID]]:
    """Rows to plan and the planned visit of each (customer -> visit id)."""
    lo, hi = _local_range(days, tz)
    visits = await repo.planned_visits_between(list(rep_ids), lo, hi)
    visit_of = {v["customer"]: v["id"] for v in visits}
    if customer_ids is not None:
        wanted = list(dict.fromkeys(customer_ids))
        rows = await repo.customer_rows_by_ids(wanted, customer_condition(principal))
        missing = set(wanted) - {r["id"] for r in rows}
        if missing:
            raise NotFound(
                detail="Some customers are unknown or outside your scope.",
                errors=[FieldError("customer_ids", f"unknown: {sorted(map(str, missing))[0]}")],
            )
        return rows, visit_of
    territories: set[UUID] = set()
    for rid in rep_ids:
        territories.update(await repo.territory_ids_of_rep(rid))
    rows = await repo.customer_rows_of_territories(sorted(territories))
    last_day = max(days)
    rows = [r for r in rows if r["id"] in visit_of or _is_due(r, last_day)]
    extra = set(visit_of) - {r["id"] for r in rows}
    rows += await repo.customer_rows_by_ids(sorted(extra), None)
    return rows, visit_of


def _split_located(
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
            customers.append(_to_customer(r, r["id"] in visit_of))
    return customers, unlocated


# --- storing --------------------------------------------------------------------------------


def _stop_json(s: planner.Stop, name: str, visit_id: UUID | None) -> dict[str, Any]:
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
    }


def _route_values(
    route: planner.Route | None,
    rep: planner.Rep,
    names: Mapping[str, str],
    visit_of: Mapping[UUID, UUID],
    common: dict[str, Any],
    kept: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    stops = list(kept)
    stats = dict(common)
    stats["start"] = {"lat": rep.start[0], "lng": rep.start[1]}
    end = rep.end or rep.start
    stats["end"] = {"lat": end[0], "lng": end[1]}
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
        _stop_json(s, names[s.customer_id], visit_of.get(UUID(s.customer_id))) for s in route.stops
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


async def _put_route(rep_id: UUID, day: date, values: dict[str, Any]) -> UUID:
    """Replace the rep-day's live route in place (same id, version + 1) or create it."""
    route_id = await repo.get_live_route_id_by_rep_and_day(rep_id, day)
    if route_id is None:
        route_id = uuid4()
        await repo.insert_route(route_id, rep_id, day, values)
    else:
        await repo.update_route(route_id, values)
    await record_change("routes", route_id, "put", user_id=rep_id)
    return route_id


def _unassigned(
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


async def _solve(fn: Any, *args: Any, **kw: Any) -> planner.Plan:
    try:
        return await anyio.to_thread.run_sync(partial(fn, *args, **kw))
    except MatrixError as exc:
        raise TemporarilyUnavailable(detail=f"Travel times are unavailable: {exc}") from None


async def _plan_and_store(
    principal: Principal,
    reps: dict[UUID, tuple[dict[str, Any], planner.Rep]],
    days: list[date],
    rows: list[dict[str, Any]],
    visit_of: dict[UUID, UUID],
    level: int,
) -> PlanResult:
    customers, unlocated = _split_located(rows, visit_of)
    names = {str(r["id"]): r["name"] for r in rows}
    team = [rep for _, rep in reps.values()]
    if len(team) == 1:
        plan = await _solve(
            planner.plan, team, customers, days, matrix_provider(), exploration_level=level
        )
        strategy = "single"
    else:
        owners = await _owners(list(reps), rows)
        plan = await _solve(
            planner.plan_team,
            team,
            customers,
            days,
            matrix_provider(),
            owners=owners,
            exploration_level=level,
            balance=True,
        )
        strategy = "cluster"
    unassigned = _unassigned(plan, names, unlocated)
    common = {
        "solve_ms": round(plan.solve_ms, 1),
        "plan_cost": plan.cost,
        "unassigned": len(unassigned),
        "unassigned_ids": [str(u.customer_id) for u in unassigned],
        "exploration_level": level,
        "strategy": strategy,
    }
    by_key = {(r.rep_id, r.day): r for r in plan.routes}
    ids: list[UUID] = []
    async with write_transaction():
        await repo.lock_reps(list(reps))
        for rep_id, (_, rep) in reps.items():
            for day in days:
                values = _route_values(by_key.get((str(rep_id), day)), rep, names, visit_of, common)
                ids.append(await _put_route(rep_id, day, values))
    routes = [repo.to_route_read(await repo.get_route_row(i) or {}) for i in ids]
    log.info(
        "routes.planned",
        by=str(principal.user_id),
        reps=len(reps),
        days=len(days),
        stops=sum(len(r.stops) for r in routes),
        unassigned=len(unassigned),
        solve_ms=round(plan.solve_ms),
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
        ),
    )


async def _owners(rep_ids: list[UUID], rows: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
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
    _require_planner(principal)
    rep_id = data.rep_id or (principal.user_id if principal.role == "rep" else None)
    if rep_id is None:
        raise ValidationFailed(
            detail="Say which rep to plan for.",
            errors=[FieldError("rep_id", "required", "required")],
        )
    row = await _plannable_rep(principal, rep_id)
    prefs = read_preferences(row["preferences"])
    days = _check_days(data.days)
    rows, visit_of = await _customer_rows(
        principal, [rep_id], days, row["time_zone"], data.customer_ids
    )
    start = (data.start.lat, data.start.lng) if data.start else None
    rep = _to_rep(rep_id, row, prefs, start, _centre(rows))
    return await _plan_and_store(
        principal, {rep_id: (row, rep)}, days, rows, visit_of, data.exploration_level
    )


async def plan_team_routes(principal: Principal, data: TeamPlanRequest) -> PlanResult:
    """Plan several reps' days with balanced workload (managers and admins)."""
    _require_planner(principal)
    if principal.role == "rep":
        raise PermissionDenied(detail="Team plans are made by managers and admins.")
    days = _check_days(data.days)
    reps: dict[UUID, tuple[dict[str, Any], planner.Rep]] = {}
    rows_of: dict[UUID, dict[str, Any]] = {}
    for k, rep_id in enumerate(dict.fromkeys(data.rep_ids)):
        rows_of[rep_id] = await _plannable_rep(principal, rep_id, f"rep_ids[{k}]")
    tz = next(iter(rows_of.values()))["time_zone"]
    rows, visit_of = await _customer_rows(principal, list(rows_of), days, tz, data.customer_ids)
    centre = _centre(rows)
    for rep_id, row in rows_of.items():
        reps[rep_id] = (
            row,
            _to_rep(rep_id, row, read_preferences(row["preferences"]), None, centre),
        )
    return await _plan_and_store(principal, reps, days, rows, visit_of, data.exploration_level)


def _check_days(days: Iterable[date]) -> list[date]:
    out = sorted(set(days))
    if (out[-1] - out[0]).days > 13:
        raise ValidationFailed(
            detail="Plan at most two weeks at once.",
            errors=[FieldError("days", "spans more than 14 days", "range")],
        )
    return out


async def list_routes(
    principal: Principal,
    *,
    rep_id: UUID | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[RouteRead]:
    """Routes the principal may see: a rep their own, a manager the region's reps, admin all."""
    from geo.tables import Route

    _require_planner(principal)
    condition: Any = Route.deleted_at.is_null()
    if principal.role == "rep":
        if rep_id is not None and rep_id != principal.user_id:
            raise PermissionDenied(detail="Reps see their own routes only.")
        rep_id = principal.user_id
    if rep_id is not None:
        condition = condition & (Route.rep == rep_id)
    if principal.role == "manager":
        region_reps = (
            await repo.rep_ids_of_region(principal.region_id) if (principal.region_id) else []
        )
        condition = condition & Route.rep.is_in(region_reps or [uuid4()])
    if date_from is not None:
        condition = condition & (Route.day >= date_from)
    if date_to is not None:
        condition = condition & (Route.day <= date_to)
    return [repo.to_route_read(r) for r in await repo.list_route_rows(condition)]


async def get_route(principal: Principal, route_id: UUID) -> RouteRead:
    return repo.to_route_read(await _load_route(principal, route_id))


async def replan_route(principal: Principal, route_id: UUID, data: ReplanRequest) -> RouteRead:
    """Re-solve the rest of the day from the rep's position and time; done stops stay first."""
    row = await _load_route(principal, route_id)
    rep_row = await _plannable_rep(principal, row["rep"])
    prefs = read_preferences(rep_row["preferences"])
    tz = rep_row["time_zone"] or "Europe/Tallinn"
    at = data.at.astimezone(UTC)
    if at.astimezone(ZoneInfo(tz)).date() != row["day"]:
        raise ValidationFailed(
            detail="Re-plan a route on its own day.",
            errors=[FieldError("at", f"not on {row['day']}", "range")],
        )
    current = repo.to_route_read(row)
    done = set(data.done) | {s.customer_id for s in current.stops if s.status == "done"}
    skipped = set(data.skipped)
    kept = [
        {**msgspec.to_builtins(s), "status": "done"} for s in current.stops if s.customer_id in done
    ]
    rest = [s.customer_id for s in current.stops if s.customer_id not in done | skipped]
    added = [c for c in data.added if c not in done | skipped and c not in rest]
    if added:
        found = await repo.customer_rows_by_ids(added, customer_condition(principal))
        if len(found) != len(set(added)):
            raise NotFound(
                detail="Some added customers are unknown or outside your scope.",
                errors=[FieldError("added", "unknown customer", "unknown")],
            )
    rows = await repo.customer_rows_by_ids([*rest, *added], None)
    visit_of = {s.customer_id: s.visit_id for s in current.stops if s.visit_id}
    customers, unlocated = _split_located(rows, visit_of)
    home = current.stats.get("end") or current.stats.get("start")
    end = (home["lat"], home["lng"]) if home else None
    rep = _to_rep(
        row["rep"],
        rep_row,
        prefs,
        (data.position.lat, data.position.lng),
        (data.position.lat, data.position.lng),
        end,
    )
    plan = await _solve(
        planner.plan_day, rep, customers, row["day"], matrix_provider(), now=at, exploration_level=2
    )
    names = {str(r["id"]): r["name"] for r in rows}
    unassigned = _unassigned(plan, names, unlocated)
    common = {
        "solve_ms": round(plan.solve_ms, 1),
        "plan_cost": plan.cost,
        "unassigned": len(unassigned),
        "unassigned_ids": [str(u.customer_id) for u in unassigned],
        "unassigned_reasons": {str(u.customer_id): u.reason for u in unassigned},
        "skipped": sorted(str(c) for c in skipped),
        "replanned_at": at.isoformat(),
        "exploration_level": 2,
        "strategy": "replan",
    }
    route = plan.routes[0] if plan.routes else None
    values = _route_values(route, rep, names, visit_of, common, kept)
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
    )
    return await get_route(principal, route_id)


async def store_order(principal: Principal, route_id: UUID, data: OrderUpdate) -> RouteRead:
    """Keep a device's re-ordering of the open stops, with times recomputed along the way."""
    async with write_transaction():
        await repo.lock_route(route_id)
        row = await _load_route(principal, route_id)
        await _plannable_rep(principal, row["rep"])
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
        values = _reordered(current, [open_stops[c] for c in data.customer_ids])
        await repo.update_route(route_id, values)
        await record_change("routes", route_id, "put", user_id=row["rep"])
    return await get_route(principal, route_id)


def _reordered(current: RouteRead, order: list[StopRead]) -> dict[str, Any]:
    """Stops in the device's order, each leaving after the previous one plus travel."""
    closed = [s for s in current.stops if s.status != "planned"]
    last_done = next((s for s in reversed(closed) if s.status == "done"), None)
    start = current.stats.get("start") or {"lat": order[0].lat, "lng": order[0].lng}
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


async def optimize(principal: Principal, problem: Any) -> dict[str, Any]:
    """Solve a self-contained VROOM-style problem (nothing is stored)."""
    _require_planner(principal)
    if isinstance(problem, dict):
        jobs = problem.get("jobs")
        if isinstance(jobs, list) and len(jobs) > MAX_OPTIMIZE_JOBS:
            raise PayloadTooLarge(
                detail=f"At most {MAX_OPTIMIZE_JOBS} jobs per problem "
                f"(got {len(jobs)}); split it into smaller problems."
            )
        durations = (
            ((problem.get("matrices") or {}).get("car") or {}).get("durations")
            if (isinstance(problem.get("matrices"), dict))
            else None
        )
        if isinstance(durations, list) and len(durations) > MAX_OPTIMIZE_MATRIX:
            raise PayloadTooLarge(
                detail=f"The matrix may have at most {MAX_OPTIMIZE_MATRIX} "
                f"rows (got {len(durations)})."
            )
    try:
        return await anyio.to_thread.run_sync(solve_vroom_style, problem, matrix_provider())
    except ProblemError as exc:
        raise ValidationFailed(
            detail=f"The routing problem is not valid: {exc}",
            errors=[FieldError(exc.path, exc.message, "invalid")],
        ) from None
    except MatrixError as exc:
        raise TemporarilyUnavailable(detail=f"Travel times are unavailable: {exc}") from None


# --- territories ----------------------------------------------------------------------------


async def _region_for(principal: Principal, region_id: UUID | None) -> UUID:
    if principal.role not in ("admin", "manager"):
        raise PermissionDenied(detail="Territory planning is for managers and admins.")
    if principal.role == "manager":
        region_id = region_id or principal.region_id
        if region_id is None or region_id != principal.region_id:
            raise NotFound(
                detail="No such region.", errors=[FieldError("region_id", "unknown", "unknown")]
            )
    if region_id is None:
        raise ValidationFailed(
            detail="Say which region.", errors=[FieldError("region_id", "required", "required")]
        )
    if not await Region.exists().where((Region.id == region_id) & Region.deleted_at.is_null()):
        raise NotFound(
            detail="No such region.", errors=[FieldError("region_id", "unknown", "unknown")]
        )
    return region_id


async def _region_sites(
    region_id: UUID,
) -> tuple[list[dict[str, Any]], list[tp.Site], dict[str, str]]:
    territories = await repo.territory_rows_of_region(region_id)
    names = {str(t["id"]): t["name"] for t in territories}
    rows = await repo.customer_rows_of_region(region_id)
    sites = [
        tp.Site(
            str(r["id"]),
            str(r["territory"]),
            (r["lat"], r["lng"]),
            r["visit_frequency_days"] or 0,
            r["visit_duration_min"] or 30,
        )
        for r in rows
        if r["territory"] is not None
        and str(r["territory"]) in names
        and r["lat"] is not None
        and r["lng"] is not None
    ]
    return rows, sites, names


def _workload_read(w: tp.Workload, names: Mapping[str, str]) -> WorkloadRead:
    return WorkloadRead(
        territory_id=UUID(w.territory_id),
        name=names[w.territory_id],
        customers=w.customers,
        visits=w.visits,
        visit_s=w.visit_s,
        travel_s=w.travel_s,
        total_s=w.total_s,
    )


async def territory_workload(principal: Principal, region_id: UUID | None) -> WorkloadReport:
    """Four-week workload of every territory in a region (visits plus estimated travel)."""
    region_id = await _region_for(principal, region_id)
    _, sites, names = await _region_sites(region_id)
    loads = await anyio.to_thread.run_sync(
        partial(tp.workload, sites, list(names), GreatCircleMatrix())
    )
    return WorkloadReport(
        region_id=region_id,
        territories=[_workload_read(w, names) for w in loads.values()],
        spread=round(tp.spread(loads), 4),
    )


async def rebalance_preview(principal: Principal, data: RebalanceRequest) -> RebalanceRead:
    """Suggest customer moves between neighbouring territories; nothing is changed."""
    region_id = await _region_for(principal, data.region_id)
    rows, sites, names = await _region_sites(region_id)
    result = await anyio.to_thread.run_sync(
        partial(
            tp.rebalance,
            sites,
            list(names),
            GreatCircleMatrix(),
            tolerance=data.tolerance,
            neighbour_m=data.neighbour_km * 1000,
            max_moves=data.max_moves,
        )
    )
    customer_names = {str(r["id"]): r["name"] for r in rows}
    return RebalanceRead(
        region_id=region_id,
        moves=[
            MoveRead(
                customer_id=UUID(m.customer_id),
                name=customer_names[m.customer_id],
                from_territory_id=UUID(m.from_territory),
                to_territory_id=UUID(m.to_territory),
                from_total_s=m.from_total_s,
                to_total_s=m.to_total_s,
            )
            for m in result.moves
        ],
        before=[_workload_read(w, names) for w in result.before.values()],
        after=[_workload_read(w, names) for w in result.after.values()],
        spread_before=round(result.spread_before, 4),
        spread_after=round(result.spread_after, 4),
        notes=result.notes,
    )


async def assign_by_polygon(principal: Principal, territory_id: UUID) -> AssignResult:
    """Move the region's customers inside the territory's polygon into it (change-logged)."""
    if principal.role not in ("admin", "manager"):
        raise PermissionDenied(detail="Only admins and managers assign customers to territories.")
    territory = await repo.get_territory_row(territory_id)
    if territory is None or (
        principal.role == "manager" and territory["region"] != principal.region_id
    ):
        raise NotFound(detail="No such territory.")
    polygon = territory["polygon"]
    if not polygon:
        raise ValidationFailed(
            detail="The territory has no polygon to assign by.",
            errors=[FieldError("polygon", "not set", "required")],
        )
    rows = await repo.customer_rows_of_region(territory["region"])
    inside = tp.points_in_polygon(
        {str(r["id"]): (r["lat"], r["lng"]) if r["lat"] is not None else None for r in rows},
        polygon,
    )
    current = {str(r["id"]): r["territory"] for r in rows}
    moving = [UUID(c) for c in inside if current[c] != territory_id]
    async with write_transaction():
        for cid in moving:
            await customers_service.update_customer(
                principal, cid, CustomerUpdate(territory_id=territory_id)
            )
    log.info(
        "territories.assigned_by_polygon",
        territory_id=str(territory_id),
        moved=len(moving),
        by=str(principal.user_id),
    )
    return AssignResult(
        territory_id=territory_id, assigned=moving, already_inside=len(inside) - len(moving)
    )


async def accept_route(principal: Principal, route_id: UUID) -> RouteRead:
    """Create a planned visit (through the visits service) for every stop that has none."""
    from backend.visits import service as visits_service
    from backend.visits.schemas import VisitCreate

    async with write_transaction():
        await repo.lock_route(route_id)
        row = await _load_route(principal, route_id)
        await _plannable_rep(principal, row["rep"])
        current = repo.to_route_read(row)
        stops = []
        created = 0
        for s in current.stops:
            stop = msgspec.to_builtins(s)
            if s.status == "planned" and s.visit_id is None:
                minutes = max(1, round((s.planned_departure - s.planned_start).seconds / 60))
                visit = await visits_service.plan_visit(
                    principal,
                    VisitCreate(
                        customer_id=s.customer_id,
                        rep_id=row["rep"],
                        planned_start=s.planned_start,
                        planned_duration_min=minutes,
                    ),
                )
                stop["visit_id"] = str(visit.id)
                created += 1
            stops.append(stop)
        if created:
            stats = {**current.stats, "visits_created": created}
            await repo.update_route(route_id, {"stops": stops, "stats": stats})
            await record_change("routes", route_id, "put", user_id=row["rep"])
    return await get_route(principal, route_id)
