"""Plans for a rep-day, a rep-week, a team and delivery runs keep every constraint."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from geo.planner import (
    Customer,
    Rep,
    plan_day,
    plan_deliveries,
    plan_team_week,
    plan_week,
)
from tests.unit.geo.checker import check_plan

MONDAY = date(2026, 11, 23)
OFFICE = (59.4370, 24.7536)  # Tallinn
WEEKDAYS = {
    d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")
}


def customers(n: int, seed: int = 3, spread: float = 0.08, **kw: object) -> list[Customer]:
    rnd = random.Random(seed)
    return [
        Customer(
            f"c{i}",
            (
                OFFICE[0] + rnd.uniform(-spread, spread),
                OFFICE[1] + rnd.uniform(-2 * spread, 2 * spread),
            ),
            opening_hours=WEEKDAYS,
            service_s=1200,
            **kw,  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


def test_rep_day_keeps_windows_hours_and_break() -> None:
    rep = Rep("anna", OFFICE)
    cs = customers(14)
    plan = plan_day(rep, cs, MONDAY)
    assert check_plan(plan, [rep], cs) == []
    assert len(plan.routes) == 1 and len(plan.routes[0].stops) == 14
    route = plan.routes[0]
    assert route.distance_m > sum(s.distance_m for s in route.stops) > 0  # plus the way home
    assert all(s.arrival.tzinfo is not None for s in route.stops)


def test_too_many_visits_for_one_day_are_left_out_for_lack_of_time() -> None:
    rep = Rep("anna", OFFICE)
    cs = customers(40)
    plan = plan_day(rep, cs, MONDAY)
    assert check_plan(plan, [rep], cs) == []
    assert plan.unassigned and {u.reason for u in plan.unassigned} == {"no_time_left"}


def test_fixed_appointment_is_kept_to_the_second() -> None:
    rep = Rep("anna", OFFICE)
    cs = customers(8)
    at = datetime(2026, 11, 23, 12, 30, tzinfo=UTC)  # 14:30 in Tallinn
    cs[3] = Customer(
        "fixed", cs[3].location, opening_hours=WEEKDAYS, service_s=1800, appointment=at
    )
    plan = plan_day(rep, cs, MONDAY)
    assert check_plan(plan, [rep], cs) == []
    stop = next(s for s in plan.routes[0].stops if s.customer_id == "fixed")
    assert stop.start == at


def test_unassigned_customers_get_the_right_reason() -> None:
    rep = Rep("anna", OFFICE, work_start="08:00", work_end="17:00")
    cs = customers(3)
    closed_monday = Customer("closed", OFFICE, opening_hours={"tue": [["09:00", "17:00"]]})
    holiday = Customer("holiday", OFFICE, opening_hours={**WEEKDAYS, "closed": ["2026-11-23"]})
    evening = Customer("evening", OFFICE, opening_hours={"mon": [["19:00", "22:00"]]})
    far = Customer("narva", (59.3772, 28.1903), opening_hours={"mon": [["16:00", "18:00"]]})
    not_due = Customer("fresh", OFFICE, frequency_days=28, last_visit=date(2026, 11, 20))
    appointment = Customer("sunday", OFFICE, appointment=datetime(2026, 11, 22, 10, tzinfo=UTC))
    all_cs = [*cs, closed_monday, holiday, evening, far, not_due, appointment]
    plan = plan_day(rep, all_cs, MONDAY)
    assert check_plan(plan, [rep], all_cs) == []
    reasons = {u.customer_id: u.reason for u in plan.unassigned}
    assert reasons == {
        "closed": "closed",
        "holiday": "closed",
        "evening": "window_unreachable",
        "narva": "window_unreachable",
        "fresh": "not_due",
        "sunday": "appointment_outside_hours",
    }


def test_rep_week_puts_each_customer_on_an_open_day() -> None:
    rep = Rep("anna", OFFICE)
    only_thursday = {"thu": [["10:00", "12:00"]]}
    cs = [*customers(40), Customer("thu", OFFICE, opening_hours=only_thursday)]
    plan = plan_week(rep, cs, MONDAY)
    assert check_plan(plan, [rep], cs) == []
    day_of = {s.customer_id: r.day for r in plan.routes for s in r.stops}
    assert day_of["thu"] == date(2026, 11, 26)
    assert len(day_of) == len(cs) and len({r.day for r in plan.routes}) >= 2


def test_overdue_customers_win_when_the_week_is_full() -> None:
    rep = Rep("anna", OFFICE, workdays=(0,))
    cs = customers(30, frequency_days=14, last_visit=date(2026, 11, 20))  # due only next week
    overdue = customers(30, seed=9, frequency_days=14, last_visit=date(2026, 10, 26))
    overdue = [
        Customer(
            f"late{i}",
            c.location,
            opening_hours=WEEKDAYS,
            service_s=1200,
            frequency_days=14,
            last_visit=date(2026, 10, 26),
        )
        for i, c in enumerate(overdue)
    ]
    plan = plan_week(rep, cs[:5] + overdue[:25], MONDAY)
    visited = {s.customer_id for r in plan.routes for s in r.stops}
    assert visited and all(v.startswith("late") for v in visited)
    assert {u.reason for u in plan.unassigned if u.customer_id.startswith("c")} == {"not_due"}


def test_team_week_is_balanced_between_reps() -> None:
    reps = [Rep(f"rep{i}", (OFFICE[0] + 0.02 * i, OFFICE[1])) for i in range(3)]
    cs = customers(90, spread=0.15)
    plan = plan_team_week(reps, cs, MONDAY, exploration_level=2)
    assert check_plan(plan, reps, cs) == []
    per_rep = [sum(len(r.stops) for r in plan.routes if r.rep_id == rep.id) for rep in reps]
    assert sum(per_rep) == 90
    assert max(per_rep) - min(per_rep) <= 0.3 * max(per_rep)


def test_delivery_runs_respect_vehicle_capacity() -> None:
    vans = [
        Rep("van1", OFFICE, capacity=100, break_from=None),
        Rep("van2", OFFICE, capacity=60, break_from=None),
    ]
    orders = [Customer(c.id, c.location, service_s=300, demand=15) for c in customers(12)]
    orders.append(Customer("huge", OFFICE, service_s=300, demand=500))
    plan = plan_deliveries(vans, orders, MONDAY)
    assert check_plan(plan, vans, orders) == []
    assert all(r.load <= 100 for r in plan.routes)
    reasons = {u.customer_id: u.reason for u in plan.unassigned}
    assert reasons["huge"] == "over_capacity"
    assert sum(1 for r in reasons.values() if r == "capacity_exhausted") == 2  # 12 × 15 > 160


def test_replanning_from_the_road_starts_now_from_the_current_place() -> None:
    cs = customers(10)
    now = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 13:00 local
    here = (59.40, 24.80)
    rep = Rep("anna", here, end=OFFICE)
    plan = plan_day(rep, cs, MONDAY, now=now)
    assert check_plan(plan, [rep], cs) == []
    assert all(s.arrival >= now for r in plan.routes for s in r.stops)
