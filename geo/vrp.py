"""A small integer VRP model that every solver is fed, plus reasons for unassigned jobs.

Everything here is in whole seconds since a planning epoch and matrix indices, so the day/week
planner and the VROOM-style JSON endpoint share one model, one portfolio of solvers
(`geo.portfolio`) and one diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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
    skills: frozenset[int] = frozenset()


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
    skills: frozenset[int] = frozenset()  # the serving vehicle must have all of them


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
    engine: str = "vroom"
    reason: str = ""  # why this engine was chosen (geo.portfolio)


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


def _pad(values: Sequence[int] | None, size: int, fill: int) -> list[int]:
    values = list(values or [])
    return values + [fill] * (size - len(values))


def amount_size(problem: VrpProblem) -> int:
    """How many load dimensions the problem uses (0 = none)."""
    sizes = [len(v.capacity) for v in problem.vehicles if v.capacity]
    sizes += [len(j.delivery) for j in problem.jobs if j.delivery]
    sizes += [len(j.pickup) for j in problem.jobs if j.pickup]
    return max(sizes, default=0)


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
