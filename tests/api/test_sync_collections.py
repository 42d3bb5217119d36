"""The collections wired after the first cut: notes, routes, offers, the inbox; conflicts' shape."""

from __future__ import annotations

from uuid import uuid4

from backend.customers.tables import Contact, Customer
from backend.history.tables import HistoryEvent
from tests.factories import (
    make_contact,
    make_customer,
    make_inbox_entry,
    make_offer,
    make_route,
    make_sync_world,
)
from tests.integration.sync.device import Device


def _data(device: Device, collection: str, row_id) -> dict:
    return device.replica[(collection, str(row_id))]


async def test_a_note_made_offline_lands_once_in_the_customers_history(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    note = uuid4()
    rep.queue(
        "history",
        "create",
        note,
        {"customer_id": str(w.c1), "kind": "note", "text": "Owner away until May"},
        captured_at="2026-11-20T09:14:03Z",
    )
    first = (await rep.push_raw()).json()
    again = (await rep.push_raw()).json()  # the response was lost: sent again
    assert first["results"][0]["status"] == "applied", first
    assert again["results"][0]["status"] == "duplicate"
    rows = await HistoryEvent.select().where(HistoryEvent.id == note)
    assert len(rows) == 1 and rows[0]["kind"] == "note"
    manager = Device(client, w.headers["manager"])
    await manager.sync()
    entry = _data(manager, "history", note)
    assert entry["summary"] == "Owner away until May"
    assert entry["captured_at"].startswith("2026-11-20T09:14:03")


async def test_a_note_on_someone_elses_customer_or_an_edit_of_history_is_rejected(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    rep.queue("history", "create", uuid4(), {"customer_id": str(w.c2), "text": "not mine"})
    rep.queue("history", "create", uuid4(), {"customer_id": str(w.c1), "text": "   "})
    rep.queue("history", "update", uuid4(), {"text": "rewrite"})
    body = await rep.push()
    assert [r["status"] for r in body["results"]] == ["rejected"] * 3
    assert body["results"][0]["error"]["code"] == "not-found"
    assert body["results"][2]["error"]["code"] == "not_supported"
    assert await HistoryEvent.count().where(HistoryEvent.kind == "note") == 0


async def test_one_rejected_mutation_inside_a_push_leaves_its_neighbours_applied(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    ok1, bad, ok2 = uuid4(), uuid4(), uuid4()
    rep.queue("contacts", "create", ok1, {"customer_id": str(w.c1), "name": "One"})
    rep.queue("contacts", "create", bad, {"customer_id": str(w.c2), "name": "Not mine"})
    rep.queue("contacts", "create", ok2, {"customer_id": str(w.c1), "name": "Two"})
    body = await rep.push()
    assert [r["status"] for r in body["results"]] == ["applied", "rejected", "applied"]
    assert body["last_mid"] == 3
    stored = {r["id"] for r in await Contact.select(Contact.id)}
    assert stored == {ok1, ok2}
    await rep.sync()
    assert {str(ok1), str(ok2)} <= rep.ids("contacts") and str(bad) not in rep.ids("contacts")


async def test_a_field_conflict_reports_field_yours_and_kept(client):
    w = await make_sync_world()
    contact = await make_contact(w.c1, "Mari")
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    base = _data(rep, "contacts", contact)["version"]
    r = await client.patch(
        f"/api/contacts/{contact}", json={"phone": "+372 5555 0202"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    rep.queue("contacts", "update", contact, {"phone": "+372 5555 0101"}, base_version=base)
    result = (await rep.push())["results"][0]
    assert result["status"] == "applied"
    (conflict,) = result["conflicts"]
    assert conflict["field"] == "phone"
    assert conflict["yours"] == "+372 5555 0101"
    # Non-protected fields: the later write (the device's, by server arrival) is kept.
    assert conflict["kept"] == "+372 5555 0101"
    row = await Contact.select(Contact.phone).where(Contact.id == contact).first()
    assert row["phone"] == "+372 5555 0101"


async def test_a_protected_field_conflict_keeps_the_server_value(client):
    w = await make_sync_world()
    admin = Device(client, w.headers["admin"])
    await admin.sync()
    base = _data(admin, "customers", w.c1)["version"]
    r = await client.patch(
        f"/api/customers/{w.c1}", json={"credit_limit": "900.00"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    admin.queue("customers", "update", w.c1, {"credit_limit": "50.00"}, base_version=base)
    result = (await admin.push())["results"][0]
    assert result["status"] == "applied", result
    assert result["conflicts"] == [
        {"field": "credit_limit", "yours": "50.00", "theirs": "900.00", "kept": "900.00"}
    ]
    row = await Customer.select(Customer.credit_limit).where(Customer.id == w.c1).first()
    assert str(row["credit_limit"]).startswith("900")


async def test_routes_reach_their_rep_and_manager_and_the_rep_reorders_offline(client):
    w = await make_sync_world()
    stops = [w.c1] + [await make_customer(territory=w.t1) for _ in range(2)]
    route = await make_route(w.rep1, stops)
    rep1, rep2 = Device(client, w.headers["rep1"]), Device(client, w.headers["rep2"])
    manager = Device(client, w.headers["manager"])
    for d in (rep1, rep2, manager):
        await d.sync()
    assert rep1.ids("routes") == {str(route)} == manager.ids("routes")
    assert not rep2.ids("routes")
    version = _data(rep1, "routes", route)["version"]
    new_order = [str(c) for c in reversed(stops)]
    rep1.queue("routes", "update", route, {"customer_ids": new_order}, base_version=version)
    result = (await rep1.push())["results"][0]
    assert result["status"] == "applied", result
    await manager.sync()
    got = _data(manager, "routes", route)
    assert [s["customer_id"] for s in got["stops"]] == new_order
    assert got["version"] == result["version"]
    # rep2 may not touch it: the route is not in their scope.
    rep2.queue("routes", "update", route, {"customer_ids": new_order}, base_version=version)
    assert (await rep2.push())["results"][0]["status"] == "rejected"


async def test_the_inbox_syncs_to_its_owner_only_and_is_marked_read_offline(client):
    w = await make_sync_world()
    mine = await make_inbox_entry(w.rep1, "Visit Kohvik Õun today")
    rep1, rep2 = Device(client, w.headers["rep1"]), Device(client, w.headers["rep2"])
    await rep1.sync()
    await rep2.sync()
    assert rep1.ids("notifications") == {str(mine)} and not rep2.ids("notifications")
    assert _data(rep1, "notifications", mine)["read_at"] is None
    rep2.queue("notifications", "update", mine, {"read": True})
    assert (await rep2.push())["results"][0]["status"] == "rejected"
    rep1.queue("notifications", "update", mine, {"read": True})
    assert (await rep1.push())["results"][0]["status"] == "applied"
    await rep1.sync()
    assert _data(rep1, "notifications", mine)["read_at"] is not None


async def test_offers_reach_their_regions_people_and_are_read_only(client):
    w = await make_sync_world()
    offer = await make_offer(w.manager, w.region, "Winter coffee", status="sent")
    draft = await make_offer(w.manager, w.region, "Spring draft")
    elsewhere = await make_offer(w.other_manager, w.other_region, "Summer tea")
    manager, rep = Device(client, w.headers["manager"]), Device(client, w.headers["rep1"])
    other = Device(client, w.headers["other_manager"])
    for d in (manager, rep, other):
        await d.sync()
    assert manager.ids("offers") == {str(offer), str(draft)}
    assert rep.ids("offers") == {str(offer)}  # a rep never sees a draft campaign
    assert other.ids("offers") == {str(elsewhere)}
    rep.queue("offers", "update", offer, {"title": "mine now"})
    body = await rep.push()
    assert body["results"][0]["error"]["code"] == "not_supported"


async def test_a_device_created_row_merges_only_the_fields_changed_since(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    contact = uuid4()
    rep.queue("contacts", "create", contact, {"customer_id": str(w.c1), "name": "Mari"})
    assert (await rep.push())["results"][0]["version"] == 1
    r = await client.patch(
        f"/api/contacts/{contact}", json={"phone": "+372 5555 0202"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    # Edited offline from version 1: the name was not touched on the server, so no conflict.
    rep.queue("contacts", "update", contact, {"name": "Mari Tamm"}, base_version=1)
    result = (await rep.push())["results"][0]
    assert result["status"] == "applied" and result.get("conflicts", []) == []
    row = await Contact.select(Contact.name, Contact.phone).where(Contact.id == contact).first()
    assert row == {"name": "Mari Tamm", "phone": "+372 5555 0202"}


async def test_a_contact_made_in_the_office_merges_per_field_with_a_device_edit(client):
    # The office creates the contact with every field set; a device that synced it at
    # version 1 changes the phone offline while the office changes the title and the phone.
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    made = await client.post(
        f"/api/customers/{w.c1}/contacts",
        json={
            "name": "Mari Tamm",
            "title": "Owner",
            "phone": "+372 5555 0101",
            "email": "mari@kohvik.ee",
            "is_primary": True,
            "locale": "et",
            "offers_opt_in": True,
        },
        headers=w.headers["manager"],
    )
    assert made.status_code == 201, made.text
    contact = made.json()["id"]
    r = await client.patch(
        f"/api/contacts/{contact}",
        json={"title": "Manager", "phone": "+372 5555 0202"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    rep.queue(
        "contacts",
        "update",
        contact,
        {"phone": "+372 5555 0303", "email": "m@k.ee"},
        base_version=1,
    )
    result = (await rep.push())["results"][0]
    assert result["status"] == "applied", result
    # Only the phone was changed on both sides; the email and the title were not.
    assert [c["field"] for c in result.get("conflicts", [])] == ["phone"]
    row = (
        await Contact.select(Contact.title, Contact.phone, Contact.email)
        .where(Contact.id == contact)
        .first()
    )
    assert row == {"title": "Manager", "phone": "+372 5555 0303", "email": "m@k.ee"}
