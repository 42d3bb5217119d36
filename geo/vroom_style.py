"""Solve a self-contained problem written like VROOM's JSON input and answer like VROOM's output.

This is what `POST /api/routes/optimize` calls, so integrators can bring their own matrix.
Locations are either `[lon, lat]` (VROOM's order; travel estimated by a MatrixProvider) or
indices into `matrices.car.durations`. All times are integer seconds on the caller's scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from geo import portfolio, vrp
from geo.errors import ProblemError
from geo.matrix import GreatCircleMatrix, MatrixProvider

MAX_JOBS = 5000
MAX_VEHICLES = 500
MAX_BUDGET_S = 60


def _int(raw: Any, path: str, *, minimum: int = 0, maximum: int = 2**32 - 1) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ProblemError(path, f"expected an integer, got {raw!r}")
    if not minimum <= raw <= maximum:
        raise ProblemError(path, f"must be between {minimum} and {maximum}")
    return raw


def _list(raw: Any, path: str) -> list[Any]:
    if not isinstance(raw, list):
        raise ProblemError(path, "expected a list")
    return raw


def _obj(raw: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ProblemError(path, "expected an object")
    return raw


def _window(raw: Any, path: str) -> tuple[int, int]:
    pair = _list(raw, path)
    if len(pair) != 2:
        raise ProblemError(path, "expected [start, end]")
    lo, hi = _int(pair[0], f"{path}/0"), _int(pair[1], f"{path}/1")
    if hi < lo:
        raise ProblemError(path, "window ends before it starts")
    return lo, hi


def _amount(raw: Any, path: str) -> tuple[int, ...]:
    return tuple(_int(v, f"{path}/{i}") for i, v in enumerate(_list(raw, path)))


def _skills(raw: Any, path: str) -> frozenset[int]:
    return frozenset(_int(v, f"{path}/{i}") for i, v in enumerate(_list(raw, path)))


class _Places:
    """Collects locations: either all matrix indices or all coordinates, never a mix."""

    def __init__(self, size: int | None) -> None:
        self.size = size
        self.coords: list[tuple[float, float]] = []  # (lat, lon)
        self.index_of: dict[tuple[float, float], int] = {}

    def place(self, obj: Mapping[str, Any], key: str, path: str, required: bool) -> int | None:
        index_key = f"{key}_index"
        if index_key in obj:
            if self.size is None:
                raise ProblemError(f"{path}/{index_key}", "an index needs matrices.car.durations")
            return _int(obj[index_key], f"{path}/{index_key}", maximum=self.size - 1)
        if key in obj:
            if self.size is not None:
                raise ProblemError(f"{path}/{key}", f"with a matrix, use {index_key}")
            pair = _list(obj[key], f"{path}/{key}")
            ok = len(pair) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in pair
            )
            if not ok or not (-180 <= pair[0] <= 180 and -90 <= pair[1] <= 90):
                raise ProblemError(f"{path}/{key}", "expected [longitude, latitude]")
            latlon = (float(pair[1]), float(pair[0]))
            if latlon not in self.index_of:
                self.index_of[latlon] = len(self.coords)
                self.coords.append(latlon)
            return self.index_of[latlon]
        if required:
            raise ProblemError(f"{path}/{key}", f"{key} or {index_key} is required")
        return None


def _matrix(raw: Any) -> np.ndarray | None:
    if raw is None:
        return None
    car = _obj(_obj(raw, "/matrices").get("car"), "/matrices/car")
    rows = _list(car.get("durations"), "/matrices/car/durations")
    n = len(rows)
    if n == 0:
        raise ProblemError("/matrices/car/durations", "matrix is empty")
    for i, row in enumerate(rows):
        if len(_list(row, f"/matrices/car/durations/{i}")) != n:
            raise ProblemError(
                f"/matrices/car/durations/{i}", f"expected {n} values (square matrix)"
            )
        for j, v in enumerate(row):
            _int(v, f"/matrices/car/durations/{i}/{j}")
    return np.array(rows, dtype=np.int64)


def parse_problem(
    problem: Any, provider: MatrixProvider | None = None
) -> tuple[vrp.VrpProblem, dict[str, Any]]:
    """Validate a VROOM-style problem; raise ProblemError with a JSON-pointer path."""
    body = _obj(problem, "")
    unknown = sorted(set(body) - {"vehicles", "jobs", "matrices", "options"})
    if unknown:
        raise ProblemError(f"/{unknown[0]}", "unknown member")
    durations = _matrix(body.get("matrices"))
    places = _Places(None if durations is None else len(durations))
    options = dict(_obj(body.get("options", {}), "/options"))

    vehicles_raw = _list(body.get("vehicles"), "/vehicles")
    if not vehicles_raw or len(vehicles_raw) > MAX_VEHICLES:
        raise ProblemError("/vehicles", f"expected 1 to {MAX_VEHICLES} vehicles")
    vehicles: list[vrp.VrpVehicle] = []
    seen: set[int] = set()
    break_id = 0
    for i, raw in enumerate(vehicles_raw):
        p = f"/vehicles/{i}"
        v = _obj(raw, p)
        vid = _int(v.get("id"), f"{p}/id")
        if vid in seen:
            raise ProblemError(f"{p}/id", f"duplicate vehicle id {vid}")
        seen.add(vid)
        start = places.place(v, "start", p, required=False)
        end = places.place(v, "end", p, required=False)
        if start is None and end is None:
            raise ProblemError(p, "a vehicle needs a start or an end")
        breaks = []
        for k, b in enumerate(_list(v.get("breaks", []), f"{p}/breaks")):
            bp = f"{p}/breaks/{k}"
            b = _obj(b, bp)
            tws = [
                _window(w, f"{bp}/time_windows/{n}")
                for n, w in enumerate(_list(b.get("time_windows", []), f"{bp}/time_windows"))
            ]
            breaks.append(vrp.VrpBreak(break_id, tws, _int(b.get("service", 0), f"{bp}/service")))
            break_id += 1
        vehicles.append(
            vrp.VrpVehicle(
                id=vid,
                start=start,
                end=end,
                time_window=_window(v["time_window"], f"{p}/time_window")
                if "time_window" in v
                else None,
                breaks=breaks,
                capacity=_amount(v["capacity"], f"{p}/capacity") if "capacity" in v else None,
                max_tasks=_int(v["max_tasks"], f"{p}/max_tasks") if "max_tasks" in v else None,
                max_travel_time=_int(v["max_travel_time"], f"{p}/max_travel_time")
                if "max_travel_time" in v
                else None,
                skills=_skills(v.get("skills", []), f"{p}/skills"),
            )
        )

    jobs_raw = _list(body.get("jobs"), "/jobs")
    if len(jobs_raw) > MAX_JOBS:
        raise ProblemError("/jobs", f"at most {MAX_JOBS} jobs")
    jobs: list[vrp.VrpJob] = []
    seen = set()
    for i, raw in enumerate(jobs_raw):
        p = f"/jobs/{i}"
        j = _obj(raw, p)
        jid = _int(j.get("id"), f"{p}/id")
        if jid in seen:
            raise ProblemError(f"{p}/id", f"duplicate job id {jid}")
        seen.add(jid)
        location = places.place(j, "location", p, required=True)
        assert location is not None
        delivery = j.get("delivery", j.get("amount"))
        jobs.append(
            vrp.VrpJob(
                id=jid,
                location=location,
                service=_int(j.get("service", 0), f"{p}/service"),
                windows=[
                    _window(w, f"{p}/time_windows/{n}")
                    for n, w in enumerate(_list(j.get("time_windows", []), f"{p}/time_windows"))
                ],
                priority=_int(j.get("priority", 0), f"{p}/priority", maximum=100),
                delivery=_amount(delivery, f"{p}/delivery") if delivery is not None else None,
                pickup=_amount(j["pickup"], f"{p}/pickup") if "pickup" in j else None,
                skills=_skills(j.get("skills", []), f"{p}/skills"),
            )
        )
    sizes = {len(v.capacity) for v in vehicles if v.capacity is not None}
    sizes |= {len(x) for j in jobs for x in (j.delivery, j.pickup) if x is not None}
    if len(sizes) > 1:
        raise ProblemError("/", "capacity and amounts must all have the same number of values")

    distances = None
    if durations is None:
        if not places.coords:
            raise ProblemError("/jobs", "no locations given")
        m = (provider or GreatCircleMatrix()).table(places.coords)
        durations, distances = m.durations, m.distances
    return vrp.VrpProblem(vehicles, jobs, durations, distances), options


def _budget(raw: Any) -> float | None:
    """`options.time_budget_s`: seconds the solve may take, more than 0 and at most 60."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ProblemError("/options/time_budget_s", f"expected a number of seconds, got {raw!r}")
    if not 0 < raw <= MAX_BUDGET_S:
        raise ProblemError(
            "/options/time_budget_s", f"must be more than 0 and at most {MAX_BUDGET_S}"
        )
    return float(raw)


def solve_vroom_style(problem: Any, provider: MatrixProvider | None = None) -> dict[str, Any]:
    """Answer routes (steps with arrival, service, waiting) and unassigned jobs with a reason."""
    parsed, options = parse_problem(problem, provider)
    level = _int(
        options.get("exploration_level", 5), "/options/exploration_level", minimum=0, maximum=5
    )
    budget = _budget(options.get("time_budget_s"))
    engine = options.get("engine", portfolio.AUTO)
    if engine not in portfolio.ENGINES:
        raise ProblemError("/options/engine", f"expected one of {', '.join(portfolio.ENGINES)}")
    solution = portfolio.solve(
        parsed, engine=engine, time_budget_s=budget, exploration_level=level, nb_threads=2
    )
    routes = []
    for r in solution.routes:
        steps = []
        for s in r.steps:
            step: dict[str, Any] = {
                "type": s.type,
                "arrival": s.arrival,
                "waiting_time": s.waiting,
                "service": s.service,
            }
            if s.id is not None:
                step["id"] = s.id
            if s.location is not None:
                step["location_index"] = s.location
            steps.append(step)
        route: dict[str, Any] = {
            "vehicle": r.vehicle,
            "cost": r.cost,
            "duration": r.duration,
            "steps": steps,
        }
        if r.distance is not None and parsed.distances is not None:
            route["distance"] = r.distance
        routes.append(route)
    unassigned = [
        {"id": jid, "type": "job", "reason": reason, "description": vrp.REASON_TEXT[reason]}
        for jid, reason in sorted(solution.unassigned.items())
    ]
    return {
        "code": 0,
        "summary": {
            "cost": solution.cost,
            "routes": len(routes),
            "unassigned": len(unassigned),
            "duration": sum(r.duration for r in solution.routes),
            "computing_times": {"solving": round(solution.solve_ms)},
            "engine": solution.engine,
            "engine_reason": solution.reason,
        },
        "routes": routes,
        "unassigned": unassigned,
    }
