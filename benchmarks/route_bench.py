"""Route-planning benchmark: prints solve time and cost for rep/team plans and Solomon VRPTW.

Run: `python benchmarks/route_bench.py [--solomon-only] [--level N]`. Solomon instances are read
from benchmarks/data/solomon/ (original `.txt` format or VRPLIB `.vrp`); none are downloaded.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from datetime import date
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import vrp
from geo.matrix import GreatCircleMatrix
from geo.planner import Customer, Rep, plan_day, plan_team_week, plan_week

DATA = Path(__file__).parent / "data" / "solomon"
MONDAY = date(2026, 11, 23)
TALLINN = (59.4370, 24.7536)
HOURS = {d: [["08:00", "12:00"], ["13:00", "19:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
# Published best-known distances (hierarchical: vehicles first) and, for RC208, the distance-only
# figure shipped with PyVRP's copy of the instance.
BEST_KNOWN = {
    "C101": 827.3, "C102": 827.3, "C201": 589.1, "C202": 589.1,
    "R101": 1650.8, "R102": 1486.1, "R201": 1252.4, "R202": 1191.7,
    "RC101": 1696.9, "RC102": 1554.8, "RC201": 1406.9, "RC202": 1365.6, "RC208": 776.1,
}  # fmt: skip
SCALE = 100  # Euclidean distances ×100 as integer seconds keep two decimals of precision


def customers(n: int, spread: float, seed: int) -> list[Customer]:
    rnd = random.Random(seed)
    return [
        Customer(
            f"c{i}",
            (
                TALLINN[0] + rnd.uniform(-spread, spread),
                TALLINN[1] + rnd.uniform(-2 * spread, 2 * spread),
            ),
            opening_hours=HOURS,
            service_s=rnd.choice([600, 900, 1200]),
        )
        for i in range(n)
    ]


def field_benchmarks(level: int, joint: bool = False) -> None:
    matrix = GreatCircleMatrix()
    t = time.perf_counter()
    pts = [(c.location) for c in customers(1000, 0.5, 1)]
    matrix.table(pts)
    print(f"matrix 1000x1000 great-circle: {(time.perf_counter() - t) * 1000:.0f} ms")
    rep = Rep("rep", TALLINN)
    team = [
        Rep(f"rep{i}", (TALLINN[0] + 0.05 * math.cos(i), TALLINN[1] + 0.1 * math.sin(i)))
        for i in range(5)
    ]
    day_cs, week_cs, team_cs = (
        customers(30, 0.06, 2),
        customers(150, 0.1, 3),
        customers(600, 0.2, 4),
    )
    cases = [
        (
            "rep-day 30 stops",
            lambda lvl: plan_day(rep, day_cs, MONDAY, matrix, exploration_level=lvl),
        ),
        (
            "rep-week 150 customers",
            lambda lvl: plan_week(rep, week_cs, MONDAY, matrix, exploration_level=lvl),
        ),
        (
            "team 5 reps x 5 days, 600 customers",
            lambda lvl: plan_team_week(team, team_cs, MONDAY, matrix, exploration_level=lvl),
        ),
    ]
    if joint:  # one solve over all 25 rep-days: the slow baseline the cluster split replaces
        cases.append(
            (
                "team joint (one solve, 8 s cap)",
                lambda lvl: plan_team_week(
                    team,
                    team_cs,
                    MONDAY,
                    matrix,
                    strategy="joint",
                    exploration_level=lvl,
                    timeout_s=8,
                ),
            )
        )
    for name, run in cases:
        for lvl in sorted({1, level}):
            t = time.perf_counter()
            p = run(lvl)
            wall = (time.perf_counter() - t) * 1000
            stops = sum(len(r.stops) for r in p.routes)
            print(
                f"{name:38s} level {lvl}: {wall:8.0f} ms (solver {p.solve_ms:.0f} ms) "
                f"cost {p.cost} s, {p.distance_m / 1000:.1f} km, {stops} stops, "
                f"{len(p.unassigned)} unassigned"
            )


def read_solomon(path: Path) -> tuple[int, int, np.ndarray]:
    """Vehicles, capacity and rows (x, y, demand, ready, due, service) of a Solomon instance."""
    text = path.read_text()
    if path.suffix == ".vrp":  # VRPLIB form as PyVRP ships it
        head = dict(re.findall(r"^(\w+)\s*:\s*(\S+)", text, re.M))
        sections = {}
        for name in (
            "NODE_COORD_SECTION",
            "DEMAND_SECTION",
            "TIME_WINDOW_SECTION",
            "SERVICE_TIME_SECTION",
        ):
            if name in text:
                block = text.split(name, 1)[1].strip().split("\n")
                rows = []
                for line in block:
                    if not line.strip() or not line.strip()[0].isdigit():
                        break
                    rows.append([float(x) for x in line.split()[1:]])
                sections[name] = rows
        n = len(sections["NODE_COORD_SECTION"])
        service = sections.get("SERVICE_TIME_SECTION") or [[float(head.get("SERVICE_TIME", 0))]] * n
        rows = [
            [*sections["NODE_COORD_SECTION"][i], sections["DEMAND_SECTION"][i][0],
             *sections["TIME_WINDOW_SECTION"][i], service[i][0] if i else 0]
            for i in range(n)
        ]  # fmt: skip
        return int(head["VEHICLES"]), int(head["CAPACITY"]), np.array(rows)
    numbers = [line.split() for line in text.splitlines() if re.match(r"^\s*\d", line)]
    head = [r for r in numbers if len(r) == 2]
    vehicles, capacity = (int(head[0][0]), int(head[0][1])) if head else (25, 200)
    if not head and numbers and len(numbers[0]) == 1:  # a bare capacity line, 25 vehicles
        capacity = int(numbers[0][0])
    rows = np.array([[float(x) for x in r[1:7]] for r in numbers if len(r) == 7])
    return vehicles, capacity, rows


def solve_solomon(path: Path, level: int) -> tuple[float, int, float]:
    """Distance, vehicles used and wall seconds; durations = Euclidean distance (Solomon rule)."""
    vehicles, capacity, rows = read_solomon(path)
    xy = rows[:, 0:2]
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    m = np.rint(dist * SCALE).astype(np.int64)
    depot_due = int(rows[0, 4] * SCALE)
    problem = vrp.VrpProblem(
        vehicles=[
            vrp.VrpVehicle(id=v, start=0, end=0, time_window=(0, depot_due), capacity=(capacity,))
            for v in range(vehicles)
        ],
        jobs=[
            vrp.VrpJob(
                id=i,
                location=i,
                service=int(rows[i, 5] * SCALE),
                windows=[(int(rows[i, 3] * SCALE), int(rows[i, 4] * SCALE))],
                delivery=(int(rows[i, 2]),),
            )
            for i in range(1, len(rows))
        ],
        durations=m,
    )
    t = time.perf_counter()
    sol = vrp.solve(problem, exploration_level=level, nb_threads=2)
    wall = time.perf_counter() - t
    total = 0.0
    for r in sol.routes:
        locs = [s.location for s in r.steps if s.location is not None]
        total += sum(dist[a, b] for a, b in pairwise(locs))
    if sol.unassigned:
        total = math.inf
    return total, len(sol.routes), wall


def solomon_benchmarks(level: int) -> None:
    files = sorted([*DATA.glob("*.txt"), *DATA.glob("*.vrp")]) if DATA.exists() else []
    if not files:
        print(f"Solomon: no instances in {DATA} (add C101.txt etc.; nothing is downloaded)")
        return
    gaps = []
    for f in files:
        name = f.stem.upper()
        distance, used, wall = solve_solomon(f, level)
        bk = BEST_KNOWN.get(name)
        gap = (distance / bk - 1) * 100 if bk else float("nan")
        if bk:
            gaps.append(gap)
        print(
            f"Solomon {name:6s}: distance {distance:8.1f} vehicles {used:2d} time {wall:5.2f} s "
            f"best-known {bk or float('nan'):7.1f} gap {gap:+.2f} %"
        )
    if gaps:
        print(f"Solomon mean gap over {len(gaps)} instances: {sum(gaps) / len(gaps):+.2f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--level", type=int, default=3, help="VROOM exploration level (0-5)")
    parser.add_argument("--solomon-level", type=int, default=2, help="level for Solomon")
    parser.add_argument("--solomon-only", action="store_true")
    parser.add_argument("--joint", action="store_true", help="also the one-solve team week")
    args = parser.parse_args()
    if not args.solomon_only:
        field_benchmarks(args.level, args.joint)
    solomon_benchmarks(args.solomon_level)


if __name__ == "__main__":
    main()
