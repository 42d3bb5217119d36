"""A customer asks for a past order again: its rep or distributor is asked to confirm it."""

from __future__ import annotations

from backend.accounts.tables import User
from backend.history.tables import HistoryEvent
from backend.orders.tables import Order
from tests.factories import make_catalogue, make_world_fast


async def _order(client, w, cat, customer, role):  # type: ignore[no-untyped-def]
    r = await client.post(
        "/api/orders",
        json={
            "customer_id": str(customer),
            "lines": [
                {"product_id": str(cat.p1), "quantity": "2"},
                {"product_id": str(cat.p2), "quantity": "5"},
            ],
        },
        headers=w.headers[role],
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_the_distributor_who_took_it_is_asked_in_its_language(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    await User.update({User.locale: "et"}).where(User.id == w.distributor_user)
    order = await _order(client, w, cat, w.c1, "distributor_user")
    r = await client.post(
        f"/api/orders/{order['id']}/reorder-request", headers=w.headers["customer_user"]
    )
    assert r.status_code == 202, r.text
    assert r.json()["number"] == order["number"] and r.json()["lines"] == 2
    inbox = (await client.get("/api/notifications", headers=w.headers["distributor_user"])).json()
    assert [(n["kind"], n["url"]) for n in inbox] == [
        ("reorder_request", f"/#/order/{w.c1}/{order['id']}")
    ]
    assert inbox[0]["title"] == "Kohvik Õun soovib uuesti tellida"
    assert order["number"] in inbox[0]["body"]
    # Asked twice the same day: one request in the inbox, both in the history.
    await client.post(
        f"/api/orders/{order['id']}/reorder-request", headers=w.headers["customer_user"]
    )
    inbox = (await client.get("/api/notifications", headers=w.headers["distributor_user"])).json()
    assert len(inbox) == 1
    # The customer and the distributor read it in the history; no order is made by itself.
    for role in ("customer_user", "distributor_user"):
        page = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers[role])
        kinds = [e["kind"] for e in page.json()["items"]]
        assert kinds.count("reorder_request") == 2, role
    assert await Order.count() == 1


async def test_only_the_customer_asks_and_only_for_its_own_orders(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    mine = await _order(client, w, cat, w.c1, "rep1")
    other = await _order(client, w, cat, w.c2, "rep2")
    r = await client.post(
        f"/api/orders/{other['id']}/reorder-request", headers=w.headers["customer_user"]
    )
    assert r.status_code == 404
    for role in ("rep1", "distributor_user", "manager"):
        r = await client.post(f"/api/orders/{mine['id']}/reorder-request", headers=w.headers[role])
        assert r.status_code == 403, role
    assert not await HistoryEvent.exists().where(HistoryEvent.kind == "reorder_request")
    inbox = (await client.get("/api/notifications", headers=w.headers["rep1"])).json()
    assert inbox == []
