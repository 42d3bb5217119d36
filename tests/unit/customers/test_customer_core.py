"""Pure customer logic: opening hours, countries, search text, distances and cursors."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from backend.customers import core


def _fields(errors):
    return [e.field for e in errors]


def test_opening_hours_accept_split_days_night_windows_and_closed_dates():
    hours = {
        "mon": [["08:00", "12:00"], ["13:00", "17:00"]],
        "fri": [["22:00", "02:00"]],
        "sat": [["10:00", "24:00"]],
        "sun": [],
        "closed": ["2026-12-24", "2027-01-01"],
    }
    assert core.opening_hours_errors(hours) == []
    assert core.opening_hours_errors({}) == []


def test_opening_hours_name_each_bad_part():
    bad = {
        "mon": [["8:00", "12:00"], ["12:00", "12:00"], ["09:00"]],
        "tue": "09-17",
        "xyz": [],
        "wed": [["09:00", "25:00"]],
        "closed": ["2026-02-30", 20261224],
    }
    assert sorted(_fields(core.opening_hours_errors(bad))) == sorted(
        [
            "opening_hours.mon[0]",
            "opening_hours.mon[1]",
            "opening_hours.mon[2]",
            "opening_hours.tue",
            "opening_hours.xyz",
            "opening_hours.wed[0]",
            "opening_hours.closed[0]",
            "opening_hours.closed[1]",
        ]
    )
    assert _fields(core.opening_hours_errors([["08:00", "12:00"]])) == ["opening_hours"]


def test_countries_are_iso_alpha_2():
    assert core.country_errors("EE") == [] and core.country_errors("UA") == []
    assert _fields(core.country_errors("XX")) == ["country"]
    assert _fields(core.country_errors("EST")) == ["country"]


def test_search_text_is_lower_case_in_every_alphabet():
    text = core.search_text("Kohvik ÕUN", "K-01", "Pärnu mnt 5", "TALLINN", "10117")
    assert text == "kohvik õun k-01 pärnu mnt 5 tallinn 10117"
    assert core.search_text("МАГАЗИН Ёлка", "", "", "Київ", "") == "магазин ёлка київ"
    assert core.search_terms("  Ёлка  КИЇВ ") == ["ёлка", "київ"]


def test_like_patterns_escape_wildcards():
    assert core.like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"


def test_haversine_known_distances():
    # A quarter of the equator, one degree along a meridian, and Tallinn to Tartu (~163 km).
    assert math.isclose(core.haversine_m(0, 0, 0, 90), math.pi / 2 * core.EARTH_RADIUS_M)
    assert math.isclose(core.haversine_m(59, 24, 60, 24), 111_195, rel_tol=1e-4)
    assert 162_000 < core.haversine_m(59.4372, 24.7453, 58.3806, 26.7219) < 165_000


@given(
    lat=st.floats(-80, 80),
    lng=st.floats(-170, 170),
    radius=st.floats(1, 200_000),
    bearing=st.floats(0, 2 * math.pi),
    fraction=st.floats(0, 0.999),
)
def test_every_point_within_the_radius_is_inside_the_box(lat, lng, radius, bearing, fraction):
    # Walk `fraction * radius` from the centre in some direction (spherical destination).
    delta = fraction * radius / core.EARTH_RADIUS_M
    p1, l1 = math.radians(lat), math.radians(lng)
    p2 = math.asin(
        math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(bearing)
    )
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(p1),
        math.cos(delta) - math.sin(p1) * math.sin(p2),
    )
    lat2 = math.degrees(p2)
    lng2 = (math.degrees(l2) + 540) % 360 - 180
    min_lat, max_lat, min_lng, max_lng = core.bounding_box(lat, lng, radius)
    assert min_lat - 1e-9 <= lat2 <= max_lat + 1e-9
    assert min_lng - 1e-9 <= lng2 <= max_lng + 1e-9


def test_cursors_round_trip_and_reject_garbage():
    values = ["name", "Ёлка", "0b7c0000-0000-0000-0000-000000000000"]
    assert core.decode_cursor(core.encode_cursor(values)) == values
    assert core.decode_cursor("not base64 !!") is None
    assert core.decode_cursor(core.encode_cursor([1])[:-2] + "{") is None
