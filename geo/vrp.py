"""A small integer VRP model solved with VROOM (pyvroom), plus reasons for unassigned jobs.

Everything here is in whole seconds since a planning epoch and matrix indices, so the day/week
planner and the VROOM-style JSON endpoint share one solver call and one diagnosis.
"""

from __future__ import annotations

import time as _time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import vroom

from geo.matrix import IntMatrix

Interval = tuple[int, int]
BIG_CAPACITY = 2**31 - 1  # vehicles with no stated capacity still need a number in VROOM

# Reason slugs for jobs left out of a plan, checked in this order after the solve.
CLOSED = "closed"  # no opening window on any planned day (found before the solve)
UNREACHABLE = "window_unreachable"  # no vehicle gets there in a window and back in its hours
OVER_CAPACITY = "over_capacity"  # the job alone exceeds every vehicle's capacity
CAPACITY_EXHAUSTED = "capacity_exhausted"  # total demand is more than the fleet carries
NO_TIME = "no_time_left"  # feasible alone, but the working time is used by other visits
REASON_TEXT = {
    CLOSED: "closed on every planned day",
    UNREACHABLE: "no opening window can be reached from the start and left in working hours",
    OVER_CAPACITY: "order is larger than any vehicle's capacity",
    CAPACITY_EXHAUSTED: "vehicles are full",
    NO_TIME: "no room left in the working time",
}


@dataclass
class VrpBreak:
    """A break to be taken inside one of `windows` (start times), lasting `service` seconds."""

    id: int
    windows: list[Interval]
    service: int


@dataclass
class VrpVehicle:
    """One route to fill: a rep on a day, or a delivery vehicle run."""

    id: int
    start: int | None
    end: int | None
    time_window: Interval | None = None
    breaks: list[VrpBreak] = field(default_factory=list)
    capacity: tuple[int, ...] | None = None
    max_tasks: int | None = None
    max_travel_time: int | None = None


@dataclass
class VrpJob:
    """One visit: where, how long, when service may start, how important and how much it carries."""

    id: int
    location: int
    service: int = 0
    windows: list[Interval] = field(default_factory=list)
    priority: int = 0
    delivery: tuple[int, ...] | None = None
    pickup: tuple[int, ...] | None = None


@dataclass
class VrpProblem:
    """Vehicles and jobs over one square duration matrix (and optionally distances)."""

    vehicles: list[VrpVehicle]
    jobs: list[VrpJob]
    durations: IntMatrix
    distances: IntMatrix | None = None


@dataclass
class VrpStep:
    """A solved step: `arrival` at the place, service starts after `waiting`."""

    type: str  # start | job | break | end
    id: int | None
    location: int | None
    arrival: int
    waiting: int
    service: int
    distance: int | None = None

    @property
    def begin(self) -> int:
        """When service (or the break) actually starts."""
        return self.arrival + self.waiting

    @property
    def departure(self) -> int:
        """When the vehicle leaves the step."""
        return self.arrival + self.waiting + self.service


@dataclass
class VrpRoute:
    """A solved route: ordered steps from start to end."""

    vehicle: int
    steps: list[VrpStep]
    cost: int
    duration: int
    distance: int | None


@dataclass
class VrpSolution:
    """Routes, unassigned jobs with reasons, total cost and solve time."""

    routes: list[VrpRoute]
    unassigned: dict[int, str]
    cost: int
    solve_ms: float


def _amount_size(problem: VrpProblem) -> int:
    sizes = [len(v.capacity) for v in problem.vehicles if v.capacity]
    sizes += [len(j.delivery) for j in problem.jobs if j.delivery]
    sizes += [len(j.pickup) for j in problem.jobs if j.pickup]
    return max(sizes, default=0)


def _pad(values: Sequence[int] | None, size: int, fill: int) -> list[int]:
    values = list(values or [])
    return values + [fill] * (size - len(values))


def to_vroom(problem: VrpProblem) -> vroom.Input:
    """Build VROOM's input; amounts are padded to one dimension as VROOM requires."""
    size = _amount_size(problem)
    inp = vroom.Input()
    inp.set_durations_matrix("car", np.ascontiguousarray(problem.durations, dtype=np.uint32))
    if problem.distances is not None:
        inp.set_distances_matrix("car", np.ascontiguousarray(problem.distances, dtype=np.uint32))
    for v in problem.vehicles:
        kwargs: dict = {}
        if v.time_window is not None:
            kwargs["time_window"] = vroom.TimeWindow(*v.time_window)
        if v.max_tasks is not None:
            kwargs["max_tasks"] = v.max_tasks
        if v.max_travel_time is not None:
            kwargs["max_travel_time"] = v.max_travel_time
        inp.add_vehicle(
            vroom.Vehicle(
                v.id,
                start=v.start,
                end=v.end,
                capacity=_pad(v.capacity, size, BIG_CAPACITY) if size else (),
                breaks=[
                    vroom.Break(
                        b.id,
                        time_windows=[vroom.TimeWindow(*w) for w in b.windows],
                        service=b.service,
                    )
                    for b in v.breaks
                ],
                **kwargs,
            )
        )
    inp.add_job(
        [
            vroom.Job(
                j.id,
                location=j.location,
                default_service=j.service,
                delivery=_pad(j.delivery, size, 0) if size else (),
                pickup=_pad(j.pickup, size, 0) if size else (),
                priority=j.priority,
                time_windows=[vroom.TimeWindow(*w) for w in j.windows] or (),
            )
            for j in problem.jobs
        ]
    )
    return inp


def solve(
    problem: VrpProblem,
    *,
    exploration_level: int = 5,
    nb_threads: int = 2,
    timeout_s: float | None = None,
) -> VrpSolution:
    """Solve with VROOM and explain every job it left out."""
    if not problem.jobs or not problem.vehicles:
        unassigned = {j.id: diagnose(problem, j) for j in problem.jobs}
        return VrpSolution([], unassigned, 0, 0.0)
    inp = to_vroom(problem)
    started = _time.perf_counter()
    kwargs = {}
    if timeout_s is not None:
        from datetime import timedelta

        kwargs["timeout"] = timedelta(seconds=timeout_s)
    raw = inp.solve(exploration_level=exploration_level, nb_threads=nb_threads, **kwargs).to_dict()
    solve_ms = (_time.perf_counter() - started) * 1000
    routes = []
    for r in raw.get("routes", []):
        steps = [
            VrpStep(
                type=s["type"],
                id=s.get("id"),
                location=s.get("location_index"),
                arrival=int(s["arrival"]),
                waiting=int(s.get("waiting_time", 0)),
                service=int(s.get("service", 0)),
                distance=s.get("distance"),
            )
            for s in r["steps"]
        ]
        routes.append(
            VrpRoute(
                vehicle=int(r["vehicle"]),
                steps=steps,
                cost=int(r["cost"]),
                duration=int(r["duration"]),
                distance=r.get("distance"),
            )
        )
    by_id = {j.id: j for j in problem.jobs}
    left = [by_id[int(u["id"])] for u in raw.get("unassigned", [])]
    unassigned = {j.id: diagnose(problem, j, left) for j in left}
    return VrpSolution(routes, unassigned, int(raw["summary"]["cost"]), solve_ms)


def _fits_alone(problem: VrpProblem, v: VrpVehicle, job: VrpJob) -> bool:
    """Could `v` serve only this job: reach it inside a window and get back within its hours?"""
    d = problem.durations
    tw = v.time_window or (0, BIG_CAPACITY)
    there = int(d[v.start, job.location]) if v.start is not None else 0
    back = int(d[job.location, v.end]) if v.end is not None else 0
    for lo, hi in job.windows or [(0, BIG_CAPACITY)]:
        begin = max(tw[0] + there, lo)
        if begin <= hi and begin + job.service + back <= tw[1]:
            if v.max_travel_time is None or there + back <= v.max_travel_time:
                return True
    return False


def diagnose(problem: VrpProblem, job: VrpJob, left: Sequence[VrpJob] = ()) -> str:
    """Say why a job could not be planned, by simple checks cheaper than the solve itself."""
    if not any(_fits_alone(problem, v, job) for v in problem.vehicles):
        return UNREACHABLE
    if job.delivery or job.pickup:
        need = [
            max(a, b) for a, b in zip(_pad(job.delivery, 8, 0), _pad(job.pickup, 8, 0), strict=True)
        ]
        caps = [_pad(v.capacity, 8, BIG_CAPACITY) for v in problem.vehicles]
        if not any(all(n <= c for n, c in zip(need, cap, strict=True)) for cap in caps):
            return OVER_CAPACITY
        total = [sum(x) for x in zip(*(_pad(j.delivery, 8, 0) for j in problem.jobs), strict=True)]
        fleet = [sum(x) for x in zip(*caps, strict=True)]
        if any(t > f for t, f in zip(total, fleet, strict=True)):
            return CAPACITY_EXHAUSTED
    return NO_TIME
