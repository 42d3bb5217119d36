"""VROOM (pyvroom) as one engine of the portfolio: the whole model, breaks and skills included."""

from __future__ import annotations

import time as _time
from datetime import timedelta
from typing import Any

import numpy as np
import vroom

from geo.vrp import (
    BIG_CAPACITY,
    VrpProblem,
    VrpRoute,
    VrpSolution,
    VrpStep,
    _pad,
    amount_size,
    diagnose,
)

NAME = "vroom"


def to_vroom(problem: VrpProblem) -> vroom.Input:
    """Build VROOM's input; amounts are padded to one dimension as VROOM requires."""
    size = amount_size(problem)
    inp = vroom.Input()
    inp.set_durations_matrix("car", np.ascontiguousarray(problem.durations, dtype=np.uint32))
    if problem.distances is not None:
        inp.set_distances_matrix("car", np.ascontiguousarray(problem.distances, dtype=np.uint32))
    for v in problem.vehicles:
        kwargs: dict[str, Any] = {}
        if v.time_window is not None:
            kwargs["time_window"] = vroom.TimeWindow(*v.time_window)
        if v.max_tasks is not None:
            kwargs["max_tasks"] = v.max_tasks
        if v.max_travel_time is not None:
            kwargs["max_travel_time"] = v.max_travel_time
        if v.skills:
            kwargs["skills"] = set(v.skills)
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
                skills=set(j.skills),
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
        return VrpSolution([], unassigned, 0, 0.0, engine=NAME)
    inp = to_vroom(problem)
    started = _time.perf_counter()
    kwargs = {}
    if timeout_s is not None:
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
    return VrpSolution(routes, unassigned, int(raw["summary"]["cost"]), solve_ms, engine=NAME)
