"""The week plan's days seen from the rep's clock: nothing before today, today only from now.

The bug this pins: "Plan this week" on a Thursday evening filled yesterday, timed today's
stops in the morning and left the start of the week empty.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from geo.planner import Customer, Rep, plan
from geo.week_window import past_days, week_days

TZ = "Europe/Tallinn"
TALLINN = ZoneInfo(TZ)
THURSDAY_19 = datetime(2026, 12, 3, 19, 0, tzinfo=TALLINN)
SUNDAY_23 = datetime(2026, 12, 6, 23, 0, tzinfo=TALLINN)
MONDAY_06 = datetime(2026, 12, 7, 6, 0, tzinfo=TALLINN)
HOME = (59.437, 24.7536)


def _customers(n: int) -> list[Customer]:
    rnd = random.Random(7)
    return [
        Customer(
            f"c{i}",
            (HOME[0] + rnd.uniform(-0.03, 0.03), HOME[1] + rnd.uniform(-0.06, 0.06)),
            tz=TZ,
            service_s=1200,
        )
        for i in range(n)
    ]


def _day(d: int) -> date:
    return date(2026, 12, d)


def test_this_week_on_thursday_evening_is_thursday_to_sunday() -> None:
    assert week_days(THURSDAY_19, TZ, "this") == [_day(3), _day(4), _day(5), _day(6)]
    assert week_days(THURSDAY_19, TZ, "next") == [_day(d) for d in range(7, 14)]
    # Monday to Wednesday are over: asked for, they are named as past.
    assert past_days([_day(1), _day(3), _day(2)], THURSDAY_19, TZ) == [_day(1), _day(2)]


def test_sunday_late_this_week_is_only_sunday_and_next_week_starts_tomorrow() -> None:
    assert week_days(SUNDAY_23, TZ, "this") == [_day(6)]
    assert week_days(SUNDAY_23, TZ, "next") == [_day(d) for d in range(7, 14)]


def test_monday_early_this_week_is_the_whole_week() -> None:
    assert week_days(MONDAY_06, TZ, "this") == [_day(d) for d in range(7, 14)]
    assert week_days(MONDAY_06, TZ, "next")[0] == _day(14)


def test_the_local_day_counts_not_utc() -> None:
    # 00:30 on Monday in Tallinn is still Sunday in UTC.
    just_after_midnight = datetime(2026, 12, 7, 0, 30, tzinfo=TALLINN)
    assert week_days(just_after_midnight, TZ, "this")[0] == _day(7)
    with pytest.raises(ValueError, match="timezone-aware"):
        week_days(datetime(2026, 12, 7, 0, 30), TZ, "this")


def test_thursday_evening_plan_puts_nothing_on_thursday_and_fills_friday() -> None:
    rep = Rep("r", HOME, tz=TZ, work_start="08:00", work_end="17:00")
    days = week_days(THURSDAY_19, TZ, "this")
    result = plan([rep], _customers(6), days, now=THURSDAY_19)
    assert {r.day for r in result.routes if r.stops} == {_day(4)}  # Sat, Sun: not workdays
    first = min(s.start for r in result.routes for s in r.stops)
    assert first.astimezone(TALLINN) >= datetime(2026, 12, 4, 8, 0, tzinfo=TALLINN)
    assert result.unassigned == []


def test_today_is_planned_from_now_not_from_the_morning() -> None:
    ten = datetime(2026, 12, 3, 10, 0, tzinfo=TALLINN)
    rep = Rep("r", HOME, tz=TZ, work_start="08:00", work_end="17:00")
    result = plan([rep], _customers(5), [_day(3)], now=ten)
    stops = [s for r in result.routes for s in r.stops]
    assert len(stops) == 5
    assert all(s.arrival >= ten for s in stops)
    assert min(r.start_at for r in result.routes) >= ten


def test_monday_at_six_starts_at_the_working_day_from_home() -> None:
    rep = Rep("r", HOME, tz=TZ, work_start="09:30", work_end="17:00", break_from=None)
    result = plan([rep], _customers(4), week_days(MONDAY_06, TZ, "this"), now=MONDAY_06)
    monday = next(r for r in result.routes if r.day == _day(7))
    assert monday.start_at.astimezone(TALLINN).strftime("%H:%M") >= "09:30"
    assert len(monday.stops) == 4  # nothing pushed to later days while Monday has room


def test_a_locked_stop_stays_on_its_day() -> None:
    rep = Rep("r", HOME, tz=TZ)
    cs = _customers(4)
    pinned = Customer("pin", HOME, tz=TZ, service_s=600, day=_day(10), priority=100)
    result = plan([rep], [*cs, pinned], [_day(d) for d in range(7, 12)], now=MONDAY_06)
    day_of = {s.customer_id: r.day for r in result.routes for s in r.stops}
    assert day_of["pin"] == _day(10)


def test_sunday_late_this_week_leaves_everyone_out_for_lack_of_working_time() -> None:
    rep = Rep("r", HOME, tz=TZ)
    result = plan([rep], _customers(3), week_days(SUNDAY_23, TZ, "this"), now=SUNDAY_23)
    assert result.routes == []
    assert {u.reason for u in result.unassigned} == {"no_working_time"}
    assert "today's hours are over" in result.unassigned[0].detail
