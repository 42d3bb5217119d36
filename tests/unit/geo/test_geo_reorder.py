"""The offline re-order heuristic keeps windows and beats a bad order."""

from __future__ import annotations

import random

from geo.matrix import GreatCircleMatrix
from geo.reorder import Visit, reorder, schedule


def grid(n: int, seed: int) -> tuple[list[list[int]], list[tuple[float, float]]]:
    rnd = random.Random(seed)
    pts = [(59.43 + rnd.uniform(-0.05, 0.05), 24.75 + rnd.uniform(-0.1, 0.1)) for _ in range(n)]
    return GreatCircleMatrix().table(pts).durations.tolist(), pts


def test_reorder_is_shorter_than_the_given_order_and_keeps_every_stop() -> None:
    durations, _ = grid(13, seed=5)
    visits = [Visit(f"v{i}", i, service_s=600) for i in range(1, 13)]
    timed = reorder(visits, durations, position=0, now=0, end=0)
    assert sorted(t.key for t in timed) == sorted(v.key for v in visits)
    by_key = {v.key: v for v in visits}
    _, _, travel_new = schedule([by_key[t.key] for t in timed], durations, 0, 0, end=0)
    _, _, travel_old = schedule(visits, durations, 0, 0, end=0)
    assert travel_new < travel_old


def test_reorder_meets_every_window_that_can_be_met() -> None:
    durations, _ = grid(9, seed=8)
    # Windows staggered against index order, so the naive order would be late.
    visits = [
        Visit(f"v{i}", i, service_s=300, windows=((3600 * (8 - i), 3600 * (8 - i) + 1800),))
        for i in range(1, 9)
    ]
    timed = reorder(visits, durations, position=0, now=0)
    assert not any(t.late for t in timed)
    for t in timed:
        v = next(v for v in visits if v.key == t.key)
        assert any(lo <= t.start <= hi for lo, hi in v.windows)
        assert t.arrival <= t.start and t.departure == t.start + v.service_s
    starts = [t.start for t in timed]
    assert starts == sorted(starts)


def test_a_window_already_missed_is_reported_late_not_dropped() -> None:
    durations, _ = grid(4, seed=1)
    visits = [Visit("gone", 1, 300, ((0, 10),)), Visit("ok", 2, 300), Visit("ok2", 3, 300)]
    timed = reorder(visits, durations, position=0, now=5000)
    assert [t.key for t in timed if t.late] == ["gone"]
    assert timed[-1].key == "gone"
