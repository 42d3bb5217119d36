"""Absolute (UTC) time windows from weekly opening hours, working hours and breaks in local time."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from geo.errors import OpeningHoursError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


@dataclass(frozen=True)
class Span:
    """A local wall-clock interval; `overnight` when it ends on the next day (22:00–02:00)."""

    start: time
    end: time
    overnight: bool = False

    @property
    def minutes(self) -> int:
        """Length in wall-clock minutes (ignores DST, which `to_utc` accounts for)."""
        a = self.start.hour * 60 + self.start.minute
        b = self.end.hour * 60 + self.end.minute + (1440 if self.overnight else 0)
        return b - a


@dataclass(frozen=True)
class Window:
    """An absolute interval [start, end) in UTC."""

    start: datetime
    end: datetime

    @property
    def seconds(self) -> int:
        """Length of the window in seconds."""
        return int((self.end - self.start).total_seconds())

    def offsets(self, epoch: datetime) -> tuple[int, int]:
        """The window as whole seconds since `epoch`, the unit the solver works in."""
        return (
            int((self.start - epoch).total_seconds()),
            int((self.end - epoch).total_seconds()),
        )


@dataclass(frozen=True)
class OpeningHours:
    """Validated weekly opening hours plus dates on which the place stays closed."""

    weekly: Mapping[str, tuple[Span, ...]]
    closed: frozenset[date] = field(default_factory=frozenset)

    def spans_on(self, day: date) -> tuple[Span, ...]:
        """Spans that open on `day` (empty when closed that date or that weekday)."""
        if day in self.closed:
            return ()
        return self.weekly.get(DAYS[day.weekday()], ())


ALWAYS_OPEN = OpeningHours(weekly={d: (Span(time(0), time(0), True),) for d in DAYS})


def parse_time(raw: Any, path: str) -> tuple[time, bool]:
    """Parse "HH:MM" ("24:00" allowed, meaning the following midnight)."""
    if not isinstance(raw, str) or not _HHMM.match(raw):
        raise OpeningHoursError(path, f"expected a time as 'HH:MM', got {raw!r}")
    if raw == "24:00":
        return time(0), True
    hh, mm = raw.split(":")
    return time(int(hh), int(mm)), False


def parse_span(raw: Any, path: str) -> Span:
    """Parse ["HH:MM", "HH:MM"]; an end at or before the start means the span crosses midnight."""
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        raise OpeningHoursError(path, "expected a pair ['HH:MM', 'HH:MM']")
    start, start_is_24 = parse_time(raw[0], f"{path}/0")
    if start_is_24:
        raise OpeningHoursError(f"{path}/0", "a span cannot start at 24:00")
    end, end_is_24 = parse_time(raw[1], f"{path}/1")
    if end == start and not end_is_24 and not (start == time(0)):
        raise OpeningHoursError(path, "a span must not start and end at the same time")
    overnight = end_is_24 or end <= start
    return Span(start, end, overnight)


def parse_opening_hours(raw: Any) -> OpeningHours:
    """Validate the stored JSON form: {"mon": [["08:00","12:00"], ...], ..., "closed": [dates]}."""
    if not isinstance(raw, Mapping):
        raise OpeningHoursError("", "opening hours must be an object keyed by weekday")
    unknown = sorted(set(raw) - {*DAYS, "closed"})
    if unknown:
        raise OpeningHoursError(f"/{unknown[0]}", f"unknown key; use {', '.join(DAYS)} or closed")
    weekly: dict[str, tuple[Span, ...]] = {}
    for day in DAYS:
        spans_raw = raw.get(day, [])
        if not isinstance(spans_raw, list):
            raise OpeningHoursError(f"/{day}", "expected a list of spans")
        spans = sorted(
            (parse_span(s, f"/{day}/{i}") for i, s in enumerate(spans_raw)),
            key=lambda s: s.start,
        )
        for prev, nxt in pairwise(spans):
            if prev.overnight or _minute(nxt.start) < _minute(prev.start) + prev.minutes:
                raise OpeningHoursError(f"/{day}", "spans overlap")
        weekly[day] = tuple(spans)
    closed_raw = raw.get("closed", [])
    if not isinstance(closed_raw, list):
        raise OpeningHoursError("/closed", "expected a list of dates 'YYYY-MM-DD'")
    closed: set[date] = set()
    for i, value in enumerate(closed_raw):
        try:
            closed.add(date.fromisoformat(value))
        except (TypeError, ValueError) as exc:
            raise OpeningHoursError(
                f"/closed/{i}", f"expected 'YYYY-MM-DD', got {value!r}"
            ) from exc
    return OpeningHours(weekly=weekly, closed=frozenset(closed))


def _minute(t: time) -> int:
    return t.hour * 60 + t.minute


def zone(name: str) -> ZoneInfo:
    """Load an IANA time zone, failing with a clear error for unknown names."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise OpeningHoursError("/tz", f"unknown time zone {name!r}") from exc


def local_to_utc(day: date, at: time, tz: ZoneInfo, *, fold: int = 0) -> datetime:
    """Convert a wall-clock time to UTC.

    Times skipped by a spring-forward jump move forward by the jump (02:30 → 03:30), as most
    calendars do; repeated times in autumn take the occurrence given by `fold` (0 = first).
    """
    return datetime.combine(day, at, tzinfo=tz).replace(fold=fold).astimezone(UTC)


def span_to_window(day: date, span: Span, tz: ZoneInfo) -> Window:
    """Place a span that opens on `day` on the absolute time line (overnight ends on day + 1)."""
    start = local_to_utc(day, span.start, tz, fold=0)
    end_day = day + timedelta(days=1) if span.overnight else day
    # The later occurrence of a repeated end time keeps the window as long as the sign says.
    end = local_to_utc(end_day, span.end, tz, fold=1)
    return Window(start, end)


def days_between(first: date, last: date) -> Iterator[date]:
    """Every date from `first` to `last`, both included."""
    if last < first:
        raise OpeningHoursError("", f"date range ends ({last}) before it starts ({first})")
    for i in range((last - first).days + 1):
        yield first + timedelta(days=i)


def opening_windows(
    hours: OpeningHours | Mapping[str, Any] | None, tz: str, first: date, last: date
) -> list[Window]:
    """UTC windows in which a place is open between two local dates (None = always open)."""
    if hours is None:
        hours = ALWAYS_OPEN
    elif not isinstance(hours, OpeningHours):
        hours = parse_opening_hours(hours)
    zi = zone(tz)
    windows = [
        span_to_window(day, span, zi)
        for day in days_between(first, last)
        for span in hours.spans_on(day)
    ]
    return merge(windows)


def merge(windows: Sequence[Window]) -> list[Window]:
    """Sort windows and join those that touch or overlap (e.g. 20:00–24:00 then 00:00–02:00)."""
    out: list[Window] = []
    for w in sorted(windows, key=lambda w: w.start):
        if out and w.start <= out[-1].end:
            if w.end > out[-1].end:
                out[-1] = Window(out[-1].start, w.end)
        else:
            out.append(w)
    return out


def daily_window(day: date, start: str, end: str, tz: str) -> Window:
    """One local-time interval on one day, e.g. a rep's working hours or a lunch-break range."""
    span = parse_span([start, end], "")
    return span_to_window(day, span, zone(tz))


def intersect(windows: Sequence[Window], within: Window) -> list[Window]:
    """Clip windows to `within`, dropping the ones that fall outside."""
    out = []
    for w in windows:
        s, e = max(w.start, within.start), min(w.end, within.end)
        if s < e:
            out.append(Window(s, e))
    return out
