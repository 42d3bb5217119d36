"""Quiet hours in the user's own time zone, across midnight and daylight-saving changes."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.quiet_hours import QuietHours

TALLINN = ZoneInfo("Europe/Tallinn")
NIGHT = QuietHours.parse("21:00", "07:30", "Europe/Tallinn")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TALLINN)


def test_late_evening_waits_until_next_morning() -> None:
    allowed = NIGHT.next_allowed(local(2026, 6, 10, 22, 15))
    assert allowed == local(2026, 6, 11, 7, 30)
    assert allowed.tzinfo is UTC and allowed == datetime(2026, 6, 11, 4, 30, tzinfo=UTC)


def test_early_morning_waits_until_the_same_morning() -> None:
    assert NIGHT.next_allowed(local(2026, 6, 11, 6, 0)) == local(2026, 6, 11, 7, 30)


def test_daytime_sends_at_once() -> None:
    moment = local(2026, 6, 11, 12, 0)
    assert NIGHT.next_allowed(moment) == moment
    assert not NIGHT.is_quiet(moment)


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (local(2026, 6, 11, 7, 30), False),
        (local(2026, 6, 11, 7, 29, 59), True),
        (local(2026, 6, 11, 20, 59, 59), False),
        (local(2026, 6, 11, 21, 0), True),
        (local(2026, 6, 11, 0, 0), True),
    ],
)
def test_window_edges(moment: datetime, quiet: bool) -> None:
    assert NIGHT.is_quiet(moment) is quiet


def test_autumn_night_one_hour_longer_still_ends_at_local_0730() -> None:
    # 2026-10-25 04:00 EEST becomes 03:00 EET.
    allowed = NIGHT.next_allowed(local(2026, 10, 24, 22, 0))
    assert allowed == datetime(2026, 10, 25, 5, 30, tzinfo=UTC)
    assert allowed.astimezone(TALLINN).time() == time(7, 30)


def test_spring_night_one_hour_shorter_still_ends_at_local_0730() -> None:
    # 2026-03-29 03:00 EET becomes 04:00 EEST.
    allowed = NIGHT.next_allowed(local(2026, 3, 28, 23, 0))
    assert allowed == datetime(2026, 3, 29, 4, 30, tzinfo=UTC)
    assert allowed.astimezone(TALLINN).time() == time(7, 30)


def test_end_inside_the_skipped_hour_resolves_to_when_the_clock_jumps() -> None:
    # 03:30 does not exist on 2026-03-29 in Tallinn: the clock goes 02:59:59 -> 04:00.
    short_night = QuietHours.parse("22:00", "03:30", "Europe/Tallinn")
    allowed = short_night.next_allowed(datetime(2026, 3, 29, 0, 30, tzinfo=UTC))  # 02:30 EET
    assert allowed == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert allowed.astimezone(TALLINN).time() == time(4, 0)


def test_end_inside_the_repeated_hour_takes_its_first_occurrence() -> None:
    # 03:30 happens twice on 2026-10-25 in Tallinn; the first is 00:30 UTC.
    short_night = QuietHours.parse("22:00", "03:30", "Europe/Tallinn")
    allowed = short_night.next_allowed(datetime(2026, 10, 24, 21, 0, tzinfo=UTC))
    assert allowed == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_window_within_one_day() -> None:
    lunch = QuietHours.parse("12:00", "13:00", "America/New_York")
    new_york = ZoneInfo("America/New_York")
    assert lunch.next_allowed(datetime(2026, 1, 5, 12, 20, tzinfo=new_york)) == datetime(
        2026, 1, 5, 18, 0, tzinfo=UTC
    )
    moment = datetime(2026, 1, 5, 23, 0, tzinfo=new_york)
    assert lunch.next_allowed(moment) == moment


def test_equal_start_and_end_means_no_quiet_hours() -> None:
    never = QuietHours.parse("08:00", "08:00", "Europe/Tallinn")
    assert not never.is_quiet(local(2026, 6, 11, 8, 0))


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="moment must be timezone-aware"):
        NIGHT.next_allowed(datetime(2026, 6, 11, 12, 0))


ZONES = ["Europe/Tallinn", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


@settings(deadline=None)  # shared CI cores: time is not what is under test
@given(
    zone=st.sampled_from(ZONES),
    start=st.times(),
    end=st.times(),
    moment=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)
    ),
)
def test_next_allowed_is_never_earlier_never_quiet_and_within_a_day(
    zone: str, start: time, end: time, moment: datetime
) -> None:
    hours = QuietHours(start.replace(microsecond=0), end.replace(microsecond=0), ZoneInfo(zone))
    allowed = hours.next_allowed(moment)
    assert moment <= allowed <= moment + timedelta(hours=25)
    assert not hours.is_quiet(allowed)
