"""One test per guarantee of the sync protocol (numbers as in sync-protocol.md), both engines.

Guarantee 4 (no change missed under concurrent writers) is in
tests/integration/sync/test_concurrency.py, guarantee 10 in test_convergence.py.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from backend.customers.tables import Contact
from backend.db import write_transaction
from sync import push as push_module
from sync.changelog import record_change
from sync.state import purge_tombstones
from tests.dbfaults import sqlite_busy, sqlite_io_error
from tests.factories import make_contact, make_sync_world
from tests.integration.sync.device import Device


async def _visit_count(client, headers, customer_id) -> int:
    r = await client.get("/api/visits/", params={"customer_id": str(customer_id)}, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    return len(body["items"] if isinstance(body, dict) else body)


async def test_1_retried_push_applies_once_with_the_same_results(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    vid = uuid4()
    rep.queue("visits", "create", vid, {"customer_id": str(w.c1)})
    rep.queue("visits", "update", vid, {"notes": "ring twice"}, base_version=1)
    # The first response is "lost": the same body is sent again, and twice at once.
    first = (await rep.push_raw()).json()
    again = await asyncio.gather(rep.push_raw(), rep.push_raw())
    assert [r["status"] for r in first["results"]] == ["applied", "applied"]
    for r in again:
        body = r.json()
        assert [x["status"] for x in body["results"]] == ["duplicate", "duplicate"]
        assert [x["version"] for x in body["results"]] == [x["version"] for x in first["results"]]
        assert body["last_mid"] == 2
    admin = Device(client, w.headers["admin"])
    await admin.sync()
    visits = [d for (c, _), d in admin.replica.items() if c == "visits"]
    assert len(visits) == 1 and visits[0]["notes"] == "ring twice"


async def test_2_mid_order_rejections_consume_temporary_failures_do_not(client, monkeypatch):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    body = (
        await rep.push_raw(
            [
                {
                    "mid": 1,
                    "collection": "visits",
                    "op": "create",
                    "id": str(uuid4()),
                    "fields": {"customer_id": str(w.c2)},
                },  # not the rep's customer: rejected
                {
                    "mid": 3,
                    "collection": "visits",
                    "op": "create",
                    "id": str(uuid4()),
                    "fields": {"customer_id": str(w.c1)},
                },  # a gap: out of order
            ]
        )
    ).json()
    assert [r["status"] for r in body["results"]] == ["rejected", "out_of_order"]
    assert body["results"][0]["error"]["code"] == "not-found"
    assert body["last_mid"] == 1
    # A temporary failure answers 503 with Retry-After and consumes nothing.
    original = push_module.appliers.apply

    async def flaky(principal, m):
        raise sqlite_busy()

    monkeypatch.setattr(push_module.appliers, "apply", flaky)
    m2 = {
        "mid": 2,
        "collection": "visits",
        "op": "create",
        "id": str(uuid4()),
        "fields": {"customer_id": str(w.c1)},
    }
    r = await rep.push_raw([m2])
    assert r.status_code == 503 and r.headers["retry-after"]
    monkeypatch.setattr(push_module.appliers, "apply", original)
    body = (await rep.push_raw([m2])).json()
    assert body["results"][0]["status"] == "applied" and body["last_mid"] == 2


async def test_3_no_acknowledgement_without_effects_nor_the_reverse(client, monkeypatch):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    vid = uuid4()
    m = rep.queue("visits", "create", vid, {"customer_id": str(w.c1)})

    async def broken_store(client_id, result):
        raise sqlite_io_error()  # after the effects were written

    monkeypatch.setattr(push_module, "_store", broken_store)  # the results, after the effects
    assert (await rep.push_raw([m])).status_code == 503
    monkeypatch.undo()
    await rep.sync()
    assert str(vid) not in rep.ids("visits")  # effects rolled back with the result
    body = await rep.push()
    assert body["results"][0]["status"] == "applied"
    rep.cursor = body["cursor"]
    await rep.sync()
    assert rep.replica[("visits", str(vid))]["version"] == body["results"][0]["version"]


async def test_5_paging_never_skips_or_repeats_even_inside_one_big_transaction(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    ids = [uuid4() for _ in range(450)]
    async with write_transaction():
        for i, cid in enumerate(ids):
            await Contact.insert(Contact(id=cid, customer=w.c1, name=f"P{i}"))
            await record_change("contacts", cid, "put", customer_id=w.c1)
    small = [await make_contact(w.c1, f"after {i}") for i in range(5)]
    seen: list[str] = []
    while True:
        body = await rep.pull_page(limit=100)
        seen += [c["id"] for c in body["changes"] if c["collection"] == "contacts"]
        if not body["has_more"]:
            break
    assert sorted(seen) == sorted(str(i) for i in ids)  # small ones were not recorded
    assert len(seen) == len(set(seen))
    assert not set(map(str, small)) & set(seen)
    # A fresh device pages the snapshot with a tiny page and gets each row exactly once.
    fresh = Device(client, w.headers["rep1"])
    got: list[tuple[str, str]] = []
    while True:
        body = await fresh.pull_page(limit=7)
        got += [(c["collection"], c["id"]) for c in body["changes"]]
        if not body["has_more"]:
            break
    assert len(got) == len(set(got))
    assert {i for c, i in got if c == "contacts"} == {str(i) for i in ids + small}


async def test_5_a_page_never_splits_a_transaction_that_fits(client):
    w = await make_sync_world()
    admin = Device(client, w.headers["admin"])
    await admin.sync()
    groups = []
    for _g in range(4):
        ids = [uuid4() for _ in range(3)]
        async with write_transaction():
            for cid in ids:
                await Contact.insert(Contact(id=cid, customer=w.c1, name="x"))
                await record_change("contacts", cid, "put", customer_id=w.c1)
        groups.append({str(i) for i in ids})
    pages = []
    while True:
        body = await admin.pull_page(limit=5)
        pages.append({c["id"] for c in body["changes"]})
        if not body["has_more"]:
            break
    for page in pages:
        for g in groups:
            assert g <= page or not (g & page)  # whole transactions only
    assert set().union(*pages) == set().union(*groups)


async def test_6_deletes_reach_devices_and_past_the_horizon_the_device_resets(client):
    w = await make_sync_world()
    contact = await make_contact(w.c1, "Leaving")
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    assert str(contact) in rep.ids("contacts")
    r = await client.delete(f"/api/contacts/{contact}", headers=w.headers["manager"])
    assert r.status_code == 204, r.text
    await rep.sync()
    assert str(contact) not in rep.ids("contacts")
    # A device that slept through the tombstone horizon is told to reset.
    sleeper = Device(client, w.headers["rep1"])
    await sleeper.sync()
    await make_contact(w.c1, "new")
    r = await client.delete(
        f"/api/contacts/{await make_contact(w.c1, 'x')}", headers=w.headers["manager"]
    )
    await purge_tombstones(datetime.now(UTC) + timedelta(days=31))
    body = await sleeper.pull_page()
    assert body["reset"] is True and body["changes"] == []
    await sleeper.sync()
    assert (
        sleeper.ids("contacts") == rep.ids("contacts") | {i for i in sleeper.ids("contacts")}
        and len(sleeper.ids("contacts")) == 1
    )


async def test_7_moving_a_customer_moves_its_whole_closure(client):
    w = await make_sync_world()
    contact = await make_contact(w.c1, "Mari")
    rep1, rep2 = Device(client, w.headers["rep1"]), Device(client, w.headers["rep2"])
    vid = uuid4()
    rep1.queue("visits", "create", vid, {"customer_id": str(w.c1)})
    assert (await rep1.push())["results"][0]["status"] == "applied"
    await rep1.sync()
    await rep2.sync()
    assert str(vid) in rep1.ids("visits") and rep1.ids("history")
    history = rep1.ids("history")
    r = await client.patch(
        f"/api/customers/{w.c1}", json={"territory_id": str(w.t2)}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    await rep1.sync()
    await rep2.sync()
    assert str(w.c1) not in rep1.ids("customers")
    assert not rep1.ids("contacts") and not rep1.ids("visits") and not rep1.ids("history")
    assert str(w.c1) in rep2.ids("customers") and str(contact) in rep2.ids("contacts")
    assert str(vid) in rep2.ids("visits") and history <= rep2.ids("history")


async def test_7_a_rep_given_another_territory_receives_its_rows(client):
    w = await make_sync_world()
    contact = await make_contact(w.c1, "Mari")
    rep2 = Device(client, w.headers["rep2"])
    await rep2.sync()
    assert str(w.c1) not in rep2.ids("customers")
    r = await client.patch(
        f"/api/users/{w.rep2}", json={"territory_ids": [str(w.t1)]}, headers=w.headers["admin"]
    )
    assert r.status_code == 200, r.text
    await rep2.sync()
    assert rep2.ids("customers") == {str(w.c1)}  # c2 left, c1 came
    assert str(contact) in rep2.ids("contacts")
    assert rep2.ids("territories") == {str(w.t1)}


async def test_8_client_clock_skew_has_no_effect_on_ordering(client):
    w = await make_sync_world()
    manager = Device(client, w.headers["manager"])
    await manager.sync()
    rep = Device(client, w.headers["rep1"])
    old, future = uuid4(), uuid4()
    # A device whose clock runs fast (within what the server accepts), then one from 2001.
    ahead = (datetime.now(UTC) + timedelta(minutes=4)).isoformat()
    rep.queue("visits", "create", future, {"customer_id": str(w.c1)}, captured_at=ahead)
    assert (await rep.push())["results"][0]["status"] == "applied"
    await manager.sync()
    rep.queue(
        "visits", "create", old, {"customer_id": str(w.c1)}, captured_at="2001-01-01T00:00:00Z"
    )
    assert (await rep.push())["results"][0]["status"] == "applied"
    await manager.sync()  # already "past" the fast clock by device time: still gets the 2001 visit
    assert {str(old), str(future)} <= manager.ids("visits")


async def test_9_authorization_is_checked_at_apply_time(client):
    w = await make_sync_world()
    contact = await make_contact(w.c1, "Mari")
    rep1 = Device(client, w.headers["rep1"])
    await rep1.sync()
    rep1.queue("contacts", "update", contact, {"phone": "+372 5555 0101"}, base_version=1)
    # While the rep is offline the customer moves to another territory.
    r = await client.patch(
        f"/api/customers/{w.c1}", json={"territory_id": str(w.t2)}, headers=w.headers["manager"]
    )
    assert r.status_code == 200
    body = await rep1.push()
    assert body["results"][0]["status"] == "rejected"
    assert body["results"][0]["error"]["code"] == "not-found"
    row = await Contact.select(Contact.phone).where(Contact.id == contact).first()
    assert row["phone"] == ""
