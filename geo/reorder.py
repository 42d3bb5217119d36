"""Offline re-ordering of the rest of today's stops: nearest neighbour, then 2-opt and or-opt.

Kept deliberately small because the PWA runs a line-by-line port of it in JavaScript:
plain lists, integer seconds, no solver. Steps:

1. Nearest neighbour: from the current position and time, go next to the stop whose service can
   start earliest (arrival, or its window opening when early) among those still reachable in a
   window; stops no longer reachable are appended at the end, marked late.
2. Improve while anything improves: 2-opt (reverse a segment) and or-opt (move a run of 1–3
   stops elsewhere). A move is kept only if it lowers (late stops, travel seconds), compared in
   that order, so feasibility never gets worse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Durations = Sequence[Sequence[int]]


@dataclass(frozen=True)
class Visit:
    """A stop still to make: its matrix index, visit length and windows for the service start."""

    key: str
    index: int
    service_s: int = 0
    windows: tuple[tuple[int, int], ...] = ()  # empty = any time


@dataclass(frozen=True)
class Timed:
    """A visit placed in time; `late` when no window could be met."""

    key: str
    arrival: int
    start: int
    departure: int
    late: bool


def service_start(visit: Visit, arrival: int) -> tuple[int, bool]:
    """Earliest service start at or after `arrival` inside a window, and whether it is late."""
    if not visit.windows:
        return arrival, False
    for lo, hi in sorted(visit.windows):
        if arrival <= hi:
            return max(arrival, lo), False
    return arrival, True


def schedule(
    order: Sequence[Visit],
    durations: Durations,
    position: int,
    now: int,
    end: int | None = None,
    end_by: int | None = None,
) -> tuple[list[Timed], int, int]:
    """Times of visits made in `order`; returns (timed visits, late count, travel seconds)."""
    timed: list[Timed] = []
    here, clock, travel, late = position, now, 0, 0
    for v in order:
        leg = durations[here][v.index]
        travel += leg
        arrival = clock + leg
        start, is_late = service_start(v, arrival)
        late += is_late
        clock = start + v.service_s
        timed.append(Timed(v.key, arrival, start, clock, is_late))
        here = v.index
    if end is not None:
        travel += durations[here][end]
        if end_by is not None and clock + durations[here][end] > end_by:
            late += 1
    return timed, late, travel


def nearest_neighbour(
    visits: Sequence[Visit], durations: Durations, position: int, now: int
) -> list[Visit]:
    """Greedy first order: always the stop where work can start soonest."""
    rest = list(visits)
    order: list[Visit] = []
    here, clock = position, now
    while rest:
        best, best_key = None, None
        for v in rest:
            start, late = service_start(v, clock + durations[here][v.index])
            key = (late, start, durations[here][v.index])
            if best_key is None or key < best_key:
                best, best_key = v, key
        assert best is not None
        rest.remove(best)
        order.append(best)
        start, _ = service_start(best, clock + durations[here][best.index])
        clock = start + best.service_s
        here = best.index
    return order


def reorder(
    visits: Sequence[Visit],
    durations: Durations,
    position: int,
    now: int,
    end: int | None = None,
    end_by: int | None = None,
    max_rounds: int = 50,
) -> list[Timed]:
    """Re-order the remaining visits from `position` at `now` (seconds on the matrix's scale)."""
    order = nearest_neighbour(visits, durations, position, now)

    def score(o: Sequence[Visit]) -> tuple[int, int]:
        _, late, travel = schedule(o, durations, position, now, end, end_by)
        return late, travel

    best = score(order)
    n = len(order)
    for _ in range(max_rounds):
        improved = False
        for i in range(n - 1):  # 2-opt: reverse order[i..j]
            for j in range(i + 1, n):
                cand = order[:i] + order[i : j + 1][::-1] + order[j + 1 :]
                s = score(cand)
                if s < best:
                    order, best, improved = cand, s, True
        for length in (1, 2, 3):  # or-opt: move a run of `length` stops to position k
            for i in range(n - length + 1):
                run = order[i : i + length]
                rest = order[:i] + order[i + length :]
                for k in range(len(rest) + 1):
                    if k == i:
                        continue
                    cand = rest[:k] + run + rest[k:]
                    s = score(cand)
                    if s < best:
                        order, best, improved = cand, s, True
                        break
        if not improved:
            break
    timed, _, _ = schedule(order, durations, position, now, end, end_by)
    return timed
