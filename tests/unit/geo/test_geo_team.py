"""Team plans by clustering: each rep's sector solved alone, leftovers re-offered, owners kept."""

from __future__ import annotations

import random
from datetime import date

from geo.planner import Customer, Rep, plan_team, plan_team_week
from tests.unit.geo.checker import check_plan

MONDAY = date(2026, 11, 23)
OFFICE = (59.4370, 24.7536)
HOURS = {d: [["08:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def customers(n: int, seed: int = 7, spread: float = 0.1) -> list[Customer]:
    rnd = random.Random(seed)
    return [
        Customer(
            f"c{i}",
            (
                OFFICE[0] + rnd.uniform(-spread, spread),
                OFFICE[1] + rnd.uniform(-2 * spread, 2 * spread),
            ),
            opening_hours=HOURS,
            service_s=1500,
        )
        for i in range(n)
    ]


def test_sectors_are_balanced_and_every_constraint_holds() -> None:
    reps = [Rep(f"r{i}", (OFFICE[0] + 0.05 * i, OFFICE[1])) for i in range(3)]
    cs = customers(60)
    plan = plan_team(reps, cs, [MONDAY, date(2026, 11, 24)], exploration_level=1)
    assert check_plan(plan, reps, cs) == []
    assert not plan.unassigned
    per_rep = [sum(len(r.stops) for r in plan.routes if r.rep_id == rep.id) for rep in reps]
    assert sum(per_rep) == 60 and max(per_rep) - min(per_rep) <= 4
    assert plan.stats["strategy"] == "cluster" and plan.stats["solves"] == 3


def test_a_rep_short_of_time_hands_visits_to_the_others() -> None:
    short = Rep("short", OFFICE, work_start="08:00", work_end="10:00", break_from=None)
    reps = [short, Rep("a", (OFFICE[0] + 0.05, OFFICE[1])), Rep("b", (OFFICE[0] - 0.05, OFFICE[1]))]
    cs = customers(36)
    plan = plan_team(reps, cs, [MONDAY], exploration_level=1)
    assert check_plan(plan, reps, cs) == []
    assert plan.stats["unassigned_first_pass"] > 0
    assert plan.stats["recovered"] > 0
    assert len(plan.unassigned) == plan.stats["unassigned_first_pass"] - plan.stats["recovered"]


def test_owners_limit_who_may_visit_whom() -> None:
    reps = [Rep(f"r{i}", OFFICE) for i in range(3)]
    cs = customers(30)
    owners = {c.id: ["r0"] for c in cs[:10]} | {c.id: ["r1", "r2"] for c in cs[10:]}
    plan = plan_team_week(reps, cs, MONDAY, owners=owners, exploration_level=1)
    assert check_plan(plan, reps, cs) == []
    for route in plan.routes:
        for s in route.stops:
            assert route.rep_id in owners[s.customer_id]


def test_joint_strategy_is_still_available() -> None:
    reps = [Rep(f"r{i}", OFFICE) for i in range(2)]
    cs = customers(16)
    plan = plan_team_week(reps, cs, MONDAY, strategy="joint", exploration_level=1)
    assert check_plan(plan, reps, cs) == [] and not plan.unassigned
    assert plan.stats.get("strategy") != "cluster"
