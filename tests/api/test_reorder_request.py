"""A customer asks for a past order again: its rep or distributor is asked to confirm it."""

from __future__ import annotations

from uuid import uuid4

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


def _push(phone: str, *mutations: dict) -> dict:
    return {"client_id": phone, "schema_version": 1, "mutations": list(mutations)}


def _reorder(mid: int, event_id, order_id, at: str = "2026-11-30T09:15:00+02:00") -> dict:
    fields = {"kind": "reorder_request"}
    if order_id is not None:
        fields["order_id"] = str(order_id)
    return {
        "mid": mid,
        "collection": "history",
        "op": "create",
        "id": str(event_id),
        "fields": fields,
        "captured_at": at,
    }


async def test_a_request_made_offline_lands_once_through_sync(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    order = await _order(client, w, cat, w.c1, "rep1")
    asked = uuid4()
    # Tapped offline on Monday morning, pushed later; pushed again from a reinstalled app.
    for phone in (str(uuid4()), str(uuid4())):
        r = await client.post(
            "/api/sync/push",
            json=_push(phone, _reorder(1, asked, order["id"])),
            headers=w.headers["customer_user"],
        )
        assert r.status_code == 200, r.text
        assert [x["status"] for x in r.json()["results"]] == ["applied"], r.text
    entries = await HistoryEvent.select().where(HistoryEvent.kind == "reorder_request")
    assert [(e["id"], str(e["ref_id"])) for e in entries] == [(asked, order["id"])]
    assert entries[0]["captured_at"].isoformat().startswith("2026-11-30T07:15:00")
    assert entries[0]["actor"] == w.customer_user
    inbox = (await client.get("/api/notifications", headers=w.headers["rep1"])).json()
    assert [n["kind"] for n in inbox] == ["reorder_request"]
    # The customer's own phone gets the entry back, with the order it is about.
    page = (
        await client.get(
            "/api/sync/pull", params={"client_id": str(uuid4())}, headers=w.headers["customer_user"]
        )
    ).json()
    mine = [
        c["data"] for c in page["changes"] if c["collection"] == "history" and c["id"] == str(asked)
    ]
    assert mine and mine[0]["kind"] == "reorder_request" and mine[0]["ref_id"] == order["id"]


async def test_a_reorder_pushed_by_the_wrong_user_or_without_an_order_is_refused(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    mine = await _order(client, w, cat, w.c1, "rep1")
    other = await _order(client, w, cat, w.c2, "rep2")
    cases = [
        ("rep1", _reorder(1, uuid4(), mine["id"])),  # only the customer asks
        ("customer_user", _reorder(1, uuid4(), other["id"])),  # not its order
        ("customer_user", _reorder(1, uuid4(), None)),  # which order?
        ("customer_user", _reorder(1, uuid4(), "not-an-id")),
    ]
    for role, mutation in cases:
        r = await client.post(
            "/api/sync/push", json=_push(str(uuid4()), mutation), headers=w.headers[role]
        )
        assert r.status_code == 200, r.text
        result = r.json()["results"][0]
        assert result["status"] == "rejected", (role, mutation, result)
        assert result["error"]["detail"], result
    # Another entry's id is not taken over by a request.
    note = uuid4()
    r = await client.post(
        f"/api/customers/{w.c1}/notes",
        json={"id": str(note), "text": "Call first"},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        "/api/sync/push",
        json=_push(str(uuid4()), _reorder(1, note, mine["id"])),
        headers=w.headers["customer_user"],
    )
    assert r.json()["results"][0]["status"] == "rejected"
    assert not await HistoryEvent.exists().where(HistoryEvent.kind == "reorder_request")
    assert (await client.get("/api/notifications", headers=w.headers["rep1"])).json() == []
