"""Opening hours to absolute windows: midnight crossing, closed days, time zones and DST days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from geo.errors import OpeningHoursError
from geo.windows import daily_window, opening_windows, parse_opening_hours


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


SHOP = {
    "mon": [["08:00", "12:00"], ["13:00", "18:00"]],
    "tue": [["08:00", "18:00"]],
    "wed": [],
    "sat": [["22:00", "02:00"]],
    "closed": ["2026-12-24"],
}


def test_two_windows_a_day_in_local_time_become_utc() -> None:
    # 2026-11-23 is a Monday; Tallinn is UTC+2 in winter.
    ws = opening_windows(SHOP, "Europe/Tallinn", date(2026, 11, 23), date(2026, 11, 23))
    assert [(w.start, w.end) for w in ws] == [
        (utc(2026, 11, 23, 6), utc(2026, 11, 23, 10)),
        (utc(2026, 11, 23, 11), utc(2026, 11, 23, 16)),
    ]


def test_window_crossing_midnight_belongs_to_the_day_it_opens() -> None:
    # Saturday 2026-11-28 22:00 to Sunday 02:00 local; Sunday itself has no hours.
    ws = opening_windows(SHOP, "Europe/Tallinn", date(2026, 11, 28), date(2026, 11, 29))
    assert [(w.start, w.end) for w in ws] == [(utc(2026, 11, 28, 20), utc(2026, 11, 29, 0))]
    only_sunday = opening_windows(SHOP, "Europe/Tallinn", date(2026, 11, 29), date(2026, 11, 29))
    assert only_sunday == []


def test_closed_weekday_and_closed_date_have_no_window() -> None:
    assert opening_windows(SHOP, "Europe/Tallinn", date(2026, 11, 25), date(2026, 11, 25)) == []
    # 2026-12-24 is a Thursday with no hours anyway; take a Tuesday holiday instead.
    hours = {**SHOP, "closed": ["2026-12-22"]}
    week = opening_windows(hours, "Europe/Tallinn", date(2026, 12, 21), date(2026, 12, 22))
    assert all(w.start.date() == date(2026, 12, 21) for w in week) and len(week) == 2


def test_same_hours_in_other_zones_shift_by_their_offset() -> None:
    day = date(2026, 11, 24)
    tallinn = opening_windows(SHOP, "Europe/Tallinn", day, day)[0]
    moscow = opening_windows(SHOP, "Europe/Moscow", day, day)[0]
    assert tallinn.start - moscow.start == timedelta(hours=1)
    assert moscow.start == utc(2026, 11, 24, 5)


def test_spring_forward_day_in_tallinn_moves_the_offset() -> None:
    every_day = {d: [["08:00", "18:00"]] for d in ("sat", "sun")}
    ws = opening_windows(every_day, "Europe/Tallinn", date(2026, 3, 28), date(2026, 3, 29))
    # Saturday at UTC+2, Sunday 2026-03-29 already at UTC+3.
    assert [(w.start, w.end) for w in ws] == [
        (utc(2026, 3, 28, 6), utc(2026, 3, 28, 16)),
        (utc(2026, 3, 29, 5), utc(2026, 3, 29, 15)),
    ]


def test_night_window_is_an_hour_shorter_in_spring_and_longer_in_autumn() -> None:
    night = {"sun": [["00:00", "06:00"]]}
    spring = opening_windows(night, "Europe/Tallinn", date(2026, 3, 29), date(2026, 3, 29))[0]
    autumn = opening_windows(night, "Europe/Tallinn", date(2026, 10, 25), date(2026, 10, 25))[0]
    assert spring.seconds == 5 * 3600
    assert autumn.seconds == 7 * 3600
    assert autumn.start == utc(2026, 10, 24, 21) and autumn.end == utc(2026, 10, 25, 4)


def test_window_across_midnight_on_the_autumn_change_night() -> None:
    late = {"sat": [["22:00", "05:00"]]}
    w = opening_windows(late, "Europe/Tallinn", date(2026, 10, 24), date(2026, 10, 24))[0]
    assert w.start == utc(2026, 10, 24, 19)  # 22:00 EEST
    assert w.end == utc(2026, 10, 25, 3)  # 05:00 EET
    assert w.seconds == 8 * 3600


def test_kyiv_follows_its_own_dst_and_moscow_has_none() -> None:
    hours = {"sat": [["09:00", "17:00"]], "sun": [["09:00", "17:00"]]}
    kyiv = opening_windows(hours, "Europe/Kyiv", date(2026, 10, 24), date(2026, 10, 25))
    moscow = opening_windows(hours, "Europe/Moscow", date(2026, 10, 24), date(2026, 10, 25))
    assert kyiv[1].start - kyiv[0].start == timedelta(hours=25)  # clocks went back that night
    assert moscow[1].start - moscow[0].start == timedelta(hours=24)
    assert moscow[0].start == utc(2026, 10, 24, 6)


def test_working_hours_and_break_window_on_a_dst_day() -> None:
    work = daily_window(date(2026, 3, 29), "08:00", "17:00", "Europe/Tallinn")
    assert work.start == utc(2026, 3, 29, 5) and work.seconds == 9 * 3600


def test_full_day_and_touching_windows_merge() -> None:
    hours = {"mon": [["00:00", "24:00"]], "tue": [["00:00", "12:00"]]}
    ws = opening_windows(hours, "UTC", date(2026, 11, 23), date(2026, 11, 24))
    assert [(w.start, w.end) for w in ws] == [(utc(2026, 11, 23), utc(2026, 11, 24, 12))]


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"mon": [["8:00", "12:00"]]}, "/mon/0/0"),
        ({"mon": [["08:00", "25:00"]]}, "/mon/0/1"),
        ({"mon": [["08:00"]]}, "/mon/0"),
        ({"mon": [["08:00", "12:00"], ["11:00", "14:00"]]}, "/mon"),
        ({"mon": [["10:00", "10:00"]]}, "/mon/0"),
        ({"monday": []}, "/monday"),
        ({"mon": "08-12"}, "/mon"),
        ({"closed": ["24.12.2026"]}, "/closed/0"),
        ([], "/"),
    ],
)
def test_malformed_hours_name_the_bad_value(raw: object, path: str) -> None:
    with pytest.raises(OpeningHoursError) as err:
        parse_opening_hours(raw)
    assert err.value.path == path


def test_unknown_time_zone_is_a_clear_error() -> None:
    with pytest.raises(OpeningHoursError, match="Europe/Atlantis"):
        opening_windows(SHOP, "Europe/Atlantis", date(2026, 11, 23), date(2026, 11, 23))
