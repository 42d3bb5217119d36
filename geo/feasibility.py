"""Our own check of a solved plan, independent of either solver: every rule recomputed.

A solver's answer is replayed against the problem: the matrix gives travel times, the jobs
their windows, services and amounts, the vehicles their hours, breaks, capacity and limits.
Nothing the solver reports about feasibility is trusted; a non-empty list means do not use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from geo.vrp import VrpBreak, VrpJob, VrpProblem, VrpRoute, VrpSolution, VrpStep, VrpVehicle


def _in_windows(t: int, windows: Sequence[tuple[int, int]]) -> bool:
    return not windows or any(lo <= t <= hi for lo, hi in windows)


def _check_load(route: VrpRoute, vehicle: VrpVehicle, jobs: Sequence[VrpJob]) -> list[str]:
    """Deliveries leave with the vehicle, pickups ride to the end: the load must always fit."""
    if vehicle.capacity is None:
        return []
    size = len(vehicle.capacity)
    load = [sum((j.delivery or (0,) * size)[k] for j in jobs) for k in range(size)]
    out = []
    if any(a > c for a, c in zip(load, vehicle.capacity, strict=True)):
        out.append(f"vehicle {vehicle.id}: leaves with {load}, over capacity {vehicle.capacity}")
    for j in jobs:
        load = [
            a - (j.delivery or (0,) * size)[k] + (j.pickup or (0,) * size)[k]
            for k, a in enumerate(load)
        ]
        if any(a > c for a, c in zip(load, vehicle.capacity, strict=True)):
            out.append(f"vehicle {vehicle.id}: load {load} after job {j.id} over capacity")
    return out


def _check_breaks(vehicle: VrpVehicle, taken: Sequence[VrpStep]) -> list[str]:
    out = []
    by_id: dict[int, VrpBreak] = {b.id: b for b in vehicle.breaks}
    seen = [s.id for s in taken]
    for b in vehicle.breaks:
        if seen.count(b.id) != 1:
            out.append(f"vehicle {vehicle.id}: break {b.id} taken {seen.count(b.id)} times")
    for s in taken:
        known = by_id.get(s.id) if s.id is not None else None
        if known is None:
            out.append(f"vehicle {vehicle.id}: unknown break {s.id}")
            continue
        if not _in_windows(s.begin, known.windows):
            out.append(f"vehicle {vehicle.id}: break {known.id} starts at {s.begin} outside window")
        if s.service < known.service:
            out.append(f"vehicle {vehicle.id}: break {known.id} too short ({s.service}s)")
    return out


def _check_times(problem: VrpProblem, vehicle: VrpVehicle, steps: Sequence[VrpStep]) -> list[str]:
    """Travel fits between places, breaks fit between them too, nothing overlaps."""
    out = []
    d = problem.durations
    lo, hi = vehicle.time_window or (0, 2**62)
    if steps[0].departure < lo:
        out.append(f"vehicle {vehicle.id}: starts at {steps[0].departure}, before {lo}")
    if steps[-1].arrival > hi:
        out.append(f"vehicle {vehicle.id}: ends at {steps[-1].arrival}, after {hi}")
    for a, b in pairwise(steps):
        if b.arrival < a.departure or b.waiting < 0 or b.service < 0:
            out.append(f"vehicle {vehicle.id}: {b.type} {b.id} starts before {a.type} {a.id} ends")
    placed = [k for k, s in enumerate(steps) if s.location is not None]
    for k1, k2 in pairwise(placed):
        a, b = steps[k1], steps[k2]
        pauses = sum(s.service for s in steps[k1 + 1 : k2])
        assert a.location is not None and b.location is not None
        need = int(d[a.location, b.location]) + pauses
        if b.arrival - a.departure < need:
            out.append(
                f"vehicle {vehicle.id}: {b.type} {b.id} reached {b.arrival - a.departure}s after "
                f"leaving {a.type} {a.id}, needs {need}s"
            )
    return out


def travel_time(problem: VrpProblem, route: VrpRoute) -> int:
    """Seconds driven along a route, read from the problem's own matrix."""
    places = [s.location for s in route.steps if s.location is not None]
    return sum(int(problem.durations[a, b]) for a, b in pairwise(places))


def check(problem: VrpProblem, solution: VrpSolution) -> list[str]:
    """Every broken rule of `solution` as a sentence; empty when the plan keeps them all."""
    out: list[str] = []
    vehicles = {v.id: v for v in problem.vehicles}
    jobs = {j.id: j for j in problem.jobs}
    served: list[int] = []
    used: list[int] = []
    for route in solution.routes:
        v = vehicles.get(route.vehicle)
        if v is None:
            out.append(f"route of unknown vehicle {route.vehicle}")
            continue
        used.append(v.id)
        steps = route.steps
        if len(steps) < 2 or steps[0].type != "start" or steps[-1].type != "end":
            out.append(f"vehicle {v.id}: a route runs from a start step to an end step")
            continue
        if steps[0].location != v.start or steps[-1].location != v.end:
            out.append(f"vehicle {v.id}: starts or ends somewhere else than its own places")
        route_jobs: list[VrpJob] = []
        for s in steps[1:-1]:
            if s.type == "job":
                j = jobs.get(s.id) if s.id is not None else None
                if j is None:
                    out.append(f"vehicle {v.id}: unknown job {s.id}")
                    continue
                route_jobs.append(j)
                served.append(j.id)
                if s.location != j.location:
                    out.append(f"job {j.id}: served at {s.location}, not at {j.location}")
                if s.service != j.service:
                    out.append(f"job {j.id}: service {s.service}s, not {j.service}s")
                if not _in_windows(s.begin, j.windows):
                    out.append(f"job {j.id}: service starts at {s.begin}, outside {j.windows}")
                if not j.skills <= v.skills:
                    out.append(f"job {j.id}: needs skills vehicle {v.id} lacks")
            elif s.type != "break":
                out.append(f"vehicle {v.id}: a {s.type} step inside the route")
        out += _check_breaks(v, [s for s in steps if s.type == "break"])
        out += _check_times(problem, v, steps)
        out += _check_load(route, v, route_jobs)
        if v.max_tasks is not None and len(route_jobs) > v.max_tasks:
            out.append(f"vehicle {v.id}: {len(route_jobs)} jobs, more than {v.max_tasks}")
        if v.max_travel_time is not None and travel_time(problem, route) > v.max_travel_time:
            out.append(f"vehicle {v.id}: drives {travel_time(problem, route)}s, over the limit")
    if len(used) != len(set(used)):
        out.append("a vehicle drives two routes")
    if len(served) != len(set(served)):
        out.append("a job is served twice")
    left = set(solution.unassigned)
    if set(served) & left:
        out.append("a job is both served and listed as unassigned")
    if set(served) | left != set(jobs):
        out.append("a job is neither served nor listed as unassigned")
    return out
