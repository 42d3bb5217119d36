"""The solver portfolio: an explained choice, and plans from either engine that keep every rule."""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
import structlog
from structlog.testing import LogCapture

from geo import feasibility, portfolio
from geo.errors import InfeasibleResult, ProblemError
from geo.planner import Customer, Rep, plan_week
from geo.vrp import VrpBreak, VrpJob, VrpProblem, VrpVehicle
from tests.unit.geo.checker import check_plan

MONDAY = date(2026, 11, 23)
OFFICE = (59.4370, 24.7536)


def field_problem(n: int = 40, seed: int = 3, *, breaks: bool = True) -> VrpProblem:
    """Two depots, four vehicles with hours, lunch, capacity and a stop cap; windows, amounts."""
    rnd = random.Random(seed)
    pts = [(rnd.uniform(0, 60), rnd.uniform(0, 60)) for _ in range(n + 2)]
    xy = np.array(pts)
    d = np.rint(np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)) * 60).astype(np.int64)
    vehicles = [
        VrpVehicle(
            id=10 + k,
            start=k % 2,
            end=k % 2,
            time_window=(8 * 3600, 17 * 3600),
            breaks=[VrpBreak(k, [(12 * 3600, 13 * 3600)], 1800)] if breaks else [],
            capacity=(60,),
            max_tasks=12,
            max_travel_time=4 * 3600,
        )
        for k in range(4)
    ]
    jobs = []
    for i in range(n):
        lo = rnd.choice([8, 9, 10, 13, 14]) * 3600
        jobs.append(
            VrpJob(
                id=100 + i,
                location=2 + i,
                service=rnd.choice([600, 900]),
                windows=[(lo, lo + 3 * 3600)],
                delivery=(rnd.randint(1, 8),),
                priority=rnd.choice([0, 0, 50]),
            )
        )
    return VrpProblem(vehicles, jobs, d)


def test_the_choice_is_explained_and_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    p = field_problem(20, breaks=False)
    assert portfolio.choose(p, time_budget_s=2).engine == "pyvrp"
    short = portfolio.choose(p, time_budget_s=0.05)
    assert short.engine == "vroom" and "too short for a search" in short.reason
    skilled = replace(p, jobs=[replace(p.jobs[0], skills=frozenset({1})), *p.jobs[1:]])
    assert portfolio.choose(skilled).engine == "vroom"
    assert "skills" in portfolio.choose(skilled).reason
    open_route = replace(p, vehicles=[replace(p.vehicles[0], end=None), *p.vehicles[1:]])
    assert "open routes" in portfolio.choose(open_route).reason
    lunch = field_problem(20, breaks=True)
    assert portfolio.choose(lunch, time_budget_s=2).engine == "vroom"
    assert "breaks" in portfolio.choose(lunch, time_budget_s=2).reason
    assert (
        portfolio.choose(lunch, "pyvrp").reason
        == "asked for PyVRP (breaks placed after its search)"
    )
    with pytest.raises(ProblemError) as err:
        portfolio.choose(skilled, "pyvrp")
    assert err.value.path == "/options/engine"
    # The app's logging (configured by any earlier test) filters info events and caches
    # loggers: capture into a fresh, unfiltered one for this call.
    cap = LogCapture()
    before = structlog.get_config()
    structlog.configure(
        processors=[cap],
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False,
    )
    try:
        monkeypatch.setattr(portfolio, "log", structlog.get_logger("geo.portfolio"))
        sol = portfolio.solve(p, time_budget_s=0.05)
    finally:
        structlog.configure(**before)
    logs = cap.entries
    chosen = [e for e in logs if e["event"] == "routes.solver_chosen"]
    assert chosen and chosen[0]["engine"] == "vroom" == sol.engine
    assert chosen[0]["reason"] == sol.reason and "too short" in sol.reason


@pytest.mark.parametrize("engine", ["vroom", "pyvrp", "auto"])
@pytest.mark.parametrize("breaks", [True, False])
def test_every_plan_keeps_windows_capacity_hours_breaks_and_limits(
    engine: str, breaks: bool
) -> None:
    p = field_problem(breaks=breaks)
    sol = portfolio.solve(p, engine=engine, time_budget_s=1.0, exploration_level=2)
    assert feasibility.check(p, sol) == []
    auto = "vroom" if breaks else "pyvrp"  # auto leaves breaks to VROOM
    assert sol.engine == (auto if engine == "auto" else engine)
    served = {s.id for r in sol.routes for s in r.steps if s.type == "job"}
    assert len(served) >= 36  # 4 vehicles x 12 stops can hold all 40 but for hard windows
    if breaks:
        for r in sol.routes:
            lunch = [s for s in r.steps if s.type == "break"]
            assert len(lunch) == 1 and 12 * 3600 <= lunch[0].begin <= 13 * 3600


@pytest.mark.parametrize("engine", ["vroom", "pyvrp"])
def test_when_not_everything_fits_the_higher_priority_stays(engine: str) -> None:
    p = field_problem(30, breaks=False)
    one = replace(p.vehicles[0], max_tasks=5)
    urgent = {j.id for j in p.jobs[:5]}
    jobs = [replace(j, priority=100 if j.id in urgent else 0, windows=[]) for j in p.jobs]
    sol = portfolio.solve(replace(p, vehicles=[one], jobs=jobs), engine=engine, time_budget_s=1.0)
    served = {s.id for r in sol.routes for s in r.steps if s.type == "job"}
    assert served == urgent and len(sol.unassigned) == 25


def test_a_break_pyvrp_cannot_place_is_never_skipped() -> None:
    d = np.array([[0, 50], [50, 0]], dtype=np.int64)
    p = VrpProblem(
        [VrpVehicle(1, 0, 0, (0, 1000), breaks=[VrpBreak(1, [(100, 100)], 50)])],
        [VrpJob(5, 1, service=20, windows=[(90, 95)])],
        d,
    )
    with pytest.raises(InfeasibleResult, match="no room for the break"):
        portfolio.solve(p, engine="pyvrp", time_budget_s=1.0)
    sol = portfolio.solve(p, time_budget_s=1.0)
    assert sol.engine == "vroom"
    assert feasibility.check(p, sol) == [] and sol.unassigned == {5: "no_time_left"}


@pytest.mark.parametrize("engine", ["vroom", "pyvrp"])
def test_a_week_plan_keeps_local_hours_lunch_and_opening_times(engine: str) -> None:
    rnd = random.Random(5)
    hours = {d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in ("mon", "tue", "wed", "thu")}
    cs = [
        Customer(
            f"c{i}",
            (OFFICE[0] + rnd.uniform(-0.05, 0.05), OFFICE[1] + rnd.uniform(-0.1, 0.1)),
            opening_hours=hours,
            service_s=rnd.choice([900, 1500]),
            priority=rnd.choice([0, 30]),
        )
        for i in range(45)
    ]
    rep = Rep("r", OFFICE, work_start="08:30", work_end="16:30", break_s=2700)
    plan = plan_week(rep, cs, MONDAY, engine=engine, timeout_s=1.5, exploration_level=2)
    assert check_plan(plan, [rep], cs) == []
    assert plan.stats["engine"] == engine
    assert sum(len(r.stops) for r in plan.routes) >= 40
