"""Contacts over HTTP: scoped through their customer, one primary per customer."""

from __future__ import annotations

from uuid import uuid4

from backend.customers.tables import Contact
from tests.factories import change_rows, make_contact, make_world_fast


async def test_rep_adds_contacts_and_only_one_stays_primary(client):
    w = await make_world_fast()
    h = w.headers["rep1"]
    first = await client.post(
        f"/api/customers/{w.c1}/contacts",
        json={"name": "Mari Tamm", "is_primary": True, "locale": "et", "email": "mari@kohvik.ee"},
        headers=h,
    )
    assert first.status_code == 201, first.text
    second = await client.post(
        f"/api/customers/{w.c1}/contacts",
        json={"name": "Иван Петров", "is_primary": True},
        headers=h,
    )
    assert second.status_code == 201
    listed = (await client.get(f"/api/customers/{w.c1}/contacts", headers=h)).json()
    assert [(c["name"], c["is_primary"]) for c in listed] == [
        ("Иван Петров", True),
        ("Mari Tamm", False),
    ]
    old = await client.get(f"/api/contacts/{first.json()['id']}", headers=h)
    assert old.json()["version"] == 2  # devices learn that it stopped being primary
    ops = await change_rows("contacts", first.json()["id"])
    assert [c["op"] for c in ops] == ["put", "put"]
    # Making the first primary again flips them back.
    r = await client.patch(
        f"/api/contacts/{first.json()['id']}", json={"is_primary": True}, headers=h
    )
    assert r.status_code == 200
    rows = await Contact.select(Contact.name).where(
        (Contact.customer == w.c1) & Contact.is_primary.eq(True)
    )
    assert [r["name"] for r in rows] == ["Mari Tamm"]


async def test_contact_update_delete_and_stale_version(client):
    w = await make_world_fast()
    cid = await make_contact(w.c2, "Olena")
    h = w.headers["manager"]
    r = await client.patch(
        f"/api/contacts/{cid}", json={"phone": "+380 44 123", "base_version": 1}, headers=h
    )
    assert r.status_code == 200 and r.json()["phone"] == "+380 44 123"
    r = await client.patch(
        f"/api/contacts/{cid}", json={"phone": "1", "base_version": 1}, headers=h
    )
    assert r.status_code == 409 and r.json()["current_version"] == 2
    assert (await client.delete(f"/api/contacts/{cid}", headers=h)).status_code == 204
    assert (await client.get(f"/api/contacts/{cid}", headers=h)).status_code == 404
    assert [c["op"] for c in await change_rows("contacts", cid)] == ["put", "del"]


async def test_contacts_outside_scope_or_read_only_roles_are_refused(client):
    w = await make_world_fast()
    cid = await make_contact(w.c1, "Kalle")
    # rep2 does not cover c1: the contact does not exist for them.
    assert (await client.get(f"/api/contacts/{cid}", headers=w.headers["rep2"])).status_code == 404
    r = await client.patch(f"/api/contacts/{cid}", json={"name": "X"}, headers=w.headers["rep2"])
    assert r.status_code == 404
    # The customer and its distributor may read, not write.
    for role in ("customer_user", "distributor_user"):
        assert (
            await client.get(f"/api/contacts/{cid}", headers=w.headers[role])
        ).status_code == 200
        r = await client.patch(f"/api/contacts/{cid}", json={"name": "X"}, headers=w.headers[role])
        assert r.status_code == 403
        r = await client.post(
            f"/api/customers/{w.c1}/contacts", json={"name": "X"}, headers=w.headers[role]
        )
        assert r.status_code == 403
    row = await Contact.select(Contact.name).where(Contact.id == cid).first()
    assert row["name"] == "Kalle"
    assert await change_rows("contacts") == []


async def test_bad_contact_bodies_are_refused(client):
    w = await make_world_fast()
    h = w.headers["admin"]
    for body in (
        {"name": ""},
        {"name": "A", "email": "x@"},
        {"name": "A", "locale": "de"},
        {"name": "A", "age": 3},
        {"name": 5},
    ):
        r = await client.post(f"/api/customers/{w.c1}/contacts", json=body, headers=h)
        assert r.status_code == 422, body
    assert not await Contact.exists().where(Contact.customer == w.c1)


async def test_device_made_contact_id_is_idempotent(client):
    w = await make_world_fast()
    body = {"id": str(uuid4()), "name": "Retry"}
    r1 = await client.post(f"/api/customers/{w.c1}/contacts", json=body, headers=w.headers["rep1"])
    r2 = await client.post(f"/api/customers/{w.c1}/contacts", json=body, headers=w.headers["rep1"])
    assert r1.status_code == r2.status_code == 201 and r1.json() == r2.json()
    assert len(await change_rows("contacts", body["id"])) == 1
    r3 = await client.post(f"/api/customers/{w.c2}/contacts", json=body, headers=w.headers["admin"])
    assert r3.status_code == 409


async def test_a_retried_create_returns_the_same_contact_and_a_clash_stores_nothing(client):
    w = await make_world_fast()
    h = w.headers["rep1"]
    contact_id = str(uuid4())
    body = {"id": contact_id, "name": "Mari Tamm", "phone": "+372 5555 0101"}
    first = await client.post(f"/api/customers/{w.c1}/contacts", json=body, headers=h)
    again = await client.post(f"/api/customers/{w.c1}/contacts", json=body, headers=h)
    assert first.status_code == 201 and again.status_code == 201, again.text
    assert again.json() == first.json()
    # The same id under another customer is someone else's contact: refused, nothing kept.
    clash = await client.post(
        f"/api/customers/{w.c2}/contacts",
        json={**body, "name": "Somebody Else"},
        headers=w.headers["manager"],
    )
    assert clash.status_code == 409, clash.text
    assert clash.json()["errors"][0]["field"] == "id"
    rows = await Contact.select(Contact.name, Contact.customer).where(Contact.id == contact_id)
    assert rows == [{"name": "Mari Tamm", "customer": w.c1}]
    assert [c["op"] for c in await change_rows("contacts", contact_id)] == ["put"]
