"""A user's quiet hours in their own time zone, and the next moment a push may go out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def wall_clock_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """First UTC instant at which the local clock shows `day` `at` or later.

    In the autumn overlap this is the first of the two readings; in the spring gap (a
    time the clock skips) it is the moment the clock jumps past it.
    """
    naive = datetime.combine(day, at)
    earlier = _utc(naive.replace(tzinfo=zone, fold=0))
    later = _utc(naive.replace(tzinfo=zone, fold=1))
    first = min(earlier, later)
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        return first  # the wall time exists (once or, in the overlap, twice: take the first)
    # Gap: fold=1 lands before the jump and fold=0 after it; bisect to the transition.
    low, high = first, max(earlier, later)
    before = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    # Transitions fall on whole seconds and high is within one second after it.
    return high.replace(microsecond=0)


@dataclass(frozen=True)
class QuietHours:
    """Daily window [start, end) in `zone` during which no push is sent; may cross midnight."""

    start: time
    end: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, start: str, end: str, zone: str) -> QuietHours:
        """Build from "HH:MM" strings and an IANA zone name such as "Europe/Tallinn"."""
        return cls(time.fromisoformat(start), time.fromisoformat(end), ZoneInfo(zone))

    def _windows(self, moment: datetime) -> list[tuple[datetime, datetime]]:
        """UTC windows that could contain `moment`: those starting yesterday and today."""
        today = moment.astimezone(self.zone).date()
        crosses_midnight = self.end <= self.start
        windows = []
        for day in (today - timedelta(days=1), today):
            end_day = day + timedelta(days=1) if crosses_midnight else day
            windows.append(
                (
                    wall_clock_to_utc(day, self.start, self.zone),
                    wall_clock_to_utc(end_day, self.end, self.zone),
                )
            )
        return windows

    def is_quiet(self, moment: datetime) -> bool:
        """True when `moment` (tz-aware) falls inside the user's quiet hours."""
        return self.next_allowed(moment) != _utc(moment)

    def next_allowed(self, moment: datetime) -> datetime:
        """`moment` in UTC if a push may go out then, else the end of the quiet window."""
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        if self.start == self.end:
            return _utc(moment)  # an empty window: the user set no quiet hours
        instant = _utc(moment)
        for window_start, window_end in self._windows(moment):
            if window_start <= instant < window_end:
                return window_end
        return instant
