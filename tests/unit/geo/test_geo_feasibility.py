"""Our own feasibility checker: it passes a sound hand-made plan and catches each broken rule."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from geo import feasibility
from geo.vrp import VrpBreak, VrpJob, VrpProblem, VrpRoute, VrpSolution, VrpStep, VrpVehicle

# Depot 0, customers at 1 and 2: 100 s from the depot, 50 s between them.
D = np.array([[0, 100, 100], [100, 0, 50], [100, 50, 0]], dtype=np.int64)


def problem(**vehicle: object) -> VrpProblem:
    v = VrpVehicle(
        id=7,
        start=0,
        end=0,
        time_window=(0, 1000),
        breaks=[VrpBreak(3, [(200, 400)], 60)],
        capacity=(10,),
        max_tasks=2,
        max_travel_time=400,
        skills=frozenset({1}),
    )
    return VrpProblem(
        [replace(v, **vehicle)],  # type: ignore[arg-type]
        [
            VrpJob(1, 1, service=30, windows=[(100, 150)], delivery=(4,)),
            VrpJob(2, 2, service=30, windows=[(0, 500)], pickup=(5,), skills=frozenset({1})),
        ],
        D,
    )


def steps() -> list[VrpStep]:
    """Leave at 0, job 1 at 100-130, break 200-260 there, job 2 at 310-340, home at 440."""
    return [
        VrpStep("start", None, 0, 0, 0, 0),
        VrpStep("job", 1, 1, 100, 0, 30),
        VrpStep("break", 3, None, 130, 70, 60),
        VrpStep("job", 2, 2, 310, 0, 30),
        VrpStep("end", None, 0, 440, 0, 0),
    ]


def solution(route_steps: list[VrpStep], unassigned: dict[int, str] | None = None) -> VrpSolution:
    return VrpSolution([VrpRoute(7, route_steps, 250, 250, None)], unassigned or {}, 250, 1.0)


def broken(route_steps: list[VrpStep], **vehicle: object) -> list[str]:
    return feasibility.check(problem(**vehicle), solution(route_steps))


def test_a_sound_plan_passes() -> None:
    assert broken(steps()) == []
    assert feasibility.travel_time(problem(), solution(steps()).routes[0]) == 250


def test_service_outside_the_window_is_caught() -> None:
    late = steps()
    late[1] = VrpStep("job", 1, 1, 100, 60, 30)  # starts at 160, window closes at 150
    late[2] = VrpStep("break", 3, None, 190, 10, 60)
    assert any("job 1: service starts at 160" in e for e in broken(late))


def test_driving_faster_than_the_matrix_is_caught() -> None:
    fast = [s for s in steps() if s.type != "break"]
    fast[2] = VrpStep("job", 2, 2, 150, 0, 30)  # 20 s after job 1; the drive takes 50 s
    fast[3] = VrpStep("end", None, 0, 280, 0, 0)
    assert any("job 2 reached 20s after leaving job 1, needs 50s" in e for e in broken(fast))
    assert broken(fast, breaks=[]) == [
        "vehicle 7: job 2 reached 20s after leaving job 1, needs 50s"
    ]


def test_over_capacity_is_caught() -> None:
    # Leaves with 4, drops 4, picks up 5: fine for 10, not for capacity 4.
    assert any("over capacity" in e for e in broken(steps(), capacity=(4,)))


def test_working_hours_are_kept() -> None:
    assert any("ends at 440, after 400" in e for e in broken(steps(), time_window=(0, 400)))
    assert any("starts at 0, before 50" in e for e in broken(steps(), time_window=(50, 1000)))


def test_a_missing_short_or_misplaced_break_is_caught() -> None:
    without = [s for s in steps() if s.type != "break"]
    assert any("break 3 taken 0 times" in e for e in broken(without))
    short = steps()
    short[2] = VrpStep("break", 3, None, 130, 70, 20)
    assert any("too short" in e for e in broken(short))
    early = steps()
    early[2] = VrpStep("break", 3, None, 130, 0, 60)  # starts at 130, the window opens at 200
    assert any("outside window" in e for e in broken(early))


def test_limits_skills_and_service_are_checked() -> None:
    assert any("more than 1" in e for e in broken(steps(), max_tasks=1))
    assert any("over the limit" in e for e in broken(steps(), max_travel_time=200))
    assert any("needs skills" in e for e in broken(steps(), skills=frozenset()))
    quick = steps()
    quick[1] = VrpStep("job", 1, 1, 100, 0, 10)
    assert any("service 10s, not 30s" in e for e in broken(quick))


def test_jobs_served_twice_or_lost_are_caught() -> None:
    twice = steps()
    twice.insert(4, VrpStep("job", 1, 1, 400, 0, 0))
    assert "a job is served twice" in feasibility.check(problem(), solution(twice))
    lost = [s for s in steps() if s.id != 2 or s.type != "job"]
    assert "a job is neither served nor listed as unassigned" in feasibility.check(
        problem(), solution(lost)
    )
    both = solution(steps(), {2: "no_time_left"})
    assert "a job is both served and listed as unassigned" in feasibility.check(problem(), both)


@pytest.mark.parametrize("where", [(1, 0), (0, 1)])
def test_a_route_must_start_and_end_at_the_vehicles_places(where: tuple[int, int]) -> None:
    start, end = where
    assert any("somewhere else" in e for e in broken(steps(), start=start, end=end))
