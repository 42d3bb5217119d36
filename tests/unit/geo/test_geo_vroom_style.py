"""The VROOM-style JSON problem: explicit matrices, coordinates, validation paths."""

from __future__ import annotations

import copy

import pytest

from geo.errors import ProblemError
from geo.vroom_style import solve_vroom_style

MATRIX = [
    [0, 600, 900, 1200],
    [600, 0, 400, 800],
    [900, 400, 0, 500],
    [1200, 800, 500, 0],
]


def problem(**over: object) -> dict:
    base = {
        "vehicles": [
            {
                "id": 1,
                "start_index": 0,
                "end_index": 0,
                "time_window": [0, 6000],
                "capacity": [10],
                "breaks": [{"id": 1, "time_windows": [[1500, 2500]], "service": 300}],
            }
        ],
        "jobs": [
            {
                "id": 11,
                "location_index": 1,
                "service": 300,
                "time_windows": [[0, 1000]],
                "delivery": [4],
            },
            {"id": 12, "location_index": 2, "service": 300, "delivery": [4]},
            {
                "id": 13,
                "location_index": 3,
                "service": 300,
                "time_windows": [[2000, 2600]],
                "delivery": [2],
            },
        ],
        "matrices": {"car": {"durations": MATRIX}},
    }
    base.update(over)
    return copy.deepcopy(base)


def test_explicit_matrix_answers_arrivals_that_follow_the_matrix_and_windows() -> None:
    out = solve_vroom_style(problem())
    assert out["unassigned"] == []
    steps = out["routes"][0]["steps"]
    jobs = [s for s in steps if s["type"] == "job"]
    assert sorted(s["id"] for s in jobs) == [11, 12, 13]
    windows = {11: (0, 1000), 13: (2000, 2600)}
    for s in jobs:
        lo, hi = windows.get(s["id"], (0, 10**9))
        assert lo <= s["arrival"] + s["waiting_time"] <= hi
    brk = next(s for s in steps if s["type"] == "break")
    assert 1500 <= brk["arrival"] + brk["waiting_time"] <= 2500
    prev = steps[0]
    for s in steps[1:]:
        if s["type"] != "break" and "location_index" in prev:
            leg = MATRIX[prev["location_index"]][s["location_index"]]
            assert s["arrival"] >= prev["arrival"] + prev["waiting_time"] + prev["service"] + leg
        if s["type"] != "break":
            prev = s


def test_unassigned_jobs_carry_a_reason() -> None:
    p = problem()
    p["jobs"].append({"id": 14, "location_index": 3, "service": 60, "time_windows": [[0, 100]]})
    p["jobs"].append({"id": 15, "location_index": 1, "service": 60, "delivery": [50]})
    out = solve_vroom_style(p)
    reasons = {u["id"]: u["reason"] for u in out["unassigned"]}
    assert reasons == {14: "window_unreachable", 15: "over_capacity"}


def test_coordinates_without_matrix_use_great_circle_estimates() -> None:
    p = {
        "vehicles": [{"id": 1, "start": [24.7536, 59.4370], "end": [24.7536, 59.4370]}],
        "jobs": [
            {"id": 1, "location": [26.7290, 58.3780], "service": 600},
            {"id": 2, "location": [24.80, 59.40], "service": 600},
        ],
    }
    out = solve_vroom_style(p)
    assert out["unassigned"] == [] and out["routes"][0]["distance"] > 2 * 200_000


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda p: p["jobs"][1].update(location_index=9), "/jobs/1/location_index"),
        (lambda p: p["jobs"][0].update(time_windows=[[50, 10]]), "/jobs/0/time_windows/0"),
        (lambda p: p["jobs"][2].update(id=11), "/jobs/2/id"),
        (lambda p: p["jobs"][0].update(priority=101), "/jobs/0/priority"),
        (lambda p: p["vehicles"][0].update(time_window="all day"), "/vehicles/0/time_window"),
        (lambda p: p["matrices"]["car"]["durations"][2].pop(), "/matrices/car/durations/2"),
        (lambda p: p["jobs"][1].pop("location_index"), "/jobs/1/location"),
        (lambda p: p.update(vehicles=[]), "/vehicles"),
        (lambda p: p["jobs"][0].update(location=[24.0, 59.0]), "/jobs/0/location"),
    ],
)
def test_bad_problems_point_at_the_bad_value(mutate, path: str) -> None:  # type: ignore[no-untyped-def]
    p = problem()
    p["jobs"][0].pop("location_index") if path == "/jobs/0/location" else None
    mutate(p)
    with pytest.raises(ProblemError) as err:
        solve_vroom_style(p)
    assert err.value.path == path
