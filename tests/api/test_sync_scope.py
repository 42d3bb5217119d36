"""Scope entry and exit beyond territories: users changing region, price lists reassigned,
and a moved customer's closure paged like everything else (guarantee 7, both engines)."""

from __future__ import annotations

from uuid import uuid4

from backend.customers.tables import Contact
from backend.db import write_transaction
from sync.changelog import record_change
from tests.factories import make_price_list, make_sync_world
from tests.integration.sync.device import Device


async def test_a_user_moved_to_another_region_leaves_the_old_managers_device(client):
    w = await make_sync_world()
    old, new = Device(client, w.headers["manager"]), Device(client, w.headers["other_manager"])
    await old.sync()
    await new.sync()
    assert str(w.rep1) in old.ids("users") and str(w.rep1) not in new.ids("users")
    r = await client.patch(
        f"/api/users/{w.rep1}",
        json={"region_id": str(w.other_region), "territory_ids": [str(w.t_other)]},
        headers=w.headers["admin"],
    )
    assert r.status_code == 200, r.text
    await old.sync()
    await new.sync()
    assert str(w.rep1) not in old.ids("users")
    assert str(w.rep1) in new.ids("users")
    assert str(w.rep2) in old.ids("users")  # the others stay


async def test_a_customer_given_another_price_list_swaps_it_on_the_customers_device(client):
    w = await make_sync_world()
    first, second = await make_price_list({}), await make_price_list({})
    r = await client.patch(
        f"/api/customers/{w.c1}",
        json={"price_list_id": str(first)},
        headers=w.headers["admin"],
    )
    assert r.status_code == 200, r.text
    shop = Device(client, w.headers["customer_user"])
    await shop.sync()
    assert shop.ids("price_lists") == {str(first)}
    r = await client.patch(
        f"/api/customers/{w.c1}",
        json={"price_list_id": str(second)},
        headers=w.headers["admin"],
    )
    assert r.status_code == 200, r.text
    await shop.sync()
    assert shop.ids("price_lists") == {str(second)}
    fresh = Device(client, w.headers["customer_user"])
    await fresh.sync()
    assert fresh.replica == shop.replica


async def test_a_moved_customers_closure_is_paged_within_the_limit(client):
    w = await make_sync_world()
    ids = [uuid4() for _ in range(45)]
    async with write_transaction():
        for i, cid in enumerate(ids):
            await Contact.insert(Contact(id=cid, customer=w.c1, name=f"P{i}"))
            await record_change("contacts", cid, "put", customer_id=w.c1)
    rep1, rep2 = Device(client, w.headers["rep1"]), Device(client, w.headers["rep2"])
    await rep1.sync()
    await rep2.sync()
    assert rep1.ids("contacts") == {str(i) for i in ids}
    r = await client.patch(
        f"/api/customers/{w.c1}", json={"territory_id": str(w.t2)}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    for device in (rep1, rep2):
        sizes = []
        while True:
            body = await device.pull_page(limit=10)
            sizes.append(len(body["changes"]))
            if not body["has_more"]:
                break
        assert max(sizes) <= 10 and len(sizes) >= 5, sizes
    assert not rep1.ids("contacts") and str(w.c1) not in rep1.ids("customers")
    assert rep2.ids("contacts") == {str(i) for i in ids}
    assert str(w.c1) in rep2.ids("customers")


async def test_a_customer_moved_twice_between_pulls_leaves_the_first_reps_device(client):
    """Two moves (t1 -> t2 -> t3) before rep1 pulls: rep1 still gets the del and the closure."""
    from tests.factories import make_contact, make_territory

    w = await make_sync_world()
    t3 = await make_territory(w.region, "T3b")
    contact = await make_contact(w.c1)
    rep1 = Device(client, w.headers["rep1"])
    await rep1.sync()
    assert str(w.c1) in rep1.ids("customers") and str(contact) in rep1.ids("contacts")
    for territory in (w.t2, t3):
        r = await client.patch(
            f"/api/customers/{w.c1}",
            json={"territory_id": str(territory)},
            headers=w.headers["manager"],
        )
        assert r.status_code == 200, r.text
    await rep1.sync()
    assert str(w.c1) not in rep1.ids("customers")
    assert str(contact) not in rep1.ids("contacts")


async def test_a_customer_moved_then_given_another_distributor_leaves_both_devices(client):
    from tests.factories import make_distributor

    w = await make_sync_world()
    other = await make_distributor(w.region, "Other")
    rep1 = Device(client, w.headers["rep1"])
    dist = Device(client, w.headers["distributor_user"])
    await rep1.sync()
    await dist.sync()
    assert str(w.c1) in rep1.ids("customers") and str(w.c1) in dist.ids("customers")
    for change in ({"territory_id": str(w.t2)}, {"distributor_id": str(other)}):
        r = await client.patch(f"/api/customers/{w.c1}", json=change, headers=w.headers["manager"])
        assert r.status_code == 200, r.text
    await rep1.sync()
    await dist.sync()
    assert str(w.c1) not in rep1.ids("customers")
    assert str(w.c1) not in dist.ids("customers")


async def test_a_deleted_territory_and_user_leave_the_devices_that_read_them(client):
    """The REST rules read live rows only; sync still sends the del of a deleted one."""
    from tests.factories import make_territory, make_user

    w = await make_sync_world()
    spare = await make_territory(w.region, "Spare")
    rep3 = await make_user("rep", region=w.region, territories=[spare])
    manager = Device(client, w.headers["manager"])
    await manager.sync()
    assert str(spare) in manager.ids("territories") and str(rep3) in manager.ids("users")
    r = await client.delete(f"/api/users/{rep3}", headers=w.headers["admin"])
    assert r.status_code == 204, r.text
    r = await client.delete(f"/api/territories/{spare}", headers=w.headers["admin"])
    assert r.status_code == 204, r.text
    await manager.sync()
    assert str(spare) not in manager.ids("territories")
    assert str(rep3) not in manager.ids("users")
