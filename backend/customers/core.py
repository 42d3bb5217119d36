"""Pure customer logic: search text, opening hours, countries, distances and cursors."""

from __future__ import annotations

import base64
import json
import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from backend.errors import FieldError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
EARTH_RADIUS_M = 6_371_008.8

# ISO 3166-1 alpha-2, officially assigned codes.
COUNTRIES = frozenset(
    """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
ZW
""".split()
)


def search_text(name: str, code: str, street: str, city: str, postal_code: str) -> str:
    """What `q` searches: lower-cased here so Cyrillic and Estonian match on every engine."""
    return " ".join(p for p in (name, code, street, city, postal_code) if p).lower()


def search_terms(q: str) -> list[str]:
    """The words of a query, lower-cased the same way as search_text."""
    return [t for t in q.lower().split() if t][:8]


def like_pattern(term: str) -> str:
    r"""A LIKE pattern matching `term` anywhere, with \ % _ escaped (ESCAPE '\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def country_errors(country: str, field: str = "country") -> list[FieldError]:
    if country not in COUNTRIES:
        return [FieldError(field, "must be an ISO 3166 alpha-2 code such as EE", "country")]
    return []


def opening_hours_errors(hours: Any, field: str = "opening_hours") -> list[FieldError]:
    """What is wrong with {"mon": [["08:00","12:00"], ...], ..., "closed": ["YYYY-MM-DD"]}.

    A window whose end is before its start crosses midnight (a night shop); "24:00" may end
    a window.
    """
    if not isinstance(hours, dict):
        return [FieldError(field, "must be an object of days", "opening_hours")]
    errors: list[FieldError] = []
    for key, value in hours.items():
        path = f"{field}.{key}"
        if key == "closed":
            if not isinstance(value, list):
                errors.append(FieldError(path, "must be a list of dates", "opening_hours"))
                continue
            for i, day in enumerate(value):
                try:
                    if not isinstance(day, str) or len(day) != 10:
                        raise ValueError
                    date.fromisoformat(day)
                except ValueError:
                    errors.append(FieldError(f"{path}[{i}]", "must be a date YYYY-MM-DD", "date"))
            continue
        if key not in DAYS:
            errors.append(FieldError(path, "unknown day (mon..sun or closed)", "unknown"))
            continue
        if not isinstance(value, list):
            errors.append(FieldError(path, "must be a list of [from, to] windows", "opening_hours"))
            continue
        for i, window in enumerate(value):
            where = f"{path}[{i}]"
            if (
                not isinstance(window, list)
                or len(window) != 2
                or not all(isinstance(t, str) for t in window)
            ):
                errors.append(FieldError(where, 'a window is ["HH:MM", "HH:MM"]', "window"))
                continue
            start, end = window
            if not _TIME.match(start):
                errors.append(FieldError(where, f"{start!r} is not a time HH:MM", "time"))
            if not (_TIME.match(end) or end == "24:00"):
                errors.append(FieldError(where, f"{end!r} is not a time HH:MM", "time"))
            elif start == end:
                errors.append(FieldError(where, "a window cannot be empty", "window"))
    return errors


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) enclosing the circle; a cheap SQL prefilter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    if min_lat <= -90 or max_lat >= 90:
        return min_lat, max_lat, -180.0, 180.0
    # The widest point of the circle is nearer the pole than its centre.
    cos_lat = math.cos(math.radians(max(abs(min_lat), abs(max_lat))))
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * max(cos_lat, 1e-9)))
    if dlng >= 180:
        return min_lat, max_lat, -180.0, 180.0
    # Across the antimeridian the box would wrap; widen it instead (rare; exact check follows).
    min_lng, max_lng = lng - dlng, lng + dlng
    if min_lng < -180 or max_lng > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lng, max_lng


def due_at(last_visit_at: datetime | None, frequency_days: int) -> datetime | None:
    """When the next regular visit is due (None: no regular visits; never visited: now)."""
    if frequency_days <= 0 or last_visit_at is None:
        return None
    return last_visit_at + timedelta(days=frequency_days)


def encode_cursor(values: list[Any]) -> str:
    """An opaque cursor for keyset paging."""
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any] | None:
    """The values inside a cursor, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, json.JSONDecodeError):
        return None
    return values if isinstance(values, list) else None


ADDRESS_FIELDS = ("street", "postal_code", "city", "country")


def location_source(
    merged: dict[str, Any], *, pinned: bool, address_changed: bool, before: str
) -> str:
    """Where the customer's position comes from after a write (its geocode_quality).

    A pin set by hand ("manual") wins over the geocoder from then on; a new address of a
    customer not pinned by hand is "pending" until the server's geocoder has looked it up.
    """
    if pinned:
        return "manual" if merged["lat"] is not None else "none"
    if address_changed and before != "manual":
        has_address = any(str(merged.get(f) or "").strip() for f in ("street", "city"))
        return "pending" if has_address else before
    return before
