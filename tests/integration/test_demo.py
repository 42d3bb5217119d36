"""The demo data set: idempotent, logins work, places are real, history is alive."""

from __future__ import annotations

import json

import pytest

from backend.accounts.tables import User
from backend.customers.core import opening_hours_errors
from backend.customers.tables import Contact, Customer
from backend.demo import load_demo
from backend.demo.places import BBOX, point_in_polygon
from backend.history.tables import HistoryEvent
from backend.orders.tables import Order, OrderLine
from backend.territories.tables import Territory
from backend.visits.tables import Visit
from sync.tables import SyncChange
from tests.factories import login

LOGINS = ("admin", "manager", "rep1", "rep2", "rep3", "distributor", "customer")
TABLES = (Customer, Contact, Territory, User, Visit, Order, OrderLine, HistoryEvent, SyncChange)


async def _counts() -> dict[str, int]:
    return {t._meta.tablename: await t.count() for t in TABLES}


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


@pytest.mark.slow
async def test_default_demo_loads_twice_with_the_same_counts(db):
    summary = await load_demo()
    assert "320 customers" in summary
    first = await _counts()
    assert first["customer"] == 320 and first["app_user"] == 7
    assert first["visit"] > 3000 and first["sales_order"] > 1000
    again = await load_demo()
    assert "0 new" in again
    assert await _counts() == first
    # Everything inserted is in the change log, so devices pull it.
    logged = {
        r["collection"]: r["n"]
        for r in await SyncChange.raw(
            "SELECT collection, COUNT(*) AS n FROM sync_change GROUP BY collection"
        )
    }
    assert logged["visits"] == first["visit"]
    assert logged["orders"] == first["sales_order"]
    assert logged["history"] == first["history_event"]
    assert logged["contacts"] == first["contact"]
    assert logged["customers"] >= first["customer"]


async def test_demo_logins_work_with_password_demo(client):
    await load_demo(customers=30)
    for who in LOGINS:
        headers = await login(client, f"{who}@demo.rounds", "demo")
        me = (await client.get("/api/me", headers=headers)).json()
        assert me["email"] == f"{who}@demo.rounds"
    rep = (
        await client.get("/api/me", headers=await login(client, "rep2@demo.rounds", "demo"))
    ).json()
    assert rep["role"] == "rep" and len(rep["territory_ids"]) == 1
    r = await client.post(
        "/api/auth/login", json={"email": "rep1@demo.rounds", "password": "wrong"}
    )
    assert r.status_code == 401


@pytest.mark.slow  # loads the whole demo
async def test_customers_lie_in_tallinn_inside_their_territory(db):
    await load_demo(customers=90)
    polygons = {
        t["id"]: _json(t["polygon"])["coordinates"][0]
        for t in await Territory.select(Territory.id, Territory.polygon)
    }
    assert len(polygons) == 3
    rows = await Customer.select(
        Customer.name, Customer.lat, Customer.lng, Customer.territory, Customer.opening_hours
    )
    south, west, north, east = BBOX
    for c in rows:
        assert south < c["lat"] < north and west < c["lng"] < east, c["name"]
        assert point_in_polygon(c["lat"], c["lng"], polygons[c["territory"]]), c["name"]
        others = [t for t in polygons if t != c["territory"]]
        assert not any(point_in_polygon(c["lat"], c["lng"], polygons[t]) for t in others)
        assert opening_hours_errors(_json(c["opening_hours"])) == []
    by_territory = {t: sum(1 for c in rows if c["territory"] == t) for t in polygons}
    assert all(n == 30 for n in by_territory.values())
    names = " ".join(c["name"] for c in rows)
    assert any(ch in names for ch in "абвгдежзиклмнопрстуфхцчшщыэюя")  # Russian/Ukrainian
    assert any(ch in names for ch in "їієґ")  # Ukrainian letters
    assert any(ch in names for ch in "õäöü")  # Estonian letters
    night = [c for c in rows if _json(c["opening_hours"]).get("mon") == [["22:00", "06:00"]]]
    assert len(night) == 1


@pytest.mark.slow  # loads the whole demo
async def test_history_has_visits_and_orders_captured_before_recorded(db):
    await load_demo(customers=30)
    events = await HistoryEvent.select(
        HistoryEvent.kind, HistoryEvent.captured_at, HistoryEvent.recorded_at
    )
    kinds = {e["kind"] for e in events}
    assert {"visit", "order", "distributor_order"} <= kinds
    assert all(e["captured_at"] <= e["recorded_at"] for e in events)
    span = max(e["captured_at"] for e in events) - min(e["captured_at"] for e in events)
    assert span.days >= 170  # six months of work
    # Done visits were checked in near the customer, and orders add up.
    done = await Visit.select(Visit.check_in_verification).where(Visit.status == "done")
    verified = sum(1 for v in done if v["check_in_verification"] == "verified")
    assert verified / len(done) > 0.8
    order = await Order.select().where(Order.status == "delivered").first()
    assert order is not None
    lines = await OrderLine.select(OrderLine.total).where(OrderLine.order == order["id"])
    assert lines and order["total"] > 0
    planned = await Visit.count().where(Visit.status == "planned")
    assert planned > 0  # the coming two weeks are planned
    served = await Customer.count().where(Customer.distributor.is_not_null())
    assert served == 6  # about 60 of 320


@pytest.mark.slow  # loads the demo twice
@pytest.mark.parametrize("size", [12])
async def test_other_seeds_are_refused_not_mixed(db, size):
    await load_demo(customers=size, seed=1)
    with pytest.raises(RuntimeError):
        await load_demo(customers=size, seed=2)


async def test_the_demo_distributor_takes_an_order_out_of_the_box(client):
    await load_demo(customers=30)
    headers = await login(client, "distributor@demo.rounds", "demo")
    me = (await client.get("/api/me", headers=headers)).json()
    mine = (await client.get(f"/api/distributors/{me['distributor_id']}", headers=headers)).json()
    assert mine["price_list_id"] is not None
    lists = (await client.get("/api/price-lists", headers=headers)).json()
    assert [pl["id"] for pl in lists] == [mine["price_list_id"]]
    items = (await client.get(f"/api/price-lists/{mine['price_list_id']}", headers=headers)).json()
    customers = (await client.get("/api/customers", headers=headers)).json()["items"]
    assert customers
    r = await client.post(
        "/api/orders",
        json={
            "customer_id": customers[0]["id"],
            "lines": [{"product_id": items["items"][0]["product_id"], "quantity": "3"}],
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["price_list_id"] == mine["price_list_id"] and r.json()["status"] == "submitted"
    # Loading again keeps the link (and a link an admin chose is never overwritten).
    await load_demo(customers=30)
    again = (await client.get(f"/api/distributors/{me['distributor_id']}", headers=headers)).json()
    assert again["price_list_id"] == mine["price_list_id"]
