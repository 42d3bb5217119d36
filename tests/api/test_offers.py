"""Offers: targeting and preview, roles, opt-in/out, fan-out, display/click in the history."""

from __future__ import annotations

from backend.customers.tables import Customer
from backend.history.tables import HistoryEvent
from notifications.offers import send_due_offers
from notifications.tables import Delivery, Notification, Offer
from tests.factories import make_catalogue, make_world_fast


async def _order(client, w, customer, rep, *products):  # type: ignore[no-untyped-def]
    body = {
        "customer_id": str(customer),
        "lines": [{"product_id": str(p), "quantity": "1"} for p in products],
    }
    r = await client.post("/api/orders", json=body, headers=w.headers[rep])
    assert r.status_code == 201, r.text


async def _world_with_purchases(client):  # type: ignore[no-untyped-def]
    w = await make_world_fast()
    cat = await make_catalogue(w)
    await _order(client, w, w.c1, "rep1", cat.p1)  # c1 bought coffee, never tea
    await _order(client, w, w.c2, "rep2", cat.p1, cat.p2)  # c2 bought both
    return w, cat


async def _preview(client, w, target, role="manager"):  # type: ignore[no-untyped-def]
    return await client.post("/api/offers/preview", json=target, headers=w.headers[role])


async def test_preview_targets_by_purchase_history_segment_and_territory(client):
    w, cat = await _world_with_purchases(client)
    r = await _preview(
        client, w, {"bought_product_id": str(cat.p1), "never_product_id": str(cat.p2), "days": 90}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"customers": 1, "recipients": 0, "contacts_opted_in": 0}
    # The whole region: c1 and c2, not the other region's customer.
    assert (await _preview(client, w, {})).json()["customers"] == 2
    assert (await _preview(client, w, {}, "admin")).json()["customers"] == 3
    await Customer.update({Customer.segment: "horeca"}).where(Customer.id == w.c2)
    assert (await _preview(client, w, {"segments": ["horeca"]})).json()["customers"] == 1
    r = await _preview(client, w, {"territory_ids": [str(w.t1)]})
    assert r.json()["customers"] == 1
    # The customer user of c1 opts in: now one person would get it.
    assert (await client.post("/api/offers/opt-in", headers=w.headers["customer_user"])).json() == {
        "offers_opt_in": True
    }
    r = await _preview(
        client, w, {"bought_product_id": str(cat.p1), "never_product_id": str(cat.p2)}
    )
    assert r.json()["recipients"] == 1


async def test_preview_refuses_other_regions_and_bad_targets(client):
    w, _cat = await _world_with_purchases(client)
    r = await _preview(client, w, {"territory_ids": [str(w.t_other)]})
    assert r.status_code == 422
    r = await _preview(client, w, {"days": 0})
    assert r.status_code == 422, r.text
    r = await _preview(client, w, {"surprise": True})
    assert r.status_code == 422, r.text


async def test_roles(client):
    w, _cat = await _world_with_purchases(client)
    offer = {"title": "Coffee week", "text": "Coffee 1 kg", "price": "8.90"}
    for role in ("rep1", "distributor_user", "customer_user"):
        assert (
            await client.post("/api/offers", json=offer, headers=w.headers[role])
        ).status_code == 403
        assert (await _preview(client, w, {}, role)).status_code == 403
    for role in ("rep1", "manager"):
        assert (await client.post("/api/offers/opt-in", headers=w.headers[role])).status_code == 403
    assert await Offer.count() == 0


async def test_bad_offers_are_refused_and_nothing_stored(client):
    w, _cat = await _world_with_purchases(client)
    h = w.headers["manager"]
    bad = [
        {"title": "x", "price": "1.00", "discount_pct": "10"},
        {"title": "x", "price": "-1"},
        {"title": "x", "discount_pct": "150"},
        {"title": ""},
        {
            "title": "x",
            "valid_from": "2026-12-10T00:00:00+02:00",
            "valid_until": "2026-12-01T00:00:00+02:00",
        },
        {"title": "x", "image_url": "javascript:alert(1)"},
        {"title": "x", "product_id": "00000000-0000-0000-0000-000000000001"},
        {"title": "x", "colour": "red"},
    ]
    for body in bad:
        r = await client.post("/api/offers", json=body, headers=h)
        assert r.status_code == 422, (body, r.text)
    assert await Offer.count() == 0


async def test_schedule_fan_out_display_click_land_in_history(client):
    w, cat = await _world_with_purchases(client)
    await client.post("/api/offers/opt-in", headers=w.headers["customer_user"])
    r = await client.post(
        "/api/offers",
        headers=w.headers["manager"],
        json={
            "title": "Coffee week",
            "text": "Coffee 1 kg",
            "product_id": str(cat.p1),
            "discount_pct": "15",
            "image_url": "https://cdn.example/coffee.jpg",
            "target": {"bought_product_id": str(cat.p1), "never_product_id": str(cat.p2)},
        },
    )
    assert r.status_code == 201, r.text
    offer = r.json()
    assert offer["status"] == "draft"
    r = await client.post(
        f"/api/offers/{offer['id']}/schedule", json={}, headers=w.headers["manager"]
    )
    assert r.status_code == 200 and r.json()["status"] == "scheduled"
    # Another region's manager cannot see or schedule it.
    assert (
        await client.get(f"/api/offers/{offer['id']}", headers=w.headers["other_manager"])
    ).status_code == 404

    assert await send_due_offers() == 1
    assert await send_due_offers() == 0  # once only
    got = await client.get(f"/api/offers/{offer['id']}", headers=w.headers["manager"])
    assert got.json()["status"] == "sent" and got.json()["recipients"] == 1

    inbox = (await client.get("/api/notifications", headers=w.headers["customer_user"])).json()
    assert [(n["kind"], n["title"], n["url"]) for n in inbox] == [
        ("offer", "Coffee week", f"/#/offer/{offer['id']}")
    ]
    assert "-15%" in inbox[0]["body"]
    nid = inbox[0]["id"]
    mine = (await client.get("/api/offers", headers=w.headers["customer_user"])).json()
    assert [o["id"] for o in mine] == [offer["id"]]
    # Sent to the region's customers: rep1's customers among them, so rep1 sees it too.
    reps = (await client.get("/api/offers", headers=w.headers["rep1"])).json()
    assert [o["id"] for o in reps] == [offer["id"]]
    assert (await client.get("/api/offers", headers=w.headers["distributor_user"])).json() == []

    # The service worker reports display and click (twice: counted once).
    # Without a session the answer is 204 with no body: the id notes, it does not read.
    for what in ("displayed", "clicked", "clicked"):
        r = await client.post(f"/api/notifications/{nid}/{what}")
        assert r.status_code == 204 and r.content == b"", r.text
    inbox = await client.get("/api/notifications", headers=w.headers["customer_user"])
    read = next(n for n in inbox.json() if n["id"] == nid)
    assert read["displayed_at"] and read["clicked_at"] and read["read_at"]
    kinds = [
        e["kind"]
        for e in await HistoryEvent.select(HistoryEvent.kind)
        .where(HistoryEvent.customer == w.c1)
        .order_by(HistoryEvent.recorded_at)
    ]
    assert [k for k in kinds if k.startswith("offer_")] == [
        "offer_sent",
        "offer_opened",
        "offer_clicked",
    ]
    assert (
        await HistoryEvent.count().where(
            (HistoryEvent.customer == w.c2) & HistoryEvent.kind.like("offer%")
        )
        == 0
    )
    unknown = await client.post("/api/notifications/00000000-0000-0000-0000-000000000009/clicked")
    assert unknown.status_code == 404


async def test_opted_out_customer_gets_nothing(client):
    w, _cat = await _world_with_purchases(client)
    await client.post("/api/offers/opt-in", headers=w.headers["customer_user"])
    r = await client.post("/api/offers/opt-out", headers=w.headers["customer_user"])
    assert r.json() == {"offers_opt_in": False}
    r = await client.post(
        "/api/offers", headers=w.headers["manager"], json={"title": "Tea", "price": "2.10"}
    )
    await client.post(
        f"/api/offers/{r.json()['id']}/schedule", json={}, headers=w.headers["manager"]
    )
    await send_due_offers()
    assert await Notification.count() == 0 and await Delivery.count() == 0
    kinds = {e["kind"] for e in await HistoryEvent.select(HistoryEvent.kind)}
    assert "offers_opt_out" in kinds and "offer_sent" not in kinds


async def test_future_schedule_waits_and_cancel_stops_it(client):
    w, _cat = await _world_with_purchases(client)
    await client.post("/api/offers/opt-in", headers=w.headers["customer_user"])
    r = await client.post("/api/offers", headers=w.headers["manager"], json={"title": "Later"})
    oid = r.json()["id"]
    r = await client.post(
        f"/api/offers/{oid}/schedule",
        headers=w.headers["manager"],
        json={"send_at": "2099-01-01T08:00:00+02:00"},
    )
    assert r.json()["status"] == "scheduled"
    assert await send_due_offers() == 0
    r = await client.post(f"/api/offers/{oid}/cancel", headers=w.headers["manager"])
    assert r.json()["status"] == "cancelled"
    r = await client.post(f"/api/offers/{oid}/schedule", headers=w.headers["manager"], json={})
    assert r.status_code == 409
    assert await Notification.count() == 0
