"""Plan vs actual: every figure equals what was made (planned, done, missed, unplanned,
check-ins, orders and their value, quotes, planned and driven distance), by day and by week,
as JSON, CSV and XLSX; a manager sees their region's reps, a rep themselves, partners nothing;
bad ranges are 422 naming the field."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from openpyxl import load_workbook

from backend.orders.tables import Order
from backend.quoting.tables import Quote
from backend.visits.core import distance_m
from backend.visits.tables import Visit
from geo.tables import Route
from tests.factories import make_customer, make_route, make_user, make_world_fast, sync_headers

D1 = date(2026, 11, 2)  # a Monday, well in the past
D2 = date(2026, 11, 3)
D3 = date(2026, 11, 9)  # the next Monday
A = (59.40, 24.70)
B = (59.41, 24.70)
E = (59.41, 24.72)
URL = "/api/reports/plan-vs-actual"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


async def visit(
    rep: UUID,
    customer: UUID,
    *,
    planned: datetime,
    put_in: datetime,
    status: str = "planned",
    check_in: datetime | None = None,
    pos: tuple[float, float] | None = None,
    verification: str = "",
) -> None:
    await Visit.insert(
        Visit(
            id=uuid4(),
            customer=customer,
            rep=rep,
            status=status,
            planned_start=planned,
            captured_at=put_in,
            check_in_at=check_in,
            check_in_lat=pos[0] if pos else None,
            check_in_lng=pos[1] if pos else None,
            check_in_verification=verification,
        )
    )


async def order(rep: UUID, customer: UUID, total: str, when: datetime, status: str = "submitted"):
    await Order.insert(
        Order(
            id=uuid4(),
            number=f"O-{uuid4().hex[:8]}",
            customer=customer,
            author=rep,
            total=Decimal(total),
            status=status,
            captured_at=when,
        )
    )


async def quote(rep: UUID, customer: UUID, status: str, day: date) -> None:
    await Quote.insert(
        Quote(
            id=uuid4(),
            number=f"Q-{uuid4().hex[:8]}",
            customer=customer,
            author=rep,
            status=status,
            issue_date=day,
            valid_until=day + timedelta(days=30),
        )
    )


async def made():
    """The world, and a realistic week for rep1 (see each comment), a day for rep2 and a
    rep of the other region."""
    w = await make_world_fast()
    c = {k: await make_customer(territory=w.t1, name=f"Shop {k}") for k in "ABCDEFGH"}
    before = at(D1, 0) - timedelta(days=3)  # planned days ahead
    # D1: route A, B, C (42 km planned).
    rid = await make_route(w.rep1, [c["A"], c["B"], c["C"]], day=D1)
    await Route.update({Route.distance_m: 42_000}).where(Route.id == rid)
    # A: a planned visit, also on the route, checked in verified -> planned once, done.
    await visit(
        w.rep1, c["A"], planned=at(D1, 9), put_in=before, status="done",
        check_in=at(D1, 9, 5), pos=A, verification="verified",
    )  # fmt: skip
    # B: only a stop; the rep made a visit on the spot -> planned (route), done, not unplanned.
    await visit(
        w.rep1, c["B"], planned=at(D1, 10), put_in=at(D1, 10), status="done",
        check_in=at(D1, 10, 1), pos=B, verification="verified",
    )  # fmt: skip
    # C: only a stop, never visited -> missed.  D: planned, skipped -> missed.
    await visit(w.rep1, c["D"], planned=at(D1, 11), put_in=before, status="skipped")
    # E: made on the spot, on no plan -> unplanned; too far from the pin.
    await visit(
        w.rep1, c["E"], planned=at(D1, 14), put_in=at(D1, 14), status="done",
        check_in=at(D1, 14, 2), pos=E, verification="too_far",
    )  # fmt: skip
    # F: planned then cancelled -> not counted at all.
    await visit(w.rep1, c["F"], planned=at(D1, 15), put_in=before, status="cancelled")
    # G: planned ten minutes ahead for noon, checked in at noon without a fix -> planned, done.
    await visit(
        w.rep1, c["G"], planned=at(D1, 12), put_in=at(D1, 11, 50), status="done",
        check_in=at(D1, 12), verification="no_fix",
    )  # fmt: skip
    # H: put in for "now" and never checked in -> counted nowhere.
    await visit(w.rep1, c["H"], planned=at(D1, 16), put_in=at(D1, 16))
    await order(w.rep1, c["A"], "100.50", at(D1, 9, 20))
    await order(w.rep1, c["B"], "20.25", at(D1, 10, 20))
    await order(w.rep1, c["B"], "999.00", at(D1, 10, 30), status="cancelled")
    await quote(w.rep1, c["A"], "sent", D1)
    await quote(w.rep1, c["B"], "accepted", D1)
    await quote(w.rep1, c["C"], "draft", D1)
    # D2: A planned and done, checked in without a position fix; one order.
    await visit(
        w.rep1, c["A"], planned=at(D2, 9), put_in=before, status="done",
        check_in=at(D2, 9, 10), verification="no_fix",
    )  # fmt: skip
    await order(w.rep1, c["A"], "10.00", at(D2, 9, 30))
    # D3 (next week, past): B planned, never visited -> missed.
    await visit(w.rep1, c["B"], planned=at(D3, 9), put_in=before)
    # rep2: one planned visit on D1, done.
    await visit(
        w.rep2, w.c2, planned=at(D1, 9), put_in=before, status="done",
        check_in=at(D1, 9, 3), pos=A, verification="verified",
    )  # fmt: skip
    # A rep of the other region, one planned visit.
    rep3 = await make_user("rep", region=w.other_region, name="Other rep")
    await visit(rep3, w.c_other, planned=at(D1, 9), put_in=before)
    return w, rep3


DRIVEN_D1 = (distance_m(*A, *B) + distance_m(*B, *E)) / 1000


def _by(items, rep, period):
    found = [i for i in items if i["rep_id"] == str(rep) and i["period"] == period.isoformat()]
    assert len(found) == 1, items
    return found[0]


async def test_every_figure_by_day_matches_what_was_made(client):
    w, _ = await made()
    r = await client.get(
        URL, params={"from": "2026-11-01", "to": "2026-11-10"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["from"] == "2026-11-01" and body["to"] == "2026-11-10" and body["group"] == "day"
    items = body["items"]
    assert {i["rep_id"] for i in items} == {str(w.rep1), str(w.rep2)}  # not rep3
    d1 = _by(items, w.rep1, D1)
    assert (d1["planned"], d1["done"], d1["missed"], d1["unplanned"]) == (5, 3, 2, 1)
    assert (d1["checkins"], d1["verified_checkins"]) == (4, 2)
    assert (d1["orders"], d1["orders_value"]) == (2, "120.75")
    assert (d1["quotes_sent"], d1["quotes_accepted"]) == (2, 1)
    assert d1["planned_km"] == 42.0
    assert d1["driven_km"] == pytest.approx(DRIVEN_D1, abs=0.01)
    assert d1["rep_name"]
    d2 = _by(items, w.rep1, D2)
    assert (d2["planned"], d2["done"], d2["missed"], d2["unplanned"]) == (1, 1, 0, 0)
    assert (d2["checkins"], d2["verified_checkins"], d2["orders"]) == (1, 0, 1)
    assert d2["orders_value"] == "10.00"
    assert d2["planned_km"] is None and d2["driven_km"] is None  # no route, no position
    d3 = _by(items, w.rep1, D3)
    assert (d3["planned"], d3["done"], d3["missed"], d3["unplanned"]) == (1, 0, 1, 0)
    r2 = _by(items, w.rep2, D1)
    assert (r2["planned"], r2["done"], r2["missed"], r2["driven_km"]) == (1, 1, 0, 0.0)
    t = body["totals"]
    assert (t["planned"], t["done"], t["missed"], t["unplanned"]) == (8, 5, 3, 1)
    assert (t["checkins"], t["orders"], t["orders_value"]) == (6, 3, "130.75")
    assert t["driven_km"] == pytest.approx(DRIVEN_D1, abs=0.02)


async def test_a_team_plan_not_yet_published_is_not_planned(client):
    w, _ = await made()
    # A manager's draft for rep2 on D2 (never published): rep2 planned nothing that day.
    draft = await make_route(w.rep2, [w.c1, w.c2], day=D2)
    await Route.update({Route.state: "draft", Route.distance_m: 9_000}).where(Route.id == draft)
    r = await client.get(
        URL, params={"from": "2026-11-01", "to": "2026-11-10"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert not [i for i in items if i["rep_id"] == str(w.rep2) and i["period"] == D2.isoformat()]
    assert r.json()["totals"]["planned"] == 8


async def test_weeks_add_up_the_days_and_one_rep_can_be_picked(client):
    w, _ = await made()
    r = await client.get(
        URL,
        params={"from": "2026-11-01", "to": "2026-11-15", "group": "week", "rep_id": str(w.rep1)},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    # Weeks start on Monday; a week with nothing in it has no item.
    assert [(i["period"], i["planned"], i["done"], i["missed"]) for i in items] == [
        ("2026-11-02", 6, 4, 2),
        ("2026-11-09", 1, 0, 1),
    ]
    week = _by(items, w.rep1, D1)
    assert (week["unplanned"], week["checkins"], week["orders"]) == (1, 5, 3)
    assert week["orders_value"] == "130.75"
    assert week["driven_km"] == pytest.approx(DRIVEN_D1, abs=0.01)


async def test_scope_rep_sees_themselves_partners_are_refused_admin_sees_all(client):
    w, rep3 = await made()
    q = {"from": "2026-11-01", "to": "2026-11-10"}
    mine = (await client.get(URL, params=q, headers=w.headers["rep1"])).json()["items"]
    assert {i["rep_id"] for i in mine} == {str(w.rep1)}
    other = await client.get(URL, params={**q, "rep_id": str(w.rep2)}, headers=w.headers["rep1"])
    assert other.status_code == 404
    far = await client.get(URL, params={**q, "rep_id": str(rep3)}, headers=w.headers["manager"])
    assert far.status_code == 404
    for role in ("distributor_user", "customer_user"):
        assert (await client.get(URL, params=q, headers=w.headers[role])).status_code == 403
    everyone = (await client.get(URL, params=q, headers=w.headers["admin"])).json()["items"]
    assert {i["rep_id"] for i in everyone} == {str(w.rep1), str(w.rep2), str(rep3)}
    theirs = await client.get(URL, params=q, headers=await sync_headers(w.other_manager))
    assert {i["rep_id"] for i in theirs.json()["items"]} == {str(rep3)}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-11-10", "to": "2026-11-01"}, "to"),
        ({"from": "2025-11-01", "to": "2026-11-02"}, "to"),  # 367 days
        ({"from": "2026-13-01", "to": "2026-11-02"}, "from"),
        ({"from": "2026-11-01", "to": "yesterday"}, "to"),
        ({"to": "0001-01-01"}, "to"),
        ({"from": "3000-01-01", "to": "3000-01-02"}, "from"),
        ({"from": "2026-11-01", "group": "month"}, "group"),
        ({"rep_id": "rep-1"}, "rep_id"),
        ({"format": "pdf"}, "format"),
    ],
)
async def test_bad_input_is_422_naming_the_field(client, params, field):
    w = await make_world_fast()
    r = await client.get(URL, params=params, headers=w.headers["manager"])
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == [field]


async def test_a_whole_year_is_allowed(client):
    w = await make_world_fast()
    r = await client.get(
        URL, params={"from": "2025-11-02", "to": "2026-11-02"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text


def _rows_csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _rows_xlsx(body: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    width = len(rows[0])  # a read-only sheet leaves out empty cells at the end of a row
    return [dict(zip(rows[0], [*r, *[None] * (width - len(r))], strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_downloads_carry_the_same_table_and_a_total(client, fmt):
    w, _ = await made()
    r = await client.get(
        URL,
        params={"from": "2026-11-01", "to": "2026-11-10", "format": fmt},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == (
        f'attachment; filename="plan-vs-actual-2026-11-01-2026-11-10-day.{fmt}"'
    )
    rows = _rows_csv(r.content) if fmt == "csv" else _rows_xlsx(r.content)
    assert len(rows) == 5  # rep1 on three days, rep2 on one, the total
    d1 = next(
        x for x in rows if x["rep_id"] == str(w.rep1) and str(x["period"])[:10] == "2026-11-02"
    )
    figures = [d1[k] for k in ("planned", "done", "missed", "unplanned", "orders", "quotes_sent")]
    assert [int(str(v)) for v in figures] == [5, 3, 2, 1, 2, 2]
    assert Decimal(str(d1["orders_value"])) == Decimal("120.75")
    assert float(str(d1["planned_km"])) == 42.0
    total = rows[-1]
    assert total["rep_name"] == "Total"
    assert [int(str(total[k])) for k in ("planned", "done", "missed", "unplanned")] == [8, 5, 3, 1]
    assert Decimal(str(total["orders_value"])) == Decimal("130.75")
