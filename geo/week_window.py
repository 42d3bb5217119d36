"""Which days a week plan covers, seen from the rep's local clock (pure logic).

"This week" is today to Sunday (the days left; today only from now on), "next week" is next
Monday to Sunday. Days before today are never planned.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Week = Literal["this", "next"]


def local_today(now: datetime, tz: str) -> date:
    """The calendar day it is now in `tz` (now must be timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(tz)).date()


def week_days(now: datetime, tz: str, week: Week) -> list[date]:
    """The days a week plan covers: today..Sunday for "this", Monday..Sunday for "next"."""
    today = local_today(now, tz)
    if week == "next":
        monday = today + timedelta(days=7 - today.weekday())
        return [monday + timedelta(days=i) for i in range(7)]
    return [today + timedelta(days=i) for i in range(7 - today.weekday())]


def past_days(days: Iterable[date], now: datetime, tz: str) -> list[date]:
    """The days of `days` that are over in `tz` (before today)."""
    today = local_today(now, tz)
    return sorted(d for d in set(days) if d < today)
