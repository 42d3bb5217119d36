"""Orders: server pricing and mismatch flags, numbers, idempotency, statuses and history."""

from __future__ import annotations

import asyncio
import json
import re
from decimal import Decimal
from uuid import uuid4

from backend.history.tables import HistoryEvent
from backend.orders.tables import Order, OrderLine
from sync.tables import SyncChange
from tests.factories import device_code, make_catalogue, make_world


async def _counts() -> tuple[int, int, int]:
    return (await Order.count(), await OrderLine.count(), await HistoryEvent.count())


def _order(customer, *lines, **extra):
    return {"customer_id": str(customer), "lines": list(lines), **extra}


def _line(product, quantity="1", **extra):
    return {"product_id": str(product), "quantity": quantity, **extra}


async def test_server_prices_from_the_price_list_and_snapshots_lines(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    body = _order(
        w.c1,
        _line(cat.p1, "3", discount_pct="10"),
        _line(cat.p2, "4"),
        document_discount_pct="5",
        captured_at="2026-03-01T09:15:00+02:00",
    )
    r = await client.post("/api/orders", json=body, headers=w.headers["rep1"])
    assert r.status_code == 201, r.text
    o = r.json()
    # 3 x 10.00 - 10 % = 27.00 at 22 %; 4 x 2.50 = 10.00 at 9 %; 5 % off the 37.00 subtotal.
    assert o["subtotal"] == "37.00"
    l1, l2 = o["lines"]
    assert (l1["sku"], l1["unit_price"], l1["net"], l1["tax_amount"]) == (
        "COFFEE-1",
        "10.0000",
        "27.00",
        "5.94",
    )
    assert (l2["name"], l2["tax_rate"], l2["total"]) == ("Tea 100 g", "9.00", "10.90")
    # Discount 1.85 split 1.35 / 0.50: taxes 25.65*22 % = 5.64, 9.50*9 % = 0.86.
    assert o["tax_total"] == "6.50" and o["total"] == "41.65"
    assert o["discount_total"] == "4.85"  # 3.00 on the line + 1.85 on the document
    assert o["price_mismatch"] is False and o["mismatches"] == []
    assert re.fullmatch(r"SO-\d{4}-\d{6}", o["number"])
    assert o["captured_at"].startswith("2026-03-01T07:15:00")
    again = await client.get(f"/api/orders/{o['id']}", headers=w.headers["manager"])
    assert again.json()["lines"] == o["lines"]


async def test_device_figures_that_differ_are_flagged_not_applied(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    body = _order(
        w.c1,
        _line(cat.p1, "2", unit_price="9.50", tax_rate="22"),
        _line(cat.p2, "1", unit_price="2.50"),
        device_totals={"subtotal": "21.50", "total": "26.23"},
    )
    r = await client.post("/api/orders", json=body, headers=w.headers["rep1"])
    assert r.status_code == 201, r.text
    o = r.json()
    assert o["lines"][0]["unit_price"] == "10.0000" and o["subtotal"] == "22.50"
    assert o["price_mismatch"] is True
    found = {(m["field"], m["line_index"]): (m["device"], m["server"]) for m in o["mismatches"]}
    assert found[("unit_price", 0)] == ("9.50", "10.00") or Decimal(
        found[("unit_price", 0)][1]
    ) == Decimal("10")
    assert ("subtotal", None) in found and ("total", None) in found
    # What matched is not reported: line 2's price and line 1's tax rate.
    assert ("unit_price", 1) not in found and ("tax_rate", 0) not in found


async def test_matching_device_figures_raise_no_flag(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    body = _order(
        w.c1,
        _line(cat.p1, "1", unit_price="10", tax_rate="22.0", net="10.00"),
        device_totals={"subtotal": "10", "tax_total": "2.20", "total": "12.20"},
    )
    o = (await client.post("/api/orders", json=body, headers=w.headers["rep1"])).json()
    assert o["price_mismatch"] is False, o["mismatches"]


async def test_distributor_order_uses_the_distributors_prices(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    r = await client.post(
        "/api/orders", json=_order(w.c1, _line(cat.p1, "2")), headers=w.headers["distributor_user"]
    )
    assert r.status_code == 201, r.text
    o = r.json()
    assert o["subtotal"] == "18.00" and o["distributor_id"] == str(w.distributor)
    kinds = await HistoryEvent.select(HistoryEvent.kind).where(HistoryEvent.ref_id == o["id"])
    assert [k["kind"] for k in kinds] == ["distributor_order"]


async def test_missing_price_is_a_field_error_and_nothing_is_stored(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    before = await _counts()
    r = await client.post(
        "/api/orders",
        json=_order(w.c1, _line(cat.p1), _line(cat.p_unpriced)),
        headers=w.headers["rep1"],
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["lines[1].product_id"]
    assert "NEW-1" in r.json()["errors"][0]["message"]
    assert await _counts() == before


async def test_bad_quantities_are_refused_and_nothing_is_stored(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    before = await _counts()
    for quantity in ("0", "-1", "1.2345", "NaN"):
        r = await client.post(
            "/api/orders", json=_order(w.c1, _line(cat.p1, quantity)), headers=w.headers["rep1"]
        )
        assert r.status_code == 422, (quantity, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    for bad in ({"discount_pct": "101"}, {"unknown": 1}, {"quantity": "abc"}):
        line = {**_line(cat.p1), **bad}
        r = await client.post("/api/orders", json=_order(w.c1, line), headers=w.headers["rep1"])
        assert r.status_code == 422, (bad, r.text)
    r = await client.post("/api/orders", json=_order(w.c1), headers=w.headers["rep1"])
    assert r.status_code == 422, r.text
    assert await _counts() == before


async def test_numbers_are_unique_under_concurrent_creates(client):
    w = await make_world(client)
    cat = await make_catalogue(w)

    async def one():
        return await client.post(
            "/api/orders", json=_order(w.c1, _line(cat.p1)), headers=w.headers["rep1"]
        )

    results = await asyncio.gather(*[one() for _ in range(20)])
    assert all(r.status_code == 201 for r in results), [r.text for r in results]
    numbers = [r.json()["number"] for r in results]
    assert len(set(numbers)) == 20
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 21))


async def test_device_numbers_are_kept_and_never_reused(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    number = f"{await device_code(client, w.headers['rep1']):02d}-15"
    r = await client.post(
        "/api/orders", json=_order(w.c1, _line(cat.p1), number=number), headers=w.headers["rep1"]
    )
    assert r.status_code == 201 and r.json()["number"] == number
    r = await client.post(
        "/api/orders", json=_order(w.c1, _line(cat.p1), number=number), headers=w.headers["rep1"]
    )
    assert r.status_code == 409
    for bad in ("SO-2026-000001", "k7q2 15", "K7Q2-0", "X-1"):
        r = await client.post(
            "/api/orders", json=_order(w.c1, _line(cat.p1), number=bad), headers=w.headers["rep1"]
        )
        assert r.status_code == 422, bad
    assert await Order.count() == 1


async def test_create_is_idempotent_for_the_same_author_only(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    oid = str(uuid4())
    first = await client.post(
        "/api/orders", json=_order(w.c1, _line(cat.p1), id=oid), headers=w.headers["rep1"]
    )
    assert first.status_code == 201
    # A retry (even with other content) returns the stored order unchanged.
    again = await client.post(
        "/api/orders", json=_order(w.c1, _line(cat.p1, "7"), id=oid), headers=w.headers["rep1"]
    )
    assert again.status_code == 200 and again.json() == first.json()
    other = await client.post(
        "/api/orders", json=_order(w.c1, _line(cat.p1), id=oid), headers=w.headers["manager"]
    )
    assert other.status_code == 409
    assert await Order.count() == 1
    assert await HistoryEvent.count().where(HistoryEvent.ref_id == oid) == 1


async def test_status_moves_forward_writes_history_and_refuses_the_rest(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    o = (
        await client.post(
            "/api/orders", json=_order(w.c1, _line(cat.p1)), headers=w.headers["rep1"]
        )
    ).json()
    url = f"/api/orders/{o['id']}/status"
    r = await client.post(url, json={"status": "shipped"}, headers=w.headers["manager"])
    assert r.status_code == 409
    for status in ("confirmed", "shipped", "delivered"):
        r = await client.post(url, json={"status": status}, headers=w.headers["manager"])
        assert r.status_code == 200 and r.json()["status"] == status
    r = await client.post(url, json={"status": "cancelled"}, headers=w.headers["admin"])
    assert r.status_code == 409
    events = (
        await HistoryEvent.select(HistoryEvent.kind, HistoryEvent.data)
        .where(HistoryEvent.ref_id == o["id"])
        .order_by(HistoryEvent.recorded_at)
    )
    assert [e["kind"] for e in events] == ["order"] + ["order_status"] * 3
    data = [json.loads(e["data"]) if isinstance(e["data"], str) else e["data"] for e in events]
    assert [d["to"] for d in data[1:]] == ["confirmed", "shipped", "delivered"]
    changes = await SyncChange.count().where(
        (SyncChange.collection == "orders") & (SyncChange.row_id == o["id"])
    )
    assert changes == 4


async def test_cancel_from_submitted_and_confirmed(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    ids = []
    for _ in range(2):
        r = await client.post(
            "/api/orders", json=_order(w.c1, _line(cat.p1)), headers=w.headers["rep1"]
        )
        ids.append(r.json()["id"])
    await client.post(
        f"/api/orders/{ids[1]}/status", json={"status": "confirmed"}, headers=w.headers["manager"]
    )
    for oid in ids:
        r = await client.post(
            f"/api/orders/{oid}/status", json={"status": "cancelled"}, headers=w.headers["manager"]
        )
        assert r.status_code == 200 and r.json()["status"] == "cancelled"


async def test_list_filters_and_pages(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    for customer, headers in ((w.c1, "rep1"), (w.c1, "rep1"), (w.c2, "rep2")):
        await client.post(
            "/api/orders", json=_order(customer, _line(cat.p1)), headers=w.headers[headers]
        )
    h = w.headers["manager"]
    page = (await client.get("/api/orders", params={"limit": 2}, headers=h)).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = (
        await client.get(
            "/api/orders", params={"limit": 2, "cursor": page["next_cursor"]}, headers=h
        )
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    by_customer = (
        await client.get("/api/orders", params={"customer_id": str(w.c1)}, headers=h)
    ).json()
    assert {o["customer_id"] for o in by_customer["items"]} == {str(w.c1)}
    assert len(by_customer["items"]) == 2
    none = (await client.get("/api/orders", params={"status": "shipped"}, headers=h)).json()
    assert none["items"] == []
    future = (
        await client.get("/api/orders", params={"since": "2099-01-01T00:00:00Z"}, headers=h)
    ).json()
    assert future["items"] == []
    assert (
        await client.get("/api/orders", params={"status": "lost"}, headers=h)
    ).status_code == 422
