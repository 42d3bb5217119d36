"""Which solver answers a routing problem, and why; every answer is checked before it is used.

PyVRP's search finds shorter routes than VROOM's when it has time to search and the problem
fits its model (capacities, windows, several vehicles and depots, optional stops with priorities,
shift and travel limits). VROOM answers problems with breaks, skills or open routes, and
budgets too short for a search (VROOM's construction is good from the first millisecond).
PyVRP can be asked for a problem with one break per vehicle (placed after its search), but
`auto` does not choose it: on reps' days and weeks with a lunch break it planned more driving
and left more visits out than VROOM in the same time (benchmarks/route_bench.py).
Both get the same model and matrix; our own checker (`geo.feasibility`) replays the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import structlog

from geo import feasibility, solver_pyvrp, solver_vroom
from geo.errors import InfeasibleResult, ProblemError
from geo.vrp import VrpProblem, VrpSolution

log = structlog.get_logger(__name__)
AUTO, VROOM, PYVRP = "auto", solver_vroom.NAME, solver_pyvrp.NAME
ENGINES = (AUTO, VROOM, PYVRP)
MIN_SEARCH_S = 0.2  # below this (or PER_JOB_S a job) a search cannot beat VROOM's construction
PER_JOB_S = 0.004
DEFAULT_PER_JOB_S = 0.015  # the budget when none is given: ~1.5 s for 100 stops
DEFAULT_MIN_S, DEFAULT_MAX_S = 0.5, 10.0


@dataclass(frozen=True)
class Choice:
    """The engine that will answer and the plain-words reason for it."""

    engine: str
    reason: str
    time_budget_s: float | None


def min_search_s(problem: VrpProblem) -> float:
    """The shortest budget worth giving PyVRP for this problem."""
    return max(MIN_SEARCH_S, PER_JOB_S * len(problem.jobs))


def default_budget_s(problem: VrpProblem) -> float:
    """The time budget used when the caller gives none, growing with the number of jobs."""
    return min(DEFAULT_MAX_S, max(DEFAULT_MIN_S, DEFAULT_PER_JOB_S * len(problem.jobs)))


def choose(problem: VrpProblem, engine: str = AUTO, time_budget_s: float | None = None) -> Choice:
    """Pick the engine; raise ProblemError when the asked-for engine cannot model the problem."""
    if engine not in ENGINES:
        raise ProblemError("/options/engine", f"expected one of {', '.join(ENGINES)}")
    lacks = solver_pyvrp.unsupported(problem)
    if engine == VROOM:
        return Choice(VROOM, "asked for VROOM", time_budget_s)
    if engine == PYVRP:
        if lacks is not None:
            raise ProblemError("/options/engine", f"PyVRP cannot model {lacks}; use vroom or auto")
        placed = (
            " (breaks placed after its search)" if any(v.breaks for v in problem.vehicles) else ""
        )
        return Choice(PYVRP, f"asked for PyVRP{placed}", time_budget_s or default_budget_s(problem))
    if lacks is not None:
        return Choice(VROOM, f"the problem has {lacks}, which PyVRP does not model", time_budget_s)
    if any(v.breaks for v in problem.vehicles):
        return Choice(
            VROOM,
            "the problem has breaks, which PyVRP does not model (placed after its search, "
            "they cost more driving than VROOM's plan)",
            time_budget_s,
        )
    budget = time_budget_s if time_budget_s is not None else default_budget_s(problem)
    floor = min_search_s(problem)
    if budget < floor:
        return Choice(
            VROOM,
            f"a {budget:g} s budget is too short for a search on {len(problem.jobs)} jobs "
            f"(PyVRP from {floor:g} s)",
            budget,
        )
    return Choice(PYVRP, "fits PyVRP's model and the budget allows a search", budget)


def _run(
    problem: VrpProblem, choice: Choice, exploration_level: int, nb_threads: int, seed: int
) -> VrpSolution:
    if choice.engine == PYVRP:
        assert choice.time_budget_s is not None
        return solver_pyvrp.solve(problem, time_budget_s=choice.time_budget_s, seed=seed)
    return solver_vroom.solve(
        problem,
        exploration_level=exploration_level,
        nb_threads=nb_threads,
        timeout_s=choice.time_budget_s,
    )


def solve(
    problem: VrpProblem,
    *,
    engine: str = AUTO,
    time_budget_s: float | None = None,
    exploration_level: int = 5,
    nb_threads: int = 2,
    seed: int = 0,
) -> VrpSolution:
    """Solve with the chosen engine; an answer that fails our check is never returned."""
    choice = choose(problem, engine, time_budget_s)
    log.info(
        "routes.solver_chosen",
        engine=choice.engine,
        reason=choice.reason,
        jobs=len(problem.jobs),
        vehicles=len(problem.vehicles),
        time_budget_s=choice.time_budget_s,
    )
    try:
        solution = _run(problem, choice, exploration_level, nb_threads, seed)
    except solver_pyvrp.NoRoomForBreak as exc:
        if engine != AUTO:
            raise InfeasibleResult(PYVRP, [f"no room for the break of {exc}"]) from None
        log.info("routes.solver_fallback", engine=PYVRP, reason=f"no room for a break ({exc})")
        choice = Choice(VROOM, f"PyVRP's routes left no room for the break of {exc}", time_budget_s)
        solution = _run(problem, choice, exploration_level, nb_threads, seed)
    broken = feasibility.check(problem, solution)
    if broken and choice.engine == PYVRP and engine == AUTO:
        log.warning(
            "routes.infeasible_result", engine=PYVRP, violations=len(broken), first=broken[0]
        )
        choice = Choice(VROOM, f"PyVRP's answer failed our check ({broken[0]})", time_budget_s)
        solution = _run(problem, choice, exploration_level, nb_threads, seed)
        broken = feasibility.check(problem, solution)
    if broken:
        log.error(
            "routes.infeasible_result",
            engine=choice.engine,
            violations=len(broken),
            first=broken[0],
        )
        raise InfeasibleResult(choice.engine, broken)
    log.info(
        "routes.solved",
        engine=choice.engine,
        solve_ms=round(solution.solve_ms, 1),
        cost=solution.cost,
        routes=len(solution.routes),
        unassigned=len(solution.unassigned),
    )
    return replace(solution, engine=choice.engine, reason=choice.reason)
