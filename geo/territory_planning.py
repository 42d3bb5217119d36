"""Territory arithmetic: point-in-polygon, workload per territory and a greedy rebalance.

Pure functions (no Litestar, no Piccolo) so imports, the API and the PWA's planning view agree.
Workload is in seconds per four weeks: visits (28 / frequency × visit length) plus travel,
estimated as the share of a nearest-neighbour tour through the territory's customers that
those visits use (a tour visits everyone once; a customer seen twice as often costs twice).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from geo.matrix import GreatCircleMatrix, MatrixProvider, Point, haversine_m

PERIOD_DAYS = 28
Ring = Sequence[Sequence[float]]  # GeoJSON: [[lng, lat], ...]


# --- point in polygon -----------------------------------------------------------------------


def _in_ring(lng: float, lat: float, ring: Ring) -> bool:
    """Ray casting (crossing number) to the east; a point on an edge counts as inside."""
    if _on_boundary(lng, lat, ring):
        return True
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat):
            x_at = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < x_at:
                inside = not inside
    return inside


def _in_polygon(lng: float, lat: float, rings: Sequence[Ring]) -> bool:
    """Inside the outer ring and inside none of the holes (a hole's edge is outside)."""
    if not rings or not _in_ring(lng, lat, rings[0]):
        return False
    for hole in rings[1:]:
        # A point on a hole's edge stays inside: boundaries belong to the territory.
        if _in_ring(lng, lat, hole) and not _on_boundary(lng, lat, hole):
            return False
    return True


def _on_boundary(lng: float, lat: float, ring: Ring) -> bool:
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        cross = (x2 - x1) * (lat - y1) - (y2 - y1) * (lng - x1)
        if (
            abs(cross) < 1e-12
            and min(x1, x2) <= lng <= max(x1, x2)
            and min(y1, y2) <= lat <= max(y1, y2)
        ):
            return True
    return False


def point_in_polygon(point: Point, geometry: Mapping[str, Any]) -> bool:
    """Whether (lat, lng) lies in a GeoJSON Polygon or MultiPolygon, holes excluded."""
    lat, lng = point
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return _in_polygon(lng, lat, coords)
    if kind == "MultiPolygon":
        return any(_in_polygon(lng, lat, poly) for poly in coords)
    raise ValueError(f"expected a Polygon or MultiPolygon, got {kind!r}")


def points_in_polygon(points: Mapping[str, Point | None], geometry: Mapping[str, Any]) -> list[str]:
    """Keys of the points inside the polygon (points without a position are never inside)."""
    return sorted(k for k, p in points.items() if p is not None and point_in_polygon(p, geometry))


# --- workload -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A customer as territory planning sees it."""

    id: str
    territory_id: str
    location: Point
    frequency_days: int  # 0 = no regular visits (no workload)
    visit_min: int

    @property
    def visits(self) -> float:
        """Visits per four weeks."""
        return PERIOD_DAYS / self.frequency_days if self.frequency_days > 0 else 0.0


@dataclass(frozen=True)
class Workload:
    """One territory's four-week workload in seconds, and what it consists of."""

    territory_id: str
    customers: int
    visits: float
    visit_s: int
    travel_s: int
    tour_m: int

    @property
    def total_s(self) -> int:
        """Visiting plus travelling."""
        return self.visit_s + self.travel_s


def nearest_neighbour_tour(durations: np.ndarray) -> tuple[list[int], int]:
    """A closed tour from point 0, always to the nearest unvisited point; (order, length)."""
    n = durations.shape[0]
    if n == 0:
        return [], 0
    seen = np.zeros(n, dtype=bool)
    order, here, length = [0], 0, 0
    seen[0] = True
    for _ in range(n - 1):
        row = np.where(seen, np.iinfo(np.int64).max, durations[here])
        nxt = int(np.argmin(row))
        length += int(durations[here, nxt])
        seen[nxt] = True
        order.append(nxt)
        here = nxt
    length += int(durations[here, 0])
    return order, length


def territory_workload(
    territory_id: str, sites: Sequence[Site], matrix: MatrixProvider | None = None
) -> Workload:
    """Visits and estimated travel of one territory's customers over four weeks."""
    active = [s for s in sites if s.visits > 0]
    visits = sum(s.visits for s in active)
    visit_s = round(sum(s.visits * s.visit_min * 60 for s in active))
    travel_s = tour_m = 0
    if len(active) > 1:
        m = (matrix or GreatCircleMatrix()).table([s.location for s in active])
        order, tour_s = nearest_neighbour_tour(m.durations)
        tour_m = sum(
            int(m.distances[a, b]) for a, b in zip(order, order[1:] + order[:1], strict=True)
        )
        # Every visit uses on average one tour leg: tour length × visits / customers.
        travel_s = round(tour_s * visits / len(active))
    return Workload(territory_id, len(active), round(visits, 2), visit_s, travel_s, tour_m)


def workload(
    sites: Iterable[Site],
    territory_ids: Iterable[str] = (),
    matrix: MatrixProvider | None = None,
) -> dict[str, Workload]:
    """Workload of every territory (those in `territory_ids` appear even when empty)."""
    by_t: dict[str, list[Site]] = {t: [] for t in territory_ids}
    for s in sites:
        by_t.setdefault(s.territory_id, []).append(s)
    return {t: territory_workload(t, ss, matrix) for t, ss in sorted(by_t.items())}


def spread(loads: Mapping[str, Workload]) -> float:
    """(largest − smallest) / mean total workload; 0 when perfectly even."""
    totals = [w.total_s for w in loads.values()]
    mean = sum(totals) / len(totals) if totals else 0
    return (max(totals) - min(totals)) / mean if mean else 0.0


# --- rebalance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A customer suggested to change territory, with both territories' totals after it."""

    customer_id: str
    from_territory: str
    to_territory: str
    from_total_s: int
    to_total_s: int


@dataclass
class Rebalance:
    """Suggested moves and each territory's workload before and after all of them."""

    moves: list[Move]
    before: dict[str, Workload]
    after: dict[str, Workload]
    spread_before: float
    spread_after: float
    notes: list[str] = field(default_factory=list)


def rebalance(
    sites: Sequence[Site],
    territory_ids: Iterable[str] = (),
    matrix: MatrixProvider | None = None,
    *,
    tolerance: float = 0.15,
    neighbour_m: float = 10_000.0,
    max_moves: int = 200,
) -> Rebalance:
    """Greedily move boundary customers from the most to the least loaded neighbour.

    Territories are neighbours when some of their customers are within `neighbour_m` of each
    other. Each step takes the busiest territory A and its least loaded neighbour B, and moves
    the customer of A nearest to B's customers, if that lowers max(A, B); it stops when the
    spread is within `tolerance`, no move helps, or after `max_moves`.
    """
    current = {s.id: s for s in sites}
    ids = set(territory_ids) | {s.territory_id for s in sites}
    before = workload(current.values(), ids, matrix)
    loads = dict(before)
    moves: list[Move] = []
    notes: list[str] = []
    stuck: set[tuple[str, str]] = set()
    while len(moves) < max_moves and len(loads) > 1 and spread(loads) > tolerance:
        members: dict[str, list[Site]] = {t: [] for t in loads}
        for s in current.values():
            if s.visits > 0:
                members[s.territory_id].append(s)
        step = None
        for a in sorted(loads, key=lambda t: -loads[t].total_s):
            near = _neighbours(a, members, neighbour_m)
            for b in sorted(near, key=lambda t: loads[t].total_s):
                if loads[b].total_s >= loads[a].total_s or (a, b) in stuck:
                    continue
                step = _best_move(a, b, members, loads, matrix)
                if step is not None:
                    break
                stuck.add((a, b))
            if step is not None:
                break
        if step is None:
            notes.append("no move between neighbouring territories lowers the busiest workload")
            break
        moved, wa, wb = step
        current[moved.id] = replace(moved, territory_id=wb.territory_id)
        loads[wa.territory_id], loads[wb.territory_id] = wa, wb
        moves.append(Move(moved.id, wa.territory_id, wb.territory_id, wa.total_s, wb.total_s))
    return Rebalance(moves, before, loads, spread(before), spread(loads), notes)


def _neighbours(a: str, members: Mapping[str, list[Site]], within_m: float) -> list[str]:
    out = []
    for b, bs in members.items():
        if b == a:
            continue
        if not members[a] or not bs:
            out.append(b)  # an empty territory can take anyone
            continue
        d = _min_gap_m(members[a], bs)
        if d <= within_m:
            out.append(b)
    return out


def _min_gap_m(xs: Sequence[Site], ys: Sequence[Site]) -> float:
    return float(haversine_m([x.location for x in xs], [y.location for y in ys]).min())


def _best_move(
    a: str,
    b: str,
    members: Mapping[str, list[Site]],
    loads: Mapping[str, Workload],
    matrix: MatrixProvider | None,
) -> tuple[Site, Workload, Workload] | None:
    """The boundary customer of `a` (nearest to `b`) whose move lowers max(a, b), if any."""
    if not members[a]:
        return None
    if members[b]:
        gaps = haversine_m([s.location for s in members[a]], [s.location for s in members[b]])
        nearest = gaps.min(axis=1)
    else:
        nearest = np.zeros(len(members[a]))
    worst = max(loads[a].total_s, loads[b].total_s)
    # Try the few customers of A nearest to B; the first that helps is the boundary one.
    for k in np.argsort(nearest, kind="stable")[:5]:
        s = members[a][int(k)]
        rest_a = [x for x in members[a] if x.id != s.id]
        wa = territory_workload(a, rest_a, matrix)
        wb = territory_workload(b, [*members[b], replace(s, territory_id=b)], matrix)
        if max(wa.total_s, wb.total_s) < worst:
            return s, wa, wb
    return None


__all__ = [
    "Move",
    "Rebalance",
    "Site",
    "Workload",
    "nearest_neighbour_tour",
    "point_in_polygon",
    "points_in_polygon",
    "rebalance",
    "spread",
    "territory_workload",
    "workload",
]
