"""The customer history names who did what: `actor` {id, name, role} on REST and sync, and
customer edits (PATCH or a phone's sync push) written to the history with their author."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from backend.accounts.tables import User
from backend.settings import get_settings
from notifications.reminders import run_reminders
from tests.factories import make_catalogue, make_world_fast
from tests.integration.sync.device import Device


async def _history(client, w, who: str, customer=None) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    r = await client.get(
        f"/api/customers/{customer or w.c1}/history",
        params={"limit": 200},
        headers=w.headers[who],
    )
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def _name(uid) -> str:  # type: ignore[no-untyped-def]
    row = await User.select(User.name).where(User.id == uid).first()
    return row["name"]


async def test_every_kind_of_actor_is_named_with_its_role(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    # A rep's visit, checked in and out with a follow-up already due.
    r = await client.post("/api/visits", json={"customer_id": str(w.c1)}, headers=w.headers["rep1"])
    vid = r.json()["id"]
    r = await client.post(f"/api/visits/{vid}/check-in", json={}, headers=w.headers["rep1"])
    assert r.status_code == 200, r.text
    due = datetime.now(UTC) - timedelta(minutes=5)
    r = await client.post(
        f"/api/visits/{vid}/check-out",
        json={
            "outcome": "no_order",
            "next_action": "Call about tea",
            "next_action_due": due.isoformat(),
        },
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    # A manager's edit.
    r = await client.patch(
        f"/api/customers/{w.c1}", json={"phone": "+372 5555 0101"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    # A distributor's order.
    r = await client.post(
        "/api/orders",
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p1), "quantity": "2"}]},
        headers=w.headers["distributor_user"],
    )
    assert r.status_code == 201, r.text
    # The customer accepts a quote the rep sent.
    r = await client.post(
        "/api/quotes",
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p2), "quantity": "3"}]},
        headers=w.headers["rep1"],
    )
    qid = r.json()["id"]
    r = await client.post(
        f"/api/quotes/{qid}/status", json={"status": "sent"}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/quotes/{qid}/accept", json={}, headers=w.headers["customer_user"])
    assert r.status_code == 200, r.text
    # The system reminds the rep of the follow-up.
    settings = replace(get_settings(), reminders_enabled=True)
    await run_reminders(settings, datetime.now(UTC))

    items = await _history(client, w, "manager")
    by_role: dict[str, set[str]] = {}
    for e in items:
        by_role.setdefault(e["actor"]["role"], set()).add(e["kind"])
    assert "visit" in by_role["rep"]
    assert "customer_updated" in by_role["manager"]
    assert "distributor_order" in by_role["distributor"] or "order" in by_role["distributor"]
    assert "quote" in by_role["customer"]
    assert "reminder" in by_role["system"]
    # Names and ids are the users'; the system has none.
    for role, uid in (
        ("rep", w.rep1),
        ("manager", w.manager),
        ("distributor", w.distributor_user),
        ("customer", w.customer_user),
    ):
        actor = next(e["actor"] for e in items if e["actor"]["role"] == role)
        assert actor == {"id": str(uid), "name": await _name(uid), "role": role}
    reminder = next(e for e in items if e["kind"] == "reminder")
    assert reminder["actor"] == {"id": None, "name": None, "role": "system"}
    assert "Call about tea" in reminder["summary"]
    edit = next(e for e in items if e["kind"] == "customer_updated")
    assert edit["data"]["fields"] == ["phone"]

    # The distributor reads its order with the actor, never the edit, the visit or a note.
    seen = await _history(client, w, "distributor_user")
    kinds = {e["kind"] for e in seen}
    assert kinds and kinds <= {"order", "distributor_order", "order_status", "quote"}
    order = next(e for e in seen if e["actor"]["role"] == "distributor")
    assert order["actor"]["name"] == await _name(w.distributor_user)
    # The customer sees the quote it accepted, named; no internal entries.
    mine = await _history(client, w, "customer_user")
    assert not {e["kind"] for e in mine} & {"customer_updated", "visit", "note", "reminder"}
    assert any(e["actor"]["role"] == "customer" for e in mine)


async def test_a_phone_edit_through_sync_push_lands_in_history_with_its_author(client):
    w = await make_world_fast()
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    row = rep.replica[("customers", str(w.c1))]
    captured = datetime.now(UTC) - timedelta(hours=2)  # made offline two hours ago
    rep.queue(
        "customers",
        "update",
        w.c1,
        {"phone": "+372 5000 1234", "email": "shop@example.ee"},
        base_version=row["version"],
        captured_at=captured.isoformat(),
    )
    body = await rep.push()
    assert body["results"][0]["status"] == "applied", body
    items = await _history(client, w, "manager")
    edits = [e for e in items if e["kind"] == "customer_updated"]
    assert len(edits) == 1
    edit = edits[0]
    assert edit["actor"] == {"id": str(w.rep1), "name": await _name(w.rep1), "role": "rep"}
    assert edit["data"]["fields"] == ["email", "phone"]
    assert edit["data"]["values"]["phone"] == "+372 5000 1234"
    assert datetime.fromisoformat(edit["captured_at"]) == captured
    # The same entry reaches the rep's device through sync, with the same actor.
    rep.cursor = body["cursor"]
    await rep.sync()
    synced = rep.replica[("history", edit["id"])]
    assert synced["actor"] == edit["actor"]
    # Pushing the same values again changes nothing and writes no second entry.
    row = rep.replica[("customers", str(w.c1))]
    rep.queue("customers", "update", w.c1, {"phone": "+372 5000 1234"}, base_version=row["version"])
    await rep.push()
    items = await _history(client, w, "manager")
    assert len([e for e in items if e["kind"] == "customer_updated"]) == 1


async def test_internal_field_values_stay_out_of_the_entry(client):
    w = await make_world_fast()
    r = await client.patch(
        f"/api/customers/{w.c1}",
        json={"notes": "Owner is difficult", "credit_limit": "2500.00", "name": "Kohvik Õun OÜ"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    edit = next(e for e in await _history(client, w, "rep1") if e["kind"] == "customer_updated")
    assert edit["data"]["fields"] == ["credit_limit", "name", "notes"]
    assert edit["data"]["values"] == {"name": "Kohvik Õun OÜ"}
    assert "difficult" not in str(edit)
