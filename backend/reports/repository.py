"""Plan vs actual as one aggregate query: every source (planned visits and route stops,
check-ins, orders, quotes, routes' distance) is grouped by (rep, local day) in the database
and the sources are folded into one row per (rep, period) by a last GROUP BY.

Days are the rep's local days: the query is given, per rep, the UTC spans of the asked days
with their UTC offset (core.local_spans), so a timestamp's day is its UTC time shifted by
its span's offset, and the spans drive index range scans on (rep, timestamp). The same SQL
runs on both engines; the few spots where they differ (a local day, a span's bounds, a
route's stops as rows, the parameter tables, exact money sums) are the small functions
below. Terms are defined in docs/reports.md.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from backend.db import is_sqlite
from backend.reports.core import Span
from backend.visits.tables import Visit

# A visit whose planned start is within this many minutes of when it was put in was made on
# the spot (the app plans an unplanned check-in for "now"); it is not part of the plan.
ON_THE_SPOT_MIN = 2
EARTH_RADIUS_M = 6_371_008.8
# What each statement sums (core.items takes a row's figures from whichever it came from).
CALLS = ("planned", "done", "missed", "unplanned", "checkins", "verified")
REST = ("driven_m", "orders", "value", "sent", "accepted", "planned_m")


class Period:
    """The query's bounds: the days, the grouping, and per rep their zone, today and spans."""

    def __init__(
        self,
        first: date,
        last: date,
        group: str,
        zones: Mapping[UUID, str],
        today: Mapping[UUID, date],
        spans: Mapping[UUID, Sequence[Span]],
    ) -> None:
        self.first = first
        self.last = last
        self.group = group
        self.zones = dict(zones)
        self.today = dict(today)
        self.spans = dict(spans)


def _local_day(expr: str, julian: str | None = None) -> str:
    """The local day of a timestamp column of rep `k` (SQLite has no time zones: the UTC
    offset of the span of k's that the timestamp falls in, k.s1 up to k.t1, then k.s2...)."""
    if is_sqlite():
        spans = " ".join(
            f"WHEN {julian or f'julianday({expr})'} < k.t{i} THEN k.s{i}"
            for i in range(1, SQLITE_SPANS)
        )
        return f"date({expr}, (CASE {spans} ELSE k.s{SQLITE_SPANS} END) || ' seconds')"
    return f"(({expr}) AT TIME ZONE k.tz)::date"


def _within(expr: str, julian: str | None = None) -> str:
    """A timestamp column falls on one of the asked local days of rep `k` (on SQLite: a text
    range that the (rep, column) index serves, a day wider, then the exact test: after the
    first span's start, before the last one's end)."""
    if is_sqlite() and julian:  # the text range was tested already (_visits)
        return f"({julian} >= k.t0 AND {julian} < k.t{SQLITE_SPANS})"
    if is_sqlite():
        return (
            f"({expr} >= k.lo_text AND {expr} < k.hi_text "
            f"AND julianday({expr}) >= k.t0 AND julianday({expr}) < k.t{SQLITE_SPANS})"
        )
    return f"({expr} >= k.lo AND {expr} < k.hi)"


def _tables() -> str:
    """k(rep, today, lo, hi, ...): the reps, their today and the UTC bounds of the asked days;
    PostgreSQL also gets their zone (tz), SQLite the spans of one UTC offset (s1, t1, ...)."""
    if is_sqlite():
        spans = ", ".join(
            f"json_extract(value, '$[{5 + 2 * i}]') AS s{i + 1}, "
            f"julianday(json_extract(value, '$[{6 + 2 * i}]')) AS t{i + 1}"
            for i in range(SQLITE_SPANS)
        )
        return f"""
k AS MATERIALIZED (
  SELECT json_extract(value, '$[0]') AS rep, json_extract(value, '$[1]') AS today,
    json_extract(value, '$[2]') AS lo_text, json_extract(value, '$[3]') AS hi_text,
    julianday(json_extract(value, '$[4]')) AS t0, {spans}
  FROM json_each(:k))"""
    return """
k AS (SELECT * FROM unnest(:k_rep::uuid[], :k_today::date[], :k_tz::text[],
        :k_lo::timestamptz[], :k_hi::timestamptz[]) AS k(rep, today, tz, lo, hi))"""


def _bucket(day: str, group: str) -> str:
    """The period a day falls in: itself, or the Monday of its ISO week."""
    if group == "day":
        return day
    if is_sqlite():
        return f"date({day}, 'weekday 0', '-6 days')"
    return f"({day} - (EXTRACT(ISODOW FROM {day})::int - 1))"


def _on_the_spot(v: str) -> str:
    """A visit planned for the very moment it was put in: made on the spot, not planned."""
    put_in = f"COALESCE({v}.captured_at, {v}.created_at)"
    if is_sqlite():
        return (
            f"abs(julianday({v}.planned_start) - julianday({put_in})) < {ON_THE_SPOT_MIN}.0 / 1440"
        )
    return (
        f"{v}.planned_start BETWEEN {put_in} - interval '{ON_THE_SPOT_MIN} minutes' "
        f"AND {put_in} + interval '{ON_THE_SPOT_MIN} minutes'"
    )


def _route_stops(r: str) -> tuple[str, str]:
    """(FROM item, customer id expression) for the stops of route `r` as rows."""
    if is_sqlite():
        return f"json_each({r}.stops) AS s", "json_extract(s.value, '$.customer_id')"
    return f"json_to_recordset({r}.stops) AS s(customer_id uuid)", "s.customer_id"


def _money_sum(expr: str) -> str:
    """An exact sum of a money column (SQLite keeps exact decimals as text: sum cents)."""
    if is_sqlite():
        return f"SUM(CAST(ROUND(CAST({expr} AS REAL) * 100) AS INTEGER))"
    return f"SUM({expr})"


def _null(kind: str) -> str:
    """A typed NULL, so the first branch of a UNION fixes the column's type on PostgreSQL."""
    if is_sqlite():
        return "NULL"
    return f"CAST(NULL AS {kind})"


def money(value: Any) -> Decimal:
    if value is None:
        return Decimal("0.00")
    if is_sqlite():
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
    return Decimal(value).quantize(Decimal("0.01"))


def _haversine(lat: str, lng: str, plat: str, plng: str) -> str:
    return (
        f"2 * {EARTH_RADIUS_M} * asin(sqrt("
        f"power(sin(radians({lat} - {plat}) / 2), 2) + "
        f"cos(radians({plat})) * cos(radians({lat})) * power(sin(radians({lng} - {plng}) / 2), 2)"
        "))"
    )


def _row(figures: Sequence[str], **given: str) -> str:
    """One branch's select list: the given figures, zero or NULL for the others."""
    nothing = {"driven_m": _null("float8"), "value": _null("numeric"), "planned_m": _null("float8")}
    return ", ".join(f"{given.get(f, nothing.get(f, '0'))} AS {f}" for f in figures)


def _visits() -> str:
    """vz: each visit of the reps once, with the local day it was planned for (NULL: not part
    of the plan, or not on an asked day) and the local day it was checked in on (NULL: not
    on an asked day). On SQLite the visits in the text ranges are read first (vj), with
    their julianday() computed once for the exact tests and the local days."""
    jp = jc = None
    source = "k JOIN visit v ON v.rep = k.rep"
    before = ""
    if is_sqlite():
        jp, jc = "v.jp", "v.jc"
        source = "vj v JOIN k ON k.rep = v.rep"
        before = """
vj AS MATERIALIZED (
  SELECT v.rep, v.customer, v.status, v.planned_start, v.check_in_at, v.captured_at,
    v.created_at, v.check_in_verification,
    julianday(v.planned_start) AS jp, julianday(v.check_in_at) AS jc
  FROM k JOIN visit v ON v.rep = k.rep
  WHERE v.deleted_at IS NULL AND (
    (v.planned_start >= k.lo_text AND v.planned_start < k.hi_text)
    OR (v.check_in_at >= k.lo_text AND v.check_in_at < k.hi_text))
),"""
    planned, checked = _within("v.planned_start", jp), _within("v.check_in_at", jc)
    return f"""{before}
vz AS (
  SELECT v.rep AS rep, v.customer AS customer,
    CASE WHEN {planned} AND v.status <> 'cancelled' AND NOT ({_on_the_spot("v")})
      THEN {_local_day("v.planned_start", jp)} END AS pday,
    CASE WHEN {checked} THEN {_local_day("v.check_in_at", jc)} END AS cday,
    CASE WHEN v.status = 'skipped' THEN 1 ELSE 0 END AS s, k.today AS today,
    CASE WHEN v.check_in_verification = 'verified' THEN 1 ELSE 0 END AS ok
  FROM {source}
  WHERE {"" if is_sqlite() else "v.deleted_at IS NULL AND "}({planned} OR {checked})
)"""


def _sum(figure: str) -> str:
    """A figure's sum over a period: counts as integers (PostgreSQL sums bigints as numeric)."""
    if figure in ("value", "driven_m", "planned_m"):
        return f"SUM({figure}) AS {figure}"
    return f"CAST(SUM({figure}) AS BIGINT) AS {figure}"


def _per_period(group: str, per_day: str, figures: Sequence[str]) -> str:
    return f"""
SELECT rep, {_bucket("day", group)} AS period, {", ".join(_sum(f) for f in figures)}
FROM ({per_day}) figures
GROUP BY 1, 2
"""


def _calls_sql(group: str) -> str:
    """Planned, done, missed, unplanned, check-ins: per (rep, local day, customer) marks from
    the visits and the route stops, folded by one GROUP BY."""
    stops, stop_customer = _route_stops("r")
    same_day = "CASE WHEN cday = pday THEN 1 ELSE 0 END"
    # s: the planned call counts as missed when not visited (its day is over, or skipped).
    closed_or_skipped = "CASE WHEN s = 1 OR pday < today THEN 1 ELSE 0 END"
    missed = "CASE WHEN c.p = 1 AND c.v = 0 AND c.s = 1 THEN 1 ELSE 0 END"
    per_day = f"""
  SELECT c.rep AS rep, c.day AS day, {
        _row(
            CALLS,
            planned="SUM(c.p)",
            done="SUM(c.p * c.v)",
            missed=f"SUM({missed})",
            unplanned="SUM(1 - c.p)",
            checkins="SUM(c.n)",
            verified="SUM(c.ok)",
        )
    }
  FROM calls c GROUP BY c.rep, c.day"""
    return f"""
WITH {_tables()}, {_visits()},
calls AS (
  SELECT rep, day, MAX(p) AS p, MAX(s) AS s, MAX(v) AS v, SUM(n) AS n, SUM(ok) AS ok
  FROM (
    SELECT rep, pday AS day, customer, 1 AS p, {closed_or_skipped} AS s,
      {same_day} AS v, {same_day} AS n,
      {same_day} * ok AS ok
    FROM vz WHERE pday IS NOT NULL
    UNION ALL
    SELECT rep, cday, customer, 0, 0, 1, 1, ok
    FROM vz WHERE cday IS NOT NULL AND (pday IS NULL OR cday <> pday)
    UNION ALL
    SELECT r.rep, r.day, {stop_customer}, 1, CASE WHEN r.day < k.today THEN 1 ELSE 0 END, 0, 0, 0
    FROM k JOIN route r ON r.rep = k.rep AND r.day BETWEEN :first AND :last, {stops}
    WHERE r.deleted_at IS NULL AND r.state = 'published'
  ) marks
  GROUP BY rep, day, customer
)
{_per_period(group, per_day, CALLS)}"""


def _rest_sql(group: str) -> str:
    """Driven distance (window over the day's check-ins), orders, quotes, routes' distance."""
    taken = "COALESCE(o.captured_at, o.created_at)"
    leg = f"CASE WHEN plat IS NULL THEN 0 ELSE {_haversine('lat', 'lng', 'plat', 'plng')} END"
    per_day = f"""
  SELECT rep, day, {_row(REST, driven_m=f"SUM({leg})")} FROM legs GROUP BY rep, day
  UNION ALL
  SELECT o.author, {_local_day(taken)}, {_row(REST, orders="COUNT(*)", value=_money_sum("o.total"))}
  FROM k JOIN sales_order o ON o.author = k.rep AND {_within(taken)}
  WHERE o.deleted_at IS NULL AND o.status <> 'cancelled'
  GROUP BY 1, 2
  UNION ALL
  SELECT q.author, q.issue_date, {
        _row(
            REST, sent="COUNT(*)", accepted="SUM(CASE WHEN q.status = 'accepted' THEN 1 ELSE 0 END)"
        )
    }
  FROM k JOIN quote q ON q.author = k.rep AND q.issue_date BETWEEN :first AND :last
  WHERE q.deleted_at IS NULL AND q.status <> 'draft'
  GROUP BY 1, 2
  UNION ALL
  SELECT r.rep, r.day, {_row(REST, planned_m="SUM(r.distance_m)")}
  FROM k JOIN route r ON r.rep = k.rep AND r.day BETWEEN :first AND :last
  WHERE r.deleted_at IS NULL AND r.state = 'published'
  GROUP BY 1, 2"""
    return f"""
WITH {_tables()},
ci AS (
  SELECT v.rep AS rep, {_local_day("v.check_in_at")} AS day, v.check_in_at AS at,
    v.check_in_lat AS lat, v.check_in_lng AS lng
  FROM k JOIN visit v ON v.rep = k.rep AND {_within("v.check_in_at")}
  WHERE v.deleted_at IS NULL AND v.check_in_lat IS NOT NULL AND v.check_in_lng IS NOT NULL
),
legs AS (
  SELECT rep, day, lat, lng,
    LAG(lat) OVER (PARTITION BY rep, day ORDER BY at) AS plat,
    LAG(lng) OVER (PARTITION BY rep, day ORDER BY at) AS plng
  FROM ci
)
{_per_period(group, per_day, REST)}"""


_NAMED = re.compile(r":(k_rep|k_today|k_tz|k_lo|k_hi|k|first|last)\b")
# Spans of one UTC offset a rep's asked days may have on SQLite (a year has two in most zones).
SQLITE_SPANS = 6


def _day(at: datetime) -> str:
    return at.date().isoformat()


def _values(p: Period, reps: Sequence[UUID]) -> dict[str, Any]:
    """The parameters for these reps (a part of p's)."""
    bounds = {rep: (p.spans[rep][0].start, p.spans[rep][-1].end) for rep in reps}
    if is_sqlite():
        day = timedelta(days=1)

        def utc(at: datetime) -> str:
            return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")

        rows = []
        for rep in reps:
            spans = p.spans[rep]
            if len(spans) > SQLITE_SPANS:
                raise ValueError(f"more than {SQLITE_SPANS} UTC offsets in the asked days")
            lo, hi = spans[0].start, spans[-1].end
            row: list[Any] = [str(rep), p.today[rep].isoformat(), _day(lo - day), _day(hi + day)]
            row.append(utc(lo))
            for i in range(SQLITE_SPANS):
                s = spans[min(i, len(spans) - 1)]
                row += [s.shift_s, utc(s.end)]
            rows.append(row)
        return {"k": json.dumps(rows), "first": p.first.isoformat(), "last": p.last.isoformat()}
    return {
        "k_rep": list(reps),
        "k_today": [p.today[r] for r in reps],
        "k_tz": [p.zones[r] for r in reps],
        "k_lo": [bounds[r][0] for r in reps],
        "k_hi": [bounds[r][1] for r in reps],
        "first": p.first,
        "last": p.last,
    }


async def _run(sql: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    """Run SQL with :named parameters (rewritten to the engine's positional ones)."""
    args: list[Any] = []

    def take(m: re.Match[str]) -> str:
        args.append(values[m.group(1)])
        return "{}"

    text = _NAMED.sub(take, sql.replace("{", "{{").replace("}", "}}"))
    return list(await Visit.raw(text, *args))


async def figures(p: Period) -> list[dict[str, Any]]:
    """Rows of (rep, period, CALLS or REST as raw sums): a (rep, period) may have both.

    On PostgreSQL the work is cut in three statements that run at once on the pool, one
    backend each, so that both cores work on one answer: the calls of each half of the reps
    (the heavy part: every visit and route stop) and the rest for all. On SQLite one
    connection runs the two statements one after the other."""
    reps = list(p.spans)
    if is_sqlite():
        values = _values(p, reps)
        return [
            r for sql in (_calls_sql(p.group), _rest_sql(p.group)) for r in await _run(sql, values)
        ]
    half = (len(reps) + 1) // 2
    work = [(_calls_sql(p.group), part) for part in (reps[:half], reps[half:]) if part]
    work.append((_rest_sql(p.group), reps))
    parts = await asyncio.gather(*(_run(sql, _values(p, part)) for sql, part in work))
    return [row for part in parts for row in part]
