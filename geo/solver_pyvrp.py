"""PyVRP as one engine of the portfolio: capacities, windows, several vehicles and depots.

The model maps one to one where PyVRP can express it: each vehicle is a vehicle type of one,
its start and end are depots, its hours the shift window, its travel limit `max_distance` over
the travel-time matrix (the cost both engines minimise is travel time). Every job is optional
with a prize that outweighs any detour, higher for a higher priority; a job with several windows
is a mutually exclusive group of one client per window; a stop limit is one more load dimension
where every job weighs one. Breaks, skills and open routes are not in PyVRP's model:
`unsupported` says so and the portfolio sends those problems to VROOM.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pyvrp
from pyvrp import stop as pyvrp_stop

from geo.vrp import (
    BIG_CAPACITY,
    VrpProblem,
    VrpRoute,
    VrpSolution,
    VrpStep,
    VrpVehicle,
    _pad,
    amount_size,
    diagnose,
)

NAME = "pyvrp"
NO_LIMIT = int(np.iinfo(np.int64).max)
PRIORITY_STEPS = 101  # priorities 0..100 each raise the prize by one more detour's worth


class NoRoomForBreak(Exception):
    """A route PyVRP found leaves no place for the vehicle's break inside its window."""


def unsupported(problem: VrpProblem) -> str | None:
    """What in `problem` PyVRP cannot model (None: it fits).

    One break with one window per vehicle (a rep's lunch) is handled: PyVRP plans with the
    break's length taken off the shift, then the break is placed where the route allows it.
    """
    if any(
        len(v.breaks) > 1 or any(len(b.windows) > 1 for b in v.breaks) for v in problem.vehicles
    ):
        return "several breaks or break windows per vehicle"
    if any(v.skills for v in problem.vehicles) or any(j.skills for j in problem.jobs):
        return "skills"
    if any(v.start is None or v.end is None for v in problem.vehicles):
        return "open routes (a vehicle without a start or an end)"
    return None


@dataclass
class _Model:
    data: pyvrp.ProblemData
    job_of_client: list[int]  # client index -> job id
    vehicle_of_type: list[int]  # vehicle type index -> vehicle id
    place_of: list[int]  # compact location index -> problem matrix index
    depot_place: list[int]  # depot index -> problem matrix index
    client_place: list[int]  # client index -> compact location index


def to_pyvrp(problem: VrpProblem) -> _Model:
    """PyVRP's problem data over the same travel-time matrix, restricted to the places used."""
    starts = [v.start for v in problem.vehicles if v.start is not None]
    ends = [v.end for v in problem.vehicles if v.end is not None]
    depot_place = list(dict.fromkeys([*starts, *ends]))
    place_of = list(dict.fromkeys([*depot_place, *(j.location for j in problem.jobs)]))
    compact = {p: k for k, p in enumerate(place_of)}
    depot_of = {p: k for k, p in enumerate(depot_place)}
    sub: Any = np.ascontiguousarray(problem.durations[np.ix_(place_of, place_of)], dtype=np.int64)
    size = amount_size(problem)
    counted = any(v.max_tasks is not None for v in problem.vehicles)
    dims = size + (1 if counted else 0)
    # A served job must beat any detour, and a higher priority must beat any lower one.
    detour = 2 * int(sub.max(initial=0)) + 1
    clients: list[pyvrp.Client] = []
    groups: list[pyvrp.ClientGroup] = []
    job_of_client: list[int] = []
    for j in problem.jobs:
        delivery = _pad(j.delivery, size, 0) + ([1] if counted else [])
        pickup = _pad(j.pickup, size, 0) + ([0] if counted else [])
        windows = j.windows or [(0, NO_LIMIT)]
        group = len(groups) if len(windows) > 1 else None
        members = []
        for lo, hi in windows:
            members.append(len(clients))
            clients.append(
                pyvrp.Client(
                    location=compact[j.location],
                    delivery=delivery if dims else [],
                    pickup=pickup if dims else [],
                    service_duration=j.service,
                    tw_early=lo,
                    tw_late=hi,
                    prize=detour * (1 + j.priority * PRIORITY_STEPS),
                    required=False,
                    group=group,
                )
            )
            job_of_client.append(j.id)
        if group is not None:
            groups.append(pyvrp.ClientGroup(members, required=False))
    types = []
    for v in problem.vehicles:
        assert v.start is not None and v.end is not None  # unsupported() rules it out
        capacity = _pad(v.capacity, size, BIG_CAPACITY) if size else []
        if counted:
            capacity.append(v.max_tasks if v.max_tasks is not None else BIG_CAPACITY)
        lo, hi = v.time_window or (0, NO_LIMIT)
        pause = sum(b.service for b in v.breaks)
        types.append(
            pyvrp.VehicleType(
                num_available=1,
                capacity=capacity,
                start_depot=depot_of[v.start],
                end_depot=depot_of[v.end],
                tw_early=lo,
                tw_late=hi,
                shift_duration=hi - lo - pause if v.time_window and pause else NO_LIMIT,
                max_distance=v.max_travel_time if v.max_travel_time is not None else NO_LIMIT,
                unit_distance_cost=1,
                unit_duration_cost=0,
                name=str(v.id),
            )
        )
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(0, 0) for _ in place_of],
        clients=clients,
        depots=[pyvrp.Depot(location=compact[p]) for p in depot_place],
        vehicle_types=types,
        distance_matrices=[sub],
        duration_matrices=[sub],
        groups=groups,
    )
    return _Model(
        data,
        job_of_client,
        [v.id for v in problem.vehicles],
        place_of,
        depot_place,
        [c.location for c in clients],
    )


def _route(model: _Model, problem: VrpProblem, r: pyvrp.Route) -> VrpRoute:
    steps: list[VrpStep] = []
    schedule = r.schedule()
    for k, act in enumerate(schedule):
        if act.type == pyvrp.ActivityType.DEPOT:
            kind = "start" if k == 0 else "end"
            place = model.depot_place[act.idx]
            at = r.start_time() if k == 0 else act.start_time
            steps.append(VrpStep(kind, None, place, at, 0, 0))
        else:
            job = model.job_of_client[act.idx]
            place = model.place_of[model.client_place[act.idx]]
            arrival = act.start_time - act.wait_duration
            steps.append(VrpStep("job", job, place, arrival, act.wait_duration, act.duration))
    travel = distance = 0
    for a, b in pairwise(steps):
        assert a.location is not None and b.location is not None
        travel += int(problem.durations[a.location, b.location])
        if problem.distances is not None:
            distance += int(problem.distances[a.location, b.location])
        b.distance = distance if problem.distances is not None else None
    metres = distance if problem.distances is not None else None
    return VrpRoute(model.vehicle_of_type[r.vehicle_type()], steps, travel, travel, metres)


def _timed(
    problem: VrpProblem, v: VrpVehicle, jobs: list[VrpStep], at: int, k: int, here: bool
) -> list[VrpStep] | None:
    """Steps of `jobs` leaving at `at` with the break before job k (`here`: on arrival there)."""
    brk = v.breaks[0]
    b_lo, b_hi = brk.windows[0] if brk.windows else (0, NO_LIMIT)
    by_id = {j.id: j for j in problem.jobs}
    d = problem.durations
    assert v.start is not None and v.end is not None
    out = [VrpStep("start", None, v.start, at, 0, 0)]
    t, place = at, v.start
    for i in range(len(jobs) + 1):
        target = jobs[i].location if i < len(jobs) else v.end
        assert target is not None
        travel = int(d[place, target])
        if i == k and not here:  # the break where the rep is, then drive on
            begin = max(t, b_lo)
            out.append(VrpStep("break", brk.id, None, t, begin - t, brk.service))
            t = begin + brk.service
        arrival = t + travel
        if i == k and here:  # drive first, take the break on arrival (uses waiting time)
            begin = max(arrival, b_lo)
            out.append(VrpStep("break", brk.id, None, arrival, begin - arrival, brk.service))
            arrival = begin + brk.service
        if i == k and out[-1].begin > b_hi:
            return None
        if i == len(jobs):
            out.append(VrpStep("end", None, v.end, arrival, 0, 0))
            return out
        job_id = jobs[i].id
        assert job_id is not None
        job = by_id[job_id]
        opens = [lo for lo, hi in job.windows or [(0, NO_LIMIT)] if hi >= arrival]
        if not opens:
            return None
        begin = max(arrival, min(opens))
        out.append(VrpStep("job", job.id, target, arrival, begin - arrival, job.service))
        t, place = begin + job.service, target
    return None


def with_break(problem: VrpProblem, v: VrpVehicle, route: VrpRoute) -> VrpRoute:
    """The route with the vehicle's break placed where it ends the day earliest."""
    jobs = [s for s in route.steps if s.type == "job"]
    lo, hi = v.time_window or (0, NO_LIMIT)
    best: list[VrpStep] | None = None
    for at in dict.fromkeys((route.steps[0].arrival, lo)):
        for k in range(len(jobs) + 1):
            for here in (True, False):
                steps = _timed(problem, v, jobs, at, k, here)
                if (
                    steps
                    and steps[-1].arrival <= hi
                    and (best is None or steps[-1].arrival < best[-1].arrival)
                ):
                    best = steps
    if best is None:
        raise NoRoomForBreak(f"vehicle {v.id}")
    return VrpRoute(route.vehicle, best, route.cost, route.duration, route.distance)


def default_patience(problem: VrpProblem) -> int:
    """Iterations without a better plan after which the search stops before its budget."""
    return max(5_000, 100 * len(problem.jobs))


def solve(
    problem: VrpProblem, *, time_budget_s: float, seed: int = 0, patience: int | None = -1
) -> VrpSolution:
    """Search for `time_budget_s` seconds (less once it stops improving); explain jobs left out.

    `patience`: iterations without improvement before stopping early (-1: by problem size,
    None: always use the whole budget).
    """
    reason = unsupported(problem)
    if reason is not None:
        raise ValueError(f"PyVRP cannot model {reason}")
    if not problem.jobs or not problem.vehicles:
        return VrpSolution([], {j.id: diagnose(problem, j) for j in problem.jobs}, 0, 0.0, NAME)
    started = _time.perf_counter()
    model = to_pyvrp(problem)
    # Stop early once the best stops moving: small problems settle long before the budget.
    criteria: list[pyvrp_stop.StoppingCriterion] = [
        pyvrp_stop.MaxRuntime(max(0.001, time_budget_s - (_time.perf_counter() - started)))
    ]
    if patience is not None:
        criteria.append(
            pyvrp_stop.NoImprovement(default_patience(problem) if patience < 0 else patience)
        )
    stop = pyvrp_stop.MultipleCriteria(criteria)
    result = pyvrp.solve(model.data, stop=stop, seed=seed, collect_stats=False, display=False)
    routes = [_route(model, problem, r) for r in result.best.routes()]
    vehicles = {v.id: v for v in problem.vehicles}
    routes = [
        with_break(problem, vehicles[r.vehicle], r) if vehicles[r.vehicle].breaks else r
        for r in routes
    ]
    solve_ms = (_time.perf_counter() - started) * 1000
    served = {s.id for r in routes for s in r.steps if s.type == "job"}
    left = [j for j in problem.jobs if j.id not in served]
    unassigned = {j.id: diagnose(problem, j, left) for j in left}
    return VrpSolution(routes, unassigned, sum(r.cost for r in routes), solve_ms, NAME)
