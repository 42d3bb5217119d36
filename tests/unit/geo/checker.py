"""An independent checker of planner output: recomputes every constraint in local wall time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from geo.planner import Customer, Plan, Rep

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hm(s: str) -> time:
    return time(0) if s == "24:00" else time.fromisoformat(s)


def _open_during(c: Customer, tz: str, start: datetime, end: datetime) -> bool:
    """True when [start, end] lies inside one opening span (checked on the local clock)."""
    if c.opening_hours is None:
        return True
    hours = c.opening_hours
    zi = ZoneInfo(tz)
    local_start = start.astimezone(zi)
    for back in (0, 1):  # the span may have opened the day before and run past midnight
        day = local_start.date() - timedelta(days=back)
        if day.isoformat() in hours.get("closed", []):
            continue
        for a, b in hours.get(DAYS[day.weekday()], []):
            lo = datetime.combine(day, _hm(a), tzinfo=zi)
            end_day = day + timedelta(days=1) if (b == "24:00" or _hm(b) <= _hm(a)) else day
            hi = datetime.combine(end_day, _hm(b), tzinfo=zi).replace(fold=1)
            if lo <= start and end <= hi:
                return True
    return False


def check_plan(plan: Plan, reps: Sequence[Rep], customers: Sequence[Customer]) -> list[str]:
    """Every broken rule as a sentence; an empty list means the plan keeps all constraints."""
    errors: list[str] = []
    by_rep = {r.id: r for r in reps}
    by_id = {c.id: c for c in customers}
    seen: list[str] = []
    for route in plan.routes:
        rep = by_rep[route.rep_id]
        zi = ZoneInfo(rep.tz)
        day_start = datetime.combine(route.day, _hm(rep.work_start), tzinfo=zi)
        day_end = datetime.combine(route.day, _hm(rep.work_end), tzinfo=zi)
        if route.start_at < day_start or route.end_at > day_end:
            errors.append(f"{rep.id} {route.day}: works outside {rep.work_start}-{rep.work_end}")
        if route.day.weekday() not in rep.workdays:
            errors.append(f"{rep.id} works on a day off {route.day}")
        busy = [(s.start, s.departure, s.customer_id) for s in route.stops]
        if rep.break_from is not None and route.stops:
            lo = datetime.combine(route.day, _hm(rep.break_from), tzinfo=zi)
            hi = datetime.combine(route.day, _hm(rep.break_until), tzinfo=zi)
            kept = [
                b
                for b in route.breaks
                if b.start >= lo and b.end <= hi and b.seconds >= rep.break_s
            ]
            if not kept:
                errors.append(f"{rep.id} {route.day}: no {rep.break_s}s break in {lo}-{hi}")
            busy += [(b.start, b.end, "break") for b in route.breaks]
        busy.sort()
        for (_, e1, k1), (s2, _, k2) in pairwise(busy):
            if s2 < e1:
                errors.append(f"{rep.id} {route.day}: {k1} overlaps {k2}")
        clock = route.start_at
        load = 0
        for s in route.stops:
            c = by_id[s.customer_id]
            seen.append(c.id)
            load += c.demand
            if s.arrival < clock + timedelta(seconds=s.travel_s):
                errors.append(f"{c.id}: arrives before it could get there")
            if s.start < s.arrival or s.departure != s.start + timedelta(seconds=c.service_s):
                errors.append(f"{c.id}: service times inconsistent")
            if c.appointment is not None and s.start != c.appointment:
                errors.append(f"{c.id}: appointment {c.appointment} not kept ({s.start})")
            if not _open_during(c, c.tz or rep.tz, s.start, s.departure):
                errors.append(f"{c.id}: visited {s.start}-{s.departure} outside opening hours")
            clock = s.departure
        if rep.capacity is not None and load > rep.capacity:
            errors.append(f"{rep.id} {route.day}: load {load} over capacity {rep.capacity}")
    if len(seen) != len(set(seen)):
        errors.append("a customer is visited twice")
    left = [u.customer_id for u in plan.unassigned]
    if sorted(seen + left) != sorted(by_id):
        errors.append("customers missing from both routes and the unassigned list")
    return errors
