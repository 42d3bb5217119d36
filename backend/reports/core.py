"""Pure parts of plan vs actual: merging the per-source figures, totals, CSV and XLSX rows."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.exports.core import BOM, csv_chunk, xlsx_cell
from backend.reports.schemas import Figures, PlanActualItem

COLUMNS = (
    "period",
    "rep_id",
    "rep_name",
    "planned",
    "done",
    "missed",
    "unplanned",
    "checkins",
    "verified_checkins",
    "orders",
    "orders_value",
    "quotes_sent",
    "quotes_accepted",
    "planned_km",
    "driven_km",
)
SUMMED = COLUMNS[3:]
DEFAULT_ZONE = "Europe/Tallinn"


class Span(NamedTuple):
    """A stretch of UTC time [start, end) over which a zone's offset from UTC is `shift_s`."""

    start: datetime
    end: datetime
    shift_s: int


def zone_of(user_zone: str | None, region_zone: str | None) -> str:
    """A rep's time zone: their own if set, else their region's, else the company's."""
    for name in (user_zone, region_zone):
        if name:
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return DEFAULT_ZONE


def local_today(zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


@functools.lru_cache(maxsize=64)
def local_spans(zone: str, first: date, last: date) -> tuple[Span, ...]:
    """The UTC time of local days first..last in `zone`, cut where the offset changes, so
    that a timestamp's local day is its UTC time shifted by its span's offset."""
    zi = ZoneInfo(zone)

    def shift(at: datetime) -> int:
        offset = at.astimezone(zi).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zi).astimezone(UTC)
    lo = datetime.combine(first, time.min, tzinfo=zi).astimezone(UTC)
    spans: list[Span] = []
    current = lo
    while current < end:
        step = min(current + timedelta(days=1), end)
        if shift(step) == shift(current) or (step == end and shift(step - _SECOND) == shift(lo)):
            current = step
            continue
        # The offset changes within (current, step]: find the first second of the new one.
        a, b = int(current.timestamp()), int(step.timestamp())
        while b - a > 1:
            mid = (a + b) // 2
            a, b = (mid, b) if shift(_at(mid)) == shift(current) else (a, mid)
        spans.append(Span(lo, _at(b), shift(lo)))
        lo = current = _at(b)
    spans.append(Span(lo, end, shift(lo)))
    return tuple(spans)


_SECOND = timedelta(seconds=1)


def _at(epoch_s: int) -> datetime:
    return datetime.fromtimestamp(epoch_s, UTC)


def km(metres: float | None) -> float | None:
    return None if metres is None else round(metres / 1000, 2)


def _km(metres: Any) -> float | None:
    return None if metres is None else km(float(metres))


def items(
    rows: Iterable[Mapping[str, Any]],
    names: Mapping[UUID, str],
    money: Callable[[Any], Decimal],
) -> list[PlanActualItem]:
    """One item per (rep, period) of the query's rows (each row carries some of the
    figures; a key's rows are merged, a figure no row carries is 0 or None), ordered by
    period then rep name."""
    sums: dict[tuple[Any, Any], dict[str, Any]] = {}
    for r in rows:
        sums.setdefault((r["rep"], r["period"]), {}).update(r)
    out = []
    for (rep, period), r in sums.items():
        rep_id = rep if isinstance(rep, UUID) else UUID(rep)  # text on SQLite
        get = r.get
        out.append(
            PlanActualItem(
                rep_id=rep_id,
                rep_name=names.get(rep_id, ""),
                period=period if isinstance(period, date) else date.fromisoformat(period[:10]),
                planned=get("planned") or 0,
                done=get("done") or 0,
                missed=get("missed") or 0,
                unplanned=get("unplanned") or 0,
                checkins=get("checkins") or 0,
                verified_checkins=get("verified") or 0,
                orders=get("orders") or 0,
                orders_value=money(get("value")),
                quotes_sent=get("sent") or 0,
                quotes_accepted=get("accepted") or 0,
                planned_km=_km(get("planned_m")),
                driven_km=_km(get("driven_m")),
            )
        )
    return sorted(out, key=lambda i: (i.period, i.rep_name, str(i.rep_id)))


def totals(items: Iterable[PlanActualItem]) -> Figures:
    """Sums over items; a distance stays None when no item knows it."""
    out = Figures()
    for item in items:
        for name in SUMMED:
            value = getattr(item, name)
            if value is None:
                continue
            current = getattr(out, name)
            setattr(out, name, value if current is None else current + value)
    out.planned_km = None if out.planned_km is None else round(out.planned_km, 2)
    out.driven_km = None if out.driven_km is None else round(out.driven_km, 2)
    out.orders_value = Decimal(out.orders_value).quantize(Decimal("0.01"))
    return out


def table(items: list[PlanActualItem], total: Figures) -> list[list[Any]]:
    """Header, one row per item and a Total row, as plain values."""
    rows: list[list[Any]] = [list(COLUMNS)]
    for item in items:
        rows.append([getattr(item, c) for c in COLUMNS])
    rows.append(["", "", "Total", *(getattr(total, c) for c in SUMMED)])
    return rows


def csv_bytes(rows: list[list[Any]]) -> bytes:
    return BOM + csv_chunk(rows)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Plan vs actual")
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
