"""Plan vs actual counts in the rep's local days: a visit at 23:30 UTC is on the next day in
Tallinn (UTC+2 in winter), a Sunday-night check-in there falls in the next Monday's week, and
a rep without a zone of their own counts in their region's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

from backend.accounts.tables import User
from backend.orders.tables import Order
from backend.territories.tables import Region
from backend.visits.tables import Visit
from tests.factories import make_customer, make_world_fast

URL = "/api/reports/plan-vs-actual"


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


async def checked_in_visit(rep, customer, at: datetime) -> None:
    """Planned three days ahead for `at`, checked in at `at` with a verified position."""
    await Visit.insert(
        Visit(
            id=uuid4(), customer=customer, rep=rep, status="done", planned_start=at,
            captured_at=utc(date(2026, 10, 30), 12), check_in_at=at, check_in_lat=59.4,
            check_in_lng=24.7, check_in_verification="verified",
        )
    )  # fmt: skip


def periods(body: dict, rep) -> dict[str, dict]:
    return {i["period"]: i for i in body["items"] if i["rep_id"] == str(rep)}


async def test_a_visit_at_half_past_one_in_tallinn_is_on_that_local_day(client):
    w = await make_world_fast()
    await User.update({User.time_zone: "Europe/Tallinn"}).where(User.id == w.rep1)
    shop = await make_customer(territory=w.t1, name="Night shop")
    # 23:30 UTC on 2 November is 01:30 on 3 November in Tallinn.
    await checked_in_visit(w.rep1, shop, utc(date(2026, 11, 2), 23, 30))
    await Order.insert(
        Order(
            id=uuid4(), number=f"O-{uuid4().hex[:8]}", customer=shop, author=w.rep1,
            total=Decimal("12.30"), captured_at=utc(date(2026, 11, 2), 23, 45),
        )
    )  # fmt: skip
    r = await client.get(
        URL, params={"from": "2026-11-01", "to": "2026-11-05"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    days = periods(r.json(), w.rep1)
    assert list(days) == ["2026-11-03"]
    d = days["2026-11-03"]
    assert (d["planned"], d["done"], d["missed"], d["unplanned"]) == (1, 1, 0, 0)
    assert (d["checkins"], d["verified_checkins"]) == (1, 1)
    assert (d["orders"], d["orders_value"]) == (1, "12.30")
    # Asked for 2 November alone, the visit is not in it (it was on the 3rd in Tallinn).
    r = await client.get(
        URL, params={"from": "2026-11-02", "to": "2026-11-02"}, headers=w.headers["manager"]
    )
    assert periods(r.json(), w.rep1) == {}


async def test_a_sunday_night_check_in_in_tallinn_is_in_the_next_mondays_week(client):
    w = await make_world_fast()
    await User.update({User.time_zone: "Europe/Tallinn"}).where(User.id == w.rep1)
    shop = await make_customer(territory=w.t1, name="Late shop")
    # Sunday 8 November 22:30 UTC is Monday 9 November 00:30 in Tallinn.
    await checked_in_visit(w.rep1, shop, utc(date(2026, 11, 8), 22, 30))
    r = await client.get(
        URL,
        params={"from": "2026-11-02", "to": "2026-11-15", "group": "week"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    weeks = periods(r.json(), w.rep1)
    assert list(weeks) == ["2026-11-09"]
    assert (weeks["2026-11-09"]["planned"], weeks["2026-11-09"]["done"]) == (1, 1)


async def test_a_rep_without_a_zone_of_their_own_counts_in_their_regions_zone(client):
    w = await make_world_fast()
    region = (await User.select(User.region).where(User.id == w.rep1).first())["region"]
    await Region.update({Region.time_zone: "America/New_York"}).where(Region.id == region)
    await User.update({User.time_zone: ""}).where(User.id == w.rep1)
    shop = await make_customer(territory=w.t1, name="Evening shop")
    # 03:00 UTC on 3 November is 22:00 on 2 November in New York (UTC-5 in winter).
    await checked_in_visit(w.rep1, shop, utc(date(2026, 11, 3), 3))
    r = await client.get(
        URL, params={"from": "2026-11-01", "to": "2026-11-05"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    assert list(periods(r.json(), w.rep1)) == ["2026-11-02"]
