"""Discounts above the author's limit wait for a manager's approval (issue 15).

Before: a rep could give 100 % line and document discounts and accept its own quote, making
an order worth 0.00. Default limits: reps 15 % per line, 10 % on the document.
"""

from __future__ import annotations

from uuid import uuid4

from backend.accounts.tables import User
from backend.history.tables import HistoryEvent
from backend.orders.tables import Order
from tests.factories import bearer_for, make_catalogue, make_world_fast
from tests.integration.sync.device import Device


def _body(customer, product, line_pct="0", doc_pct="0", **extra):
    return {
        "customer_id": str(customer),
        "lines": [{"product_id": str(product), "quantity": "2", "discount_pct": line_pct}],
        "document_discount_pct": doc_pct,
        **extra,
    }


async def _status(client, w, quote, status, who="rep1"):
    return await client.post(
        f"/api/quotes/{quote['id']}/status", json={"status": status}, headers=w.headers[who]
    )


async def test_a_rep_cannot_give_everything_away_and_accept_it_itself(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    r = await client.post(
        "/api/quotes",
        json=_body(w.c1, cat.p1, "100", "100", status="sent"),
        headers=w.headers["rep1"],
    )
    assert r.status_code == 201, r.text
    quote = r.json()
    # Stored, worth 0.00, but kept a draft awaiting approval.
    assert (quote["total"], quote["status"], quote["approval"]) == ("0.00", "draft", "pending")
    r = await _status(client, w, quote, "sent")
    assert r.status_code == 409
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
        ("approval", "approval_pending")
    ]
    r = await client.post(f"/api/quotes/{quote['id']}/accept", json={}, headers=w.headers["rep1"])
    assert r.status_code == 409
    assert await Order.count() == 0
    # A rep approves nothing, not even its own.
    r = await client.post(
        f"/api/quotes/{quote['id']}/approval",
        json={"decision": "approved"},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 403
    # A manager of another region does not even see it.
    r = await client.post(
        f"/api/quotes/{quote['id']}/approval",
        json={"decision": "approved"},
        headers=w.headers["other_manager"],
    )
    assert r.status_code == 404
    r = await client.post(
        f"/api/quotes/{quote['id']}/approval",
        json={"decision": "approved", "reason": "closing the account"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    approved = r.json()
    assert approved["approval"] == "approved" and approved["approval_by_id"] == str(w.manager)
    assert approved["approval_reason"] == "closing the account" and approved["approval_at"]
    assert (await _status(client, w, quote, "sent")).status_code == 200
    r = await client.post(
        f"/api/quotes/{quote['id']}/accept", json={}, headers=w.headers["customer_user"]
    )
    assert r.status_code == 200, r.text
    assert await Order.count() == 1
    # The customer's history says who approved what.
    events = (
        await HistoryEvent.select(HistoryEvent.data, HistoryEvent.actor)
        .where(HistoryEvent.ref_id == quote["id"])
        .output(load_json=True)
    )
    decided = [e for e in events if e["data"].get("action") == "approval_approved"]
    assert len(decided) == 1 and decided[0]["actor"] == w.manager
    assert decided[0]["data"]["by_role"] == "manager"
    assert decided[0]["data"]["author_id"] == str(w.rep1)


async def test_within_the_limits_no_approval_is_needed(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    r = await client.post(
        "/api/quotes", json=_body(w.c1, cat.p1, "15", "10"), headers=w.headers["rep1"]
    )
    quote = r.json()
    assert quote["approval"] is None
    assert (await _status(client, w, quote, "sent")).status_code == 200
    r = await client.post(
        "/api/orders", json=_body(w.c1, cat.p1, "15", "10"), headers=w.headers["rep1"]
    )
    assert r.status_code == 201 and r.json()["approval"] is None
    # A manager has no limit.
    r = await client.post(
        "/api/orders", json=_body(w.c1, cat.p1, "60", "40"), headers=w.headers["manager"]
    )
    assert r.status_code == 201 and r.json()["approval"] is None


async def test_an_order_above_the_limit_is_confirmed_only_after_approval(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    r = await client.post("/api/orders", json=_body(w.c1, cat.p1, "20"), headers=w.headers["rep1"])
    order = r.json()
    assert r.status_code == 201 and order["approval"] == "pending"
    confirm = {"status": "confirmed"}
    r = await client.post(
        f"/api/orders/{order['id']}/status", json=confirm, headers=w.headers["manager"]
    )
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "approval"
    r = await client.post(
        f"/api/orders/{order['id']}/approval",
        json={"decision": "rejected"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = await client.post(
        f"/api/orders/{order['id']}/approval",
        json={"decision": "rejected", "reason": "20 % is too much"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200 and r.json()["approval"] == "rejected"
    # The customer learns it was not approved, not who decided or why (internal).
    mine = await client.get(f"/api/orders/{order['id']}", headers=w.headers["customer_user"])
    assert mine.status_code == 200
    assert (mine.json()["approval"], mine.json()["approval_reason"]) == ("rejected", "")
    assert mine.json()["approval_by_id"] is None
    r = await client.post(
        f"/api/orders/{order['id']}/status", json=confirm, headers=w.headers["admin"]
    )
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "approval_rejected"
    # Decided once: a second decision is refused.
    r = await client.post(
        f"/api/orders/{order['id']}/approval",
        json={"decision": "approved"},
        headers=w.headers["admin"],
    )
    assert r.status_code == 409
    r = await client.post(
        f"/api/orders/{order['id']}/status",
        json={"status": "cancelled"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    events = await HistoryEvent.select(HistoryEvent.kind, HistoryEvent.summary).where(
        HistoryEvent.ref_id == order["id"]
    )
    rejected = [e for e in events if e["kind"] == "order_approval"]
    assert len(rejected) == 1 and "20 % is too much" in rejected[0]["summary"]

    r = await client.post(
        "/api/orders", json=_body(w.c1, cat.p1, "0", "11"), headers=w.headers["rep1"]
    )
    second = r.json()
    assert second["approval"] == "pending"
    r = await client.post(
        f"/api/orders/{second['id']}/approval",
        json={"decision": "approved"},
        headers=w.headers["admin"],
    )
    assert r.status_code == 200
    r = await client.post(
        f"/api/orders/{second['id']}/status", json=confirm, headers=w.headers["manager"]
    )
    assert r.status_code == 200 and r.json()["status"] == "confirmed"


async def test_nobody_approves_their_own_document(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    r = await client.post("/api/orders", json=_body(w.c1, cat.p1, "50"), headers=w.headers["rep1"])
    order = r.json()
    assert order["approval"] == "pending"
    # The rep is promoted to manager of the region: its own pending order stays someone else's.
    await User.update({User.role: "manager"}).where(User.id == w.rep1)
    promoted = await bearer_for(w.rep1)
    r = await client.post(
        f"/api/orders/{order['id']}/approval", json={"decision": "approved"}, headers=promoted
    )
    assert r.status_code == 403, r.text
    assert "own" in r.json()["detail"]
    assert (await client.get(f"/api/orders/{order['id']}", headers=promoted)).json()[
        "approval"
    ] == "pending"


async def test_a_draft_edit_reconsiders_the_approval(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    quote = (
        await client.post("/api/quotes", json=_body(w.c1, cat.p1, "30"), headers=w.headers["rep1"])
    ).json()
    assert quote["approval"] == "pending"
    lines = [{"product_id": str(cat.p1), "quantity": "2", "discount_pct": "5"}]
    r = await client.patch(
        f"/api/quotes/{quote['id']}", json={"lines": lines}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200 and r.json()["approval"] is None
    r = await client.patch(
        f"/api/quotes/{quote['id']}",
        json={"document_discount_pct": "25"},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200 and r.json()["approval"] == "pending"


async def test_documents_pushed_offline_are_applied_but_await_approval(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    device = Device(client, w.headers["rep1"])
    qid, oid = uuid4(), uuid4()
    device.queue("quotes", "create", qid, _body(w.c1, cat.p1, "100", "100", status="sent"))
    device.queue("orders", "create", oid, _body(w.c1, cat.p1, "0", "30"))
    body = await device.push()
    assert [x["status"] for x in body["results"]] == ["applied", "applied"], body
    quote = (await client.get(f"/api/quotes/{qid}", headers=w.headers["rep1"])).json()
    assert (quote["status"], quote["approval"]) == ("draft", "pending")
    order = (await client.get(f"/api/orders/{oid}", headers=w.headers["rep1"])).json()
    assert order["approval"] == "pending"
    # Sending it from the device is refused until a manager approves it.
    device.queue("quotes", "update", qid, {"status": "sent"})
    body = await device.push()
    assert body["results"][0]["status"] == "rejected"
    assert body["results"][0]["error"]["errors"][0]["field"] == "approval"
    # The pull carries the approval, so the app can show it.
    await device.sync()
    assert device.replica[("quotes", str(qid))]["approval"] == "pending"
    assert device.replica[("orders", str(oid))]["approval"] == "pending"


async def test_a_distributors_order_has_its_own_limit(client):
    from dataclasses import replace

    from backend.settings import get_settings, set_settings

    w = await make_world_fast()
    cat = await make_catalogue(w)
    before = get_settings()
    set_settings(replace(before, max_line_discount_distributor=before.max_line_discount_rep + 10))
    try:
        r = await client.post(
            "/api/orders", json=_body(w.c1, cat.p1, "20"), headers=w.headers["distributor_user"]
        )
        assert r.status_code == 201 and r.json()["approval"] is None
        r = await client.post(
            "/api/orders", json=_body(w.c1, cat.p1, "20"), headers=w.headers["rep1"]
        )
        assert r.status_code == 201 and r.json()["approval"] == "pending"
        r = await client.post(
            "/api/orders", json=_body(w.c1, cat.p1, "30"), headers=w.headers["distributor_user"]
        )
        assert r.status_code == 201 and r.json()["approval"] == "pending"
    finally:
        set_settings(before)
