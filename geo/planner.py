"""Visit and delivery planning: reps, days and customers in, ordered stops with times out.

Every (rep, working day) pair becomes one VROOM vehicle whose time window is that day's working
hours, so one call plans a rep's day, a rep's week (the solver picks the day) or a team's week.
Workload balance is by a cap on stops per rep-day (`max_tasks`): the even share of visits over
rep-days, loosened a visit at a time only when it leaves visits out; VROOM minimises travel.
"""

from __future__ import annotations

import itertools
import math
import time as _time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from geo import portfolio, vrp
from geo.matrix import GreatCircleMatrix, Matrix, MatrixProvider, Point
from geo.windows import (
    OpeningHours,
    Window,
    daily_window,
    local_to_utc,
    opening_windows,
    parse_opening_hours,
    zone,
)

NOT_DUE = "not_due"
APPOINTMENT_OUTSIDE_HOURS = "appointment_outside_hours"
APPOINTMENT_PASSED = "appointment_passed"
NO_WORKING_TIME = "no_working_time"
REASON_TEXT = {
    **vrp.REASON_TEXT,
    NOT_DUE: "not due for a visit in the planned days",
    NO_WORKING_TIME: "no working time is left in the planned days (days off, or today's hours "
    "are over)",
    APPOINTMENT_OUTSIDE_HOURS: "the appointment is outside the rep's working days or hours",
    APPOINTMENT_PASSED: "the booked time has already passed",
}
BALANCE_TRIES = 3  # even share, then +1 and +2 visits per rep-day if the even share leaves some out


@dataclass(frozen=True)
class Customer:
    """A place to visit or deliver to, with what the planner needs to know about it."""

    id: str
    location: Point
    tz: str | None = None  # None = the rep's time zone
    opening_hours: OpeningHours | Mapping[str, Any] | None = None  # None = always open
    service_s: int = 900
    priority: int = 0  # 0..100; the solver keeps higher ones first when not all fit
    appointment: datetime | None = None  # fixed visit start (tz-aware)
    appointment_slack_s: int = 0  # the start may move this much either way (a booked visit)
    frequency_days: int | None = None
    last_visit: date | None = None
    demand: int = 0  # delivery amount, checked against vehicle capacity
    day: date | None = None  # pinned to this day (a stop a manager locked); None = any day


@dataclass(frozen=True)
class Rep:
    """A rep (or a delivery vehicle) with home base, hours, lunch break and limits."""

    id: str
    start: Point
    end: Point | None = None  # None = back to start
    tz: str = "Europe/Tallinn"
    work_start: str = "08:00"
    work_end: str = "17:00"
    break_from: str | None = "12:00"  # earliest break start; None = no break
    break_until: str = "14:00"  # latest break end
    break_s: int = 1800
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    capacity: int | None = None
    max_stops: int | None = None
    max_travel_s: int | None = None


@dataclass(frozen=True)
class Stop:
    """A planned visit: arrival, service start after any waiting, and departure (UTC)."""

    customer_id: str
    location: Point
    arrival: datetime
    start: datetime
    departure: datetime
    travel_s: int  # from the previous stop (or the start)
    distance_m: int


@dataclass(frozen=True)
class Route:
    """One rep's ordered stops on one day."""

    rep_id: str
    day: date
    start_at: datetime
    end_at: datetime
    stops: list[Stop]
    breaks: list[Window]
    distance_m: int
    travel_s: int
    service_s: int
    waiting_s: int
    load: int

    @property
    def duration_s(self) -> int:
        """Time from leaving the start to arriving at the end."""
        return int((self.end_at - self.start_at).total_seconds())


@dataclass(frozen=True)
class Unassigned:
    """A customer left out of the plan, with a reason slug and its plain-words explanation."""

    customer_id: str
    reason: str
    detail: str


@dataclass
class Plan:
    """The answer of the planner: routes, customers left out, cost and solver time."""

    routes: list[Route]
    unassigned: list[Unassigned]
    cost: int
    solve_ms: float
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def distance_m(self) -> int:
        """Total distance of every route."""
        return sum(r.distance_m for r in self.routes)


@dataclass(frozen=True)
class _Shift:
    rep: Rep
    day: date
    start_index: int
    end_index: int


def _epoch(days: Sequence[date]) -> datetime:
    # Two days before the first day keeps every local time east or west of UTC non-negative.
    return datetime.combine(min(days), time(0), tzinfo=UTC) - timedelta(days=2)


def _due_date(c: Customer) -> date | None:
    if c.frequency_days and c.last_visit:
        return c.last_visit + timedelta(days=c.frequency_days)
    return None


def _priority(c: Customer, first_day: date) -> int:
    """Overdue customers rise in priority by 2 per day late, on top of +20 for being due."""
    if c.appointment is not None:
        return 100
    due = _due_date(c)
    p = c.priority
    if due is not None and due <= first_day:
        p += 20 + 2 * (first_day - due).days
    return max(0, min(100, p))


def _earliest_day(c: Customer) -> date | None:
    """A visit may come a quarter of the frequency early, not earlier (None = any day)."""
    due = _due_date(c)
    if due is None or c.frequency_days is None:
        return None
    return due - timedelta(days=c.frequency_days // 4)


def plan(
    reps: Sequence[Rep],
    customers: Sequence[Customer],
    days: Sequence[date],
    matrix: MatrixProvider | None = None,
    *,
    balance: bool = False,
    now: datetime | None = None,
    exploration_level: int = 5,
    nb_threads: int = 2,
    timeout_s: float | None = None,
    engine: str = portfolio.AUTO,
) -> Plan:
    """Plan visits of `customers` by `reps` over `days`; `now` clips today's hours (re-planning).

    `engine` and `timeout_s` (the time budget) go to `geo.portfolio`, which picks the solver.
    """
    if not days:
        raise ValueError("at least one day is needed")
    days = sorted(set(days))
    epoch = _epoch(days)
    provider = matrix or GreatCircleMatrix()
    points: list[Point] = []
    shifts: list[_Shift] = []
    rep_points: dict[str, tuple[int, int]] = {}
    for rep in reps:
        s = len(points)
        points.append(rep.start)
        e = s
        if rep.end is not None and rep.end != rep.start:
            e = len(points)
            points.append(rep.end)
        rep_points[rep.id] = (s, e)
    first_customer = len(points)
    points.extend(c.location for c in customers)
    m: Matrix = provider.table(points)

    vehicles: list[vrp.VrpVehicle] = []
    for rep in reps:
        s, e = rep_points[rep.id]
        tz = zone(rep.tz)
        for day in days:
            if day.weekday() not in rep.workdays:
                continue
            hours = daily_window(day, rep.work_start, rep.work_end, rep.tz)
            lo, hi = hours.offsets(epoch)
            if now is not None:
                lo = max(lo, int((now - epoch).total_seconds()))
                if lo >= hi:
                    continue
            breaks = []
            if rep.break_from is not None:
                b_lo = local_to_utc(day, time.fromisoformat(rep.break_from), tz)
                b_hi = local_to_utc(day, time.fromisoformat(rep.break_until), tz, fold=1)
                latest_start = b_hi - timedelta(seconds=rep.break_s)
                if latest_start >= b_lo and b_hi > (now or b_lo):
                    a = int((b_lo - epoch).total_seconds())
                    b = int((latest_start - epoch).total_seconds())
                    breaks.append(
                        vrp.VrpBreak(len(vehicles), [(max(a, lo), max(b, lo))], rep.break_s)
                    )
            vehicles.append(
                vrp.VrpVehicle(
                    id=len(vehicles),
                    start=s,
                    end=e,
                    time_window=(lo, hi),
                    breaks=breaks,
                    capacity=(rep.capacity,) if rep.capacity is not None else None,
                    max_tasks=rep.max_stops,
                    max_travel_time=rep.max_travel_s,
                )
            )
            shifts.append(_Shift(rep, day, s, e))

    default_tz = reps[0].tz if reps else "UTC"
    jobs: list[vrp.VrpJob] = []
    left: list[Unassigned] = []
    for k, c in enumerate(customers):
        if (
            c.appointment is not None
            and now is not None
            and c.appointment + timedelta(seconds=c.appointment_slack_s) < now
        ):  # booked for earlier today and not done: say so, not "outside the hours"
            left.append(Unassigned(c.id, APPOINTMENT_PASSED, REASON_TEXT[APPOINTMENT_PASSED]))
            continue
        windows = _service_windows(c, days, default_tz, epoch)
        if windows is None:
            left.append(Unassigned(c.id, NOT_DUE, REASON_TEXT[NOT_DUE]))
            continue
        if not windows:
            reason = APPOINTMENT_OUTSIDE_HOURS if c.appointment else vrp.CLOSED
            left.append(Unassigned(c.id, reason, REASON_TEXT[reason]))
            continue
        jobs.append(
            vrp.VrpJob(
                id=k,
                location=first_customer + k,
                service=c.service_s,
                windows=windows,
                priority=_priority(c, days[0]),
                delivery=(c.demand,) if c.demand else None,
            )
        )
    if not vehicles:
        # Nothing to solve: every day is a day off or already over (a late "plan this week").
        left += [
            Unassigned(customers[j.id].id, NO_WORKING_TIME, REASON_TEXT[NO_WORKING_TIME])
            for j in jobs
        ]
        return Plan(
            routes=[],
            unassigned=left,
            cost=0,
            solve_ms=0.0,
            stats={
                "vehicles": 0,
                "jobs": len(jobs),
                "engine": "none",
                "engine_reason": "no working time in the planned days",
            },
        )
    problem = vrp.VrpProblem(vehicles, jobs, m.durations, m.distances)
    caps = [v.max_tasks for v in vehicles]
    share = math.ceil(len(jobs) / max(1, len(vehicles)))
    for attempt in range(BALANCE_TRIES if balance else 1):
        if balance:
            # An even share per rep-day first; loosen by one visit while time forces visits out.
            for v, cap in zip(vehicles, caps, strict=True):
                v.max_tasks = min(share + attempt, cap) if cap is not None else share + attempt
        solution = portfolio.solve(
            problem,
            engine=engine,
            time_budget_s=timeout_s,
            exploration_level=exploration_level,
            nb_threads=nb_threads,
        )
        if vrp.NO_TIME not in solution.unassigned.values():
            break
    routes = [
        _route(r, shifts[r.vehicle], customers, first_customer, m, epoch, points)
        for r in solution.routes
    ]
    routes.sort(key=lambda r: (r.rep_id, r.day))
    for job_id, reason in solution.unassigned.items():
        c = customers[job_id]
        if c.appointment is not None and reason == vrp.UNREACHABLE:
            reason = APPOINTMENT_OUTSIDE_HOURS
        left.append(Unassigned(c.id, reason, REASON_TEXT[reason]))
    return Plan(
        routes=routes,
        unassigned=left,
        cost=solution.cost,
        solve_ms=solution.solve_ms,
        stats={
            "vehicles": len(vehicles),
            "jobs": len(jobs),
            "exploration_level": exploration_level,
            "engine": solution.engine,
            "engine_reason": solution.reason,
        },
    )


def _service_windows(
    c: Customer, days: Sequence[date], default_tz: str, epoch: datetime
) -> list[tuple[int, int]] | None:
    """Allowed service-start intervals (visit must end by closing); None when not due at all."""
    if c.appointment is not None:
        if c.appointment.tzinfo is None:
            raise ValueError(f"appointment of customer {c.id} must be timezone-aware")
        t = int((c.appointment - epoch).total_seconds())
        return [(max(0, t - c.appointment_slack_s), t + c.appointment_slack_s)]
    if c.day is not None:
        days = [c.day]  # a locked stop: that day only, due or not
    earliest = None if c.day is not None else _earliest_day(c)
    if earliest is not None and earliest > days[-1]:
        return None
    tz = c.tz or default_tz
    hours = c.opening_hours
    if hours is not None and not isinstance(hours, OpeningHours):
        hours = parse_opening_hours(hours)
    # Start a day early so windows that open the evening before and run past midnight count.
    found = opening_windows(hours, tz, days[0] - timedelta(days=1), days[-1])
    floor = None
    if earliest is not None:
        floor = local_to_utc(max(earliest, days[0]), time(0), zone(tz))
    ceiling = None
    if c.day is not None:
        floor = local_to_utc(c.day, time(0), zone(tz))
        ceiling = local_to_utc(c.day + timedelta(days=1), time(0), zone(tz))
    out = []
    for w in found:
        start = w.start if floor is None else max(w.start, floor)
        end = w.end if ceiling is None else min(w.end, ceiling)
        if end <= start:
            continue
        lo, hi = Window(start, end).offsets(epoch)
        hi -= c.service_s
        if lo <= hi and hi >= 0:
            out.append((max(lo, 0), hi))
    return out


def _route(
    r: vrp.VrpRoute,
    shift: _Shift,
    customers: Sequence[Customer],
    first_customer: int,
    m: Matrix,
    epoch: datetime,
    points: Sequence[Point],
) -> Route:
    def at(seconds: int) -> datetime:
        return epoch + timedelta(seconds=seconds)

    stops: list[Stop] = []
    breaks: list[Window] = []
    prev = shift.start_index
    distance = travel = service = waiting = load = 0
    for step in r.steps:
        if step.type == "break":
            breaks.append(Window(at(step.begin), at(step.departure)))
            waiting += step.waiting
            continue
        if step.location is None or step.type == "start":
            continue
        t = int(m.durations[prev, step.location])
        d = int(m.distances[prev, step.location])
        travel += t
        distance += d
        prev = step.location
        if step.type == "job":
            c = customers[step.location - first_customer]
            service += step.service
            waiting += step.waiting
            load += c.demand
            stops.append(
                Stop(
                    customer_id=c.id,
                    location=c.location,
                    arrival=at(step.arrival),
                    start=at(step.begin),
                    departure=at(step.departure),
                    travel_s=t,
                    distance_m=d,
                )
            )
    return Route(
        rep_id=shift.rep.id,
        day=shift.day,
        start_at=at(r.steps[0].arrival),
        end_at=at(r.steps[-1].arrival),
        stops=stops,
        breaks=breaks,
        distance_m=distance,
        travel_s=travel,
        service_s=service,
        waiting_s=waiting,
        load=load,
    )


def plan_day(
    rep: Rep,
    customers: Sequence[Customer],
    day: date,
    matrix: MatrixProvider | None = None,
    **kw: Any,
) -> Plan:
    """One rep, one day; to re-plan, pass `now` and a rep starting at the current position."""
    rep = Rep(**{**rep.__dict__, "workdays": (day.weekday(),)})
    return plan([rep], customers, [day], matrix, **kw)


def week_days(week_start: date, n: int = 7) -> list[date]:
    """The `n` days from `week_start`; reps' workdays pick which of them are worked."""
    return [week_start + timedelta(days=i) for i in range(n)]


def plan_week(
    rep: Rep,
    customers: Sequence[Customer],
    week_start: date,
    matrix: MatrixProvider | None = None,
    **kw: Any,
) -> Plan:
    """One rep, one week: the solver chooses each customer's day among the rep's workdays."""
    return plan([rep], customers, week_days(week_start), matrix, **kw)


def plan_team_week(
    reps: Sequence[Rep],
    customers: Sequence[Customer],
    week_start: date,
    matrix: MatrixProvider | None = None,
    *,
    strategy: str = "cluster",
    owners: Mapping[str, Sequence[str]] | None = None,
    **kw: Any,
) -> Plan:
    """A team for a week with balanced workload; "cluster" splits first, "joint" solves at once."""
    kw.setdefault("balance", True)
    days = week_days(week_start)
    if strategy == "joint" or len(reps) < 2:
        return plan(reps, customers, days, matrix, **kw)
    if strategy != "cluster":
        raise ValueError(f"unknown strategy {strategy!r}")
    return plan_team(reps, customers, days, matrix, owners=owners, **kw)


def plan_team(
    reps: Sequence[Rep],
    customers: Sequence[Customer],
    days: Sequence[date],
    matrix: MatrixProvider | None = None,
    *,
    owners: Mapping[str, Sequence[str]] | None = None,
    **kw: Any,
) -> Plan:
    """Cluster customers to reps (balanced sweep), solve each rep's days, then re-offer leftovers.

    One joint solve over every rep-day grows much faster than linearly with the team; k solves
    of one rep each are what makes a team week fit in seconds. `owners` limits a customer to
    the given rep ids (e.g. the reps covering its territory).
    """
    provider = matrix or GreatCircleMatrix()
    started = _time.perf_counter()
    groups = _assign_to_reps(reps, customers, owners)
    by_rep = {r.id: r for r in reps}
    plans = {rid: plan([by_rep[rid]], cs, days, provider, **kw) for rid, cs in groups.items()}
    first_left = sum(len(p.unassigned) for p in plans.values())
    # Leftovers for lack of time go to the reps with the most slack, whose days are re-solved.
    by_id = {c.id: c for c in customers}
    left = [
        (by_id[u.customer_id], rid)
        for rid, p in plans.items()
        for u in p.unassigned
        if u.reason == vrp.NO_TIME
    ]
    moved = 0
    extra: dict[str, list[Customer]] = {}
    if left:
        slack = {rid: _slack_s(plans[rid], by_rep[rid], days) for rid in groups}
        extra = _offer_leftovers(left, slack, {r.id: r.start for r in reps}, owners)
        for rid, more in extra.items():
            if not more:
                continue
            again = plan([by_rep[rid]], [*groups[rid], *more], days, provider, **kw)
            gone = {c.id for c in more}
            before = len(plans[rid].unassigned) + len(more)
            if len(again.unassigned) < before:
                moved += before - len(again.unassigned)
                for other, p in plans.items():
                    if other != rid:  # they are this rep's now, also if `other` is re-solved
                        p.unassigned = [u for u in p.unassigned if u.customer_id not in gone]
                        groups[other] = [c for c in groups[other] if c.id not in gone]
                groups[rid] = [*groups[rid], *more]
                plans[rid] = again
    routes = sorted((r for p in plans.values() for r in p.routes), key=lambda r: (r.rep_id, r.day))
    unassigned = [u for p in plans.values() for u in p.unassigned]
    return Plan(
        routes=routes,
        unassigned=unassigned,
        cost=sum(p.cost for p in plans.values()),
        solve_ms=(_time.perf_counter() - started) * 1000,
        stats={
            "strategy": "cluster",
            "vehicles": sum(p.stats.get("vehicles", 0) for p in plans.values()),
            "jobs": len(customers),
            "solves": len(plans) + sum(1 for v in extra.values() if v),
            "unassigned_first_pass": first_left,
            "recovered": moved,
            "exploration_level": kw.get("exploration_level", 5),
            "engines": sorted({str(p.stats.get("engine")) for p in plans.values()}),
            "engine_reason": next((str(p.stats.get("engine_reason")) for p in plans.values()), ""),
        },
    )


def _xy(p: Point, lat0: float) -> tuple[float, float]:
    """Equirectangular kilometres: plenty for telling directions and nearness within a region."""
    return (p[1] * 111.32 * math.cos(math.radians(lat0)), p[0] * 110.57)


def _assign_to_reps(
    reps: Sequence[Rep],
    customers: Sequence[Customer],
    owners: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[Customer]]:
    """Split customers into one contiguous sector per rep, equal in visit time, nearest rep.

    A sweep by angle around the customers' centre, started in the widest empty gap, cut into
    k sectors of equal service time; sectors go to reps by least total distance from each
    rep's start. Customers whose `owners` exclude their sector's rep go to their least loaded
    owner.
    """
    groups: dict[str, list[Customer]] = {r.id: [] for r in reps}
    if not customers:
        return groups
    lat0 = sum(c.location[0] for c in customers) / len(customers)
    pts = [_xy(c.location, lat0) for c in customers]
    cx = sum(x for x, _ in pts) / len(pts)
    cy = sum(y for _, y in pts) / len(pts)
    angle = [math.atan2(y - cy, x - cx) for x, y in pts]
    order = sorted(range(len(customers)), key=lambda i: angle[i])
    if len(order) > 1:
        gaps = [
            (angle[order[(k + 1) % len(order)]] - angle[order[k]]) % (2 * math.pi)
            for k in range(len(order))
        ]
        widest = max(range(len(gaps)), key=gaps.__getitem__)
        order = order[widest + 1 :] + order[: widest + 1]
    k = len(reps)
    total = sum(customers[i].service_s for i in order) or 1
    sectors: list[list[int]] = [[] for _ in range(k)]
    acc = 0
    for i in order:
        # The sector whose share of the service time this customer's midpoint falls into.
        mid = acc + customers[i].service_s / 2
        sectors[min(k - 1, int(mid * k / total))].append(i)
        acc += customers[i].service_s
    centres = []
    for sec in sectors:
        if sec:
            centres.append(
                (sum(pts[i][0] for i in sec) / len(sec), sum(pts[i][1] for i in sec) / len(sec))
            )
        else:
            centres.append((cx, cy))
    starts = [_xy(r.start, lat0) for r in reps]

    def far(r: int, s: int) -> float:
        return math.dist(starts[r], centres[s]) * len(sectors[s])

    if k <= 7:
        best = min(
            itertools.permutations(range(k)),
            key=lambda perm: sum(far(r, s) for r, s in enumerate(perm)),
        )
    else:  # greedy: the largest sectors pick their nearest free rep first
        free, pick = set(range(k)), [0] * k
        for s in sorted(range(k), key=lambda s: -len(sectors[s])):
            r = min(free, key=lambda r: far(r, s))
            free.discard(r)
            pick[r] = s
        best = tuple(pick)
    for r, s in enumerate(best):
        groups[reps[r].id] = [customers[i] for i in sectors[s]]
    if owners:
        load = {rid: sum(c.service_s for c in cs) for rid, cs in groups.items()}
        for rid in list(groups):
            keep = []
            for c in groups[rid]:
                allowed = [o for o in owners.get(c.id, ()) if o in groups]
                if not allowed or rid in allowed:
                    keep.append(c)
                    continue
                to = min(allowed, key=load.__getitem__)
                groups[to].append(c)
                load[to] += c.service_s
                load[rid] -= c.service_s
            groups[rid] = keep
    return groups


def _offer_leftovers(
    left: Sequence[tuple[Customer, str]],
    slack: Mapping[str, int],
    starts: Mapping[str, Point],
    owners: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[Customer]]:
    """Hand customers another rep had no time for to reps with slack, nearest start first."""
    room = dict(slack)
    out: dict[str, list[Customer]] = {rid: [] for rid in slack}
    for c, came_from in left:
        allowed = [rid for rid in (owners or {}).get(c.id, slack) if rid in room]
        allowed = [rid for rid in allowed if rid != came_from]
        lat0 = c.location[0]
        fits = [rid for rid in allowed if room[rid] >= c.service_s]
        if not fits:
            continue
        rid = min(fits, key=lambda r: math.dist(_xy(starts[r], lat0), _xy(c.location, lat0)))
        out[rid].append(c)
        room[rid] -= c.service_s * 2  # a visit costs its service and roughly as much travel
    return out


def _slack_s(p: Plan, rep: Rep, days: Sequence[date]) -> int:
    """Working seconds of `days` the plan leaves unused (roughly: hours minus route lengths)."""
    start = datetime.combine(days[0], time.fromisoformat(rep.work_start))
    end = datetime.combine(days[0], time.fromisoformat(rep.work_end))
    per_day = int((end - start).total_seconds()) - (rep.break_s if rep.break_from else 0)
    worked = sum(1 for d in days if d.weekday() in rep.workdays)
    return worked * per_day - sum(r.duration_s for r in p.routes)


def plan_deliveries(
    vehicles: Sequence[Rep],
    orders: Sequence[Customer],
    day: date,
    matrix: MatrixProvider | None = None,
    **kw: Any,
) -> Plan:
    """A distributor's delivery runs: vehicles with `capacity`, orders with `demand`."""
    vehicles = [Rep(**{**v.__dict__, "workdays": (day.weekday(),)}) for v in vehicles]
    return plan(vehicles, orders, [day], matrix, **kw)


__all__ = [
    "Customer",
    "Plan",
    "Rep",
    "Route",
    "Stop",
    "Unassigned",
    "plan",
    "plan_day",
    "plan_deliveries",
    "plan_team",
    "plan_team_week",
    "plan_week",
]
