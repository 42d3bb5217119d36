"""Point-in-polygon with holes, workload per territory and a greedy rebalance, by hand."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from geo.matrix import Matrix, Point
from geo.territory_planning import (
    Site,
    point_in_polygon,
    points_in_polygon,
    rebalance,
    workload,
)

# A 4 × 4 square (lng 0..4, lat 0..4) with a 2 × 2 hole in the middle.
SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
        [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
    ],
}
ISLAND = {
    "type": "MultiPolygon",
    "coordinates": [
        SQUARE_WITH_HOLE["coordinates"],
        [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]],
    ],
}


@pytest.mark.parametrize(
    ("lat", "lng", "inside"),
    [
        (0.5, 0.5, True),  # in the ring around the hole
        (2.0, 2.0, False),  # in the hole
        (3.5, 2.0, True),  # north of the hole
        (0.0, 2.0, True),  # on the outer edge
        (2.0, 5.0, False),  # east of everything
        (-1.0, 2.0, False),
    ],
)
def test_polygon_with_a_hole(lat: float, lng: float, inside: bool) -> None:
    assert point_in_polygon((lat, lng), SQUARE_WITH_HOLE) is inside


def test_multipolygon_counts_every_part_and_points_without_position_are_out() -> None:
    points: dict[str, Point | None] = {
        "ring": (0.5, 0.5),
        "hole": (2.0, 2.0),
        "island": (10.5, 10.5),
        "sea": (7.0, 7.0),
        "no_pin": None,
    }
    assert points_in_polygon(points, ISLAND) == ["island", "ring"]
    with pytest.raises(ValueError, match="expected a Polygon or MultiPolygon, got 'Point'"):
        point_in_polygon((0, 0), {"type": "Point", "coordinates": [0, 0]})


class LineMatrix:
    """Customers on a line every 0.01° of longitude; one minute of travel per step."""

    def table(self, points: Sequence[Point]) -> Matrix:
        x = np.array([round(p[1] * 100) for p in points], dtype=np.int64)
        steps = np.abs(x[:, None] - x[None, :])
        return Matrix(durations=steps * 60, distances=steps * 1000)


def site(i: int, territory: str, position: int, frequency: int) -> Site:
    return Site(f"c{i}", territory, (0.0, position / 100), frequency, 30)


def test_workload_is_visits_times_duration_plus_tour_share() -> None:
    sites = [site(0, "A", 0, 7), site(1, "A", 1, 7), site(2, "A", 2, 7), site(3, "B", 3, 28)]
    loads = workload([*sites, site(4, "A", 9, 0)], ["A", "B", "empty"], LineMatrix())
    a, b, empty = loads["A"], loads["B"], loads["empty"]
    # A: 3 customers × 4 visits × 30 min; tour 0→1→2→0 is 4 steps = 240 s, 12 visits / 3 stops.
    assert (a.customers, a.visits, a.visit_s, a.travel_s) == (3, 12, 21_600, 960)
    assert a.tour_m == 4000 and a.total_s == 22_560
    # B: one visit of 30 min, nowhere to travel between; "c4" has no regular visits.
    assert (b.visit_s, b.travel_s, b.total_s) == (1800, 0, 1800)
    assert empty.total_s == 0 and empty.customers == 0


def test_rebalance_moves_the_boundary_customer_and_stops_when_nothing_helps() -> None:
    sites = [site(0, "A", 0, 7), site(1, "A", 1, 7), site(2, "A", 2, 7), site(3, "B", 3, 28)]
    result = rebalance(sites, ["A", "B"], LineMatrix(), tolerance=0.15)
    # Moving c2 (next to B): A keeps 0,1 (8 visits, tour 120 s → 480 s travel) = 14 880 s;
    # B gets 5 visits of 30 min plus a 120 s tour × 5 / 2 = 9 300 s. A second move (c1 or c0)
    # would make B busier than A is now, so the greedy stops there.
    assert [(m.customer_id, m.from_territory, m.to_territory) for m in result.moves] == [
        ("c2", "A", "B")
    ]
    assert (result.moves[0].from_total_s, result.moves[0].to_total_s) == (14_880, 9_300)
    assert result.before["A"].total_s == 22_560 and result.before["B"].total_s == 1_800
    assert result.after["A"].total_s == 14_880 and result.after["B"].total_s == 9_300
    assert result.spread_after < result.spread_before
    assert result.notes  # says why it stopped short of the tolerance


def test_rebalance_does_nothing_when_already_even_or_not_neighbours() -> None:
    even = [site(0, "A", 0, 7), site(1, "B", 1, 7)]
    assert rebalance(even, ["A", "B"], LineMatrix()).moves == []
    far = [site(0, "A", 0, 7), site(1, "A", 1, 7), Site("x", "B", (0.0, 50.0), 28, 30)]
    result = rebalance(far, ["A", "B"], LineMatrix(), neighbour_m=10_000)
    assert result.moves == [] and result.after == result.before
