"""What a rep creates and changes offline, replayed by sync (both engines): prospects, contacts,
notes without a visit, addresses (geocoded later unless pinned by hand), orders edited or
cancelled by their author until confirmed, and too-far check-ins with a reason."""

from __future__ import annotations

from uuid import uuid4

from backend.customers.tables import Customer
from backend.history.tables import HistoryEvent
from backend.orders.tables import Order
from tests.factories import make_catalogue, make_sync_world
from tests.integration.sync.device import Device

AT = "2026-12-03T08:15:00+00:00"


async def _history(customer) -> list[dict]:
    return list(
        await HistoryEvent.select()
        .where(HistoryEvent.customer == customer)
        .order_by(HistoryEvent.recorded_at)
        .output(load_json=True)
    )


async def test_prospect_contact_and_note_made_offline_reach_the_central_history(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    prospect, contact, note = uuid4(), uuid4(), uuid4()
    rep.queue(
        "customers",
        "create",
        prospect,
        {
            "code": "P-7-1",
            "name": "Pagari Uus",
            "street": "Narva mnt 5",
            "city": "Tallinn",
            "phone": "+372 5555 0001",
            "territory_id": str(w.t1),
        },
        captured_at=AT,
    )
    rep.queue(
        "contacts",
        "create",
        contact,
        {"customer_id": str(prospect), "name": "Mari Mets", "phone": "+372 5555 0002"},
        captured_at=AT,
    )
    rep.queue(
        "history",
        "create",
        note,
        {"customer_id": str(w.c1), "kind": "note", "text": "Asked for the spring prices"},
        captured_at=AT,
    )
    body = await rep.push()
    assert [r["status"] for r in body["results"]] == ["applied"] * 3, body
    row = await Customer.select().where(Customer.id == prospect).first()
    assert row["segment"] == "prospect" and row["territory"] == w.t1
    # No pin from the device: the address waits for the server's geocoder.
    assert row["geocode_quality"] == "pending"
    manager = Device(client, w.headers["manager"])
    await manager.sync()
    assert manager.replica[("contacts", str(contact))]["name"] == "Mari Mets"
    notes = [e for e in await _history(w.c1) if e["kind"] == "note"]
    assert len(notes) == 1
    assert notes[0]["actor"] == w.rep1
    assert notes[0]["captured_at"].isoformat().startswith("2026-12-03T08:15:00")
    assert "spring prices" in (notes[0]["summary"] + str(notes[0]["data"]))


async def test_a_pin_moved_by_hand_wins_and_a_new_address_waits_for_the_geocoder(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    version = rep.replica[("customers", str(w.c1))]["version"]
    rep.queue("customers", "update", w.c1, {"street": "Uus 1", "city": "Tartu"}, version)
    body = await rep.push()
    assert body["results"][0]["status"] == "applied", body
    row = await Customer.select().where(Customer.id == w.c1).first()
    assert (row["street"], row["geocode_quality"]) == ("Uus 1", "pending")
    rep.queue(
        "customers",
        "update",
        w.c1,
        {"lat": 58.38, "lng": 26.72, "opening_hours": {"mon": [["08:00", "17:00"]]}},
        version + 1,
    )
    body = await rep.push()
    assert body["results"][0]["status"] == "applied", body
    row = await Customer.select().where(Customer.id == w.c1).first()
    assert (row["lat"], row["lng"], row["geocode_quality"]) == (58.38, 26.72, "manual")
    assert row["opening_hours"] in ({"mon": [["08:00", "17:00"]]}, '{"mon": [["08:00", "17:00"]]}')
    # Another address change keeps the hand-set pin.
    rep.queue("customers", "update", w.c1, {"street": "Uus 2"}, version + 2)
    await rep.push()
    row = await Customer.select().where(Customer.id == w.c1).first()
    assert (row["lat"], row["geocode_quality"]) == (58.38, "manual")


async def test_bad_opening_hours_are_rejected_naming_the_field(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    version = rep.replica[("customers", str(w.c1))]["version"]
    rep.queue(
        "customers", "update", w.c1, {"opening_hours": {"mon": [["18:00", "08:61"]]}}, version
    )
    result = (await rep.push())["results"][0]
    assert result["status"] == "rejected"
    assert any("opening_hours" in e["field"] for e in result["error"]["errors"]), result


def _order(customer, *lines):
    return {"customer_id": str(customer), "lines": [dict(x) for x in lines]}


async def test_the_author_edits_and_cancels_an_order_until_it_is_confirmed(client):
    w = await make_sync_world()
    cat = await make_catalogue(w)
    rep = Device(client, w.headers["rep1"])
    order = uuid4()
    rep.queue(
        "orders",
        "create",
        order,
        _order(w.c1, {"product_id": str(cat.p1), "quantity": "2"}),
        captured_at=AT,
    )
    # Offline, later: one more line and a note, all at today's prices.
    rep.queue(
        "orders",
        "update",
        order,
        {
            "lines": [
                {"product_id": str(cat.p1), "quantity": "3"},
                {"product_id": str(cat.p2), "quantity": "4"},
            ],
            "notes": "Deliver before noon",
        },
        1,
        captured_at="2026-12-03T08:20:00+00:00",
    )
    body = await rep.push()
    assert [r["status"] for r in body["results"]] == ["applied", "applied"], body
    row = await Order.select().where(Order.id == order).first()
    # 3 x 10.00 at 22 % + 4 x 2.50 at 9 %: 36.60 + 10.90.
    assert str(row["total"]) == "47.50" and row["notes"] == "Deliver before noon"
    assert row["status"] == "submitted" and row["version"] == 2
    edited = [e for e in await _history(w.c1) if e["kind"] == "order_edited"]
    assert len(edited) == 1 and edited[0]["actor"] == w.rep1
    assert edited[0]["captured_at"].isoformat().startswith("2026-12-03T08:20:00")

    rep.queue("orders", "update", order, {"status": "cancelled"}, 2, captured_at=AT)
    body = await rep.push()
    assert body["results"][0]["status"] == "applied", body
    row = await Order.select().where(Order.id == order).first()
    assert row["status"] == "cancelled"
    moves = [e for e in await _history(w.c1) if e["kind"] == "order_status"]
    assert [e["actor"] for e in moves] == [w.rep1]


async def test_after_confirmation_the_authors_edit_and_cancel_come_back_rejected(client):
    w = await make_sync_world()
    cat = await make_catalogue(w)
    rep = Device(client, w.headers["rep1"])
    order = uuid4()
    rep.queue("orders", "create", order, _order(w.c1, {"product_id": str(cat.p1), "quantity": "2"}))
    await rep.push()
    r = await client.post(
        f"/api/orders/{order}/status", json={"status": "confirmed"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    rep.queue(
        "orders", "update", order, {"lines": [{"product_id": str(cat.p1), "quantity": "9"}]}, 2
    )
    rep.queue("orders", "update", order, {"status": "cancelled"}, 2)
    body = await rep.push()
    assert [r["status"] for r in body["results"]] == ["rejected", "rejected"], body
    for result in body["results"]:
        assert result["error"]["code"] == "conflict"
        assert result["error"]["errors"][0]["field"] == "fields.status" or result["error"][
            "errors"
        ][0]["field"] in ("status",)
        assert result["error"]["errors"][0]["code"] == "order_locked"
        assert "confirmed" in result["error"]["detail"]
    row = await Order.select().where(Order.id == order).first()
    assert row["status"] == "confirmed" and str(row["total"]) == "24.40"


async def test_only_the_author_edits_an_order_and_rest_put_says_so(client):
    w = await make_sync_world()
    cat = await make_catalogue(w)
    r = await client.post(
        "/api/orders",
        json=_order(w.c1, {"product_id": str(cat.p1), "quantity": "1"}),
        headers=w.headers["rep1"],
    )
    assert r.status_code == 201, r.text
    order = r.json()["id"]
    edit = {"lines": [{"product_id": str(cat.p2), "quantity": "2"}]}
    r = await client.put(f"/api/orders/{order}", json=edit, headers=w.headers["manager"])
    assert r.status_code == 403, r.text
    r = await client.put(f"/api/orders/{order}", json=edit, headers=w.headers["rep1"])
    assert r.status_code == 200, r.text
    assert [x["sku"] for x in r.json()["lines"]] == ["TEA-1"] and r.json()["total"] == "5.45"
    r = await client.put(
        f"/api/orders/{order}",
        json={"lines": [{"product_id": str(cat.p1), "quantity": "-1"}]},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"].startswith("lines[0].quantity")


async def test_a_too_far_check_in_keeps_its_reason_on_the_visit_and_in_the_history(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    visit = uuid4()
    rep.queue("visits", "create", visit, {"customer_id": str(w.c1)}, captured_at=AT)
    rep.queue(
        "visits",
        "update",
        visit,
        {
            "action": "check_in",
            "lat": 59.5,
            "lng": 24.9,
            "accuracy_m": 10,
            "reason": "met_elsewhere",
            "reason_note": "At the market stall",
        },
        1,
        captured_at=AT,
    )
    body = await rep.push()
    assert [r["status"] for r in body["results"]] == ["applied", "applied"], body
    r = await client.get(f"/api/visits/{visit}", headers=w.headers["manager"])
    v = r.json()
    assert v["check_in_verification"] == "too_far"
    assert (v["check_in_reason"], v["check_in_reason_note"]) == (
        "met_elsewhere",
        "At the market stall",
    )
    checks = [e for e in await _history(w.c1) if (e["data"] or {}).get("reason") == "met_elsewhere"]
    assert len(checks) == 1 and checks[0]["actor"] == w.rep1
    assert "At the market stall" in checks[0]["summary"]


async def test_an_other_reason_without_words_is_rejected_naming_the_field(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    visit = uuid4()
    rep.queue("visits", "create", visit, {"customer_id": str(w.c1)})
    rep.queue(
        "visits",
        "update",
        visit,
        {"action": "check_in", "lat": 59.5, "lng": 24.9, "reason": "other"},
        1,
    )
    rep.queue("visits", "update", visit, {"action": "check_in", "reason": "bribe"}, 1)
    body = await rep.push()
    assert [r["status"] for r in body["results"]] == ["applied", "rejected", "rejected"], body
    assert [e["field"] for e in body["results"][1]["error"]["errors"]] == ["reason_note"]
    # A reason outside the app's list: the schema names it.
    assert body["results"][2]["error"]["code"] == "validation-failed"
    assert "$.reason" in body["results"][2]["error"]["detail"]
