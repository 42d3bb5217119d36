"""Role matrix of products, price lists and orders: allowed reads and writes, and refusals
that change nothing."""

from __future__ import annotations

from backend.catalogue.tables import PriceList, Product
from backend.orders.tables import Order
from tests.factories import make_catalogue, make_world

ROLES = ("admin", "manager", "other_manager", "rep1", "rep2", "distributor_user", "customer_user")


async def _snapshot():
    return (
        await Product.select(Product.id, Product.name, Product.version).order_by(Product.id),
        await PriceList.select(PriceList.id, PriceList.version).order_by(PriceList.id),
        await Order.select(Order.id, Order.status, Order.version).order_by(Order.id),
    )


async def test_catalogue_matrix(client):
    w = await make_world(client)
    cat = await make_catalogue(w)
    for role in ROLES:
        h = w.headers[role]
        assert (await client.get("/api/products", headers=h)).status_code == 200, role
        assert (await client.get(f"/api/products/{cat.p1}", headers=h)).status_code == 200
        if role == "admin":
            continue
        before = await _snapshot()
        r = await client.post("/api/products", json={"sku": "X", "name": "X"}, headers=h)
        assert r.status_code == 403, role
        r = await client.patch(f"/api/products/{cat.p1}", json={"name": "X"}, headers=h)
        assert r.status_code == 403, role
        assert (await client.delete(f"/api/products/{cat.p1}", headers=h)).status_code == 403
        r = await client.put(
            f"/api/price-lists/{cat.customer_list}/items/{cat.p1}",
            json={"price": "0.01"},
            headers=h,
        )
        assert r.status_code == 403, role
        r = await client.patch(
            f"/api/price-lists/{cat.customer_list}", json={"name": "X"}, headers=h
        )
        assert r.status_code == 403, role
        assert await _snapshot() == before, role
    # Price lists: staff read all; a distributor its own; a customer its customer's.
    readable = {
        "admin": {cat.customer_list, cat.distributor_list},
        "manager": {cat.customer_list, cat.distributor_list},
        "rep1": {cat.customer_list, cat.distributor_list},
        "distributor_user": {cat.distributor_list},
        "customer_user": {cat.customer_list},
    }
    for role, allowed in readable.items():
        h = w.headers[role]
        listed = {r["id"] for r in (await client.get("/api/price-lists", headers=h)).json()}
        assert listed == {str(x) for x in allowed}, role
        for plid in (cat.customer_list, cat.distributor_list):
            r = await client.get(f"/api/price-lists/{plid}", headers=h)
            assert r.status_code == (200 if plid in allowed else 404), (role, plid)


async def test_order_matrix(client):
    w = await make_world(client)
    cat = await make_catalogue(w)

    async def create(role, customer):
        return await client.post(
            "/api/orders",
            json={
                "customer_id": str(customer),
                "lines": [{"product_id": str(cat.p1), "quantity": "1"}],
            },
            headers=w.headers[role],
        )

    may_create = {
        "admin": {w.c1, w.c2, w.c_other},
        "manager": {w.c1, w.c2},
        "other_manager": {w.c_other},
        "rep1": {w.c1},
        "rep2": {w.c2},
        "distributor_user": {w.c1},
        "customer_user": set(),
    }
    orders = {}
    for role, allowed in may_create.items():
        for customer in (w.c1, w.c2, w.c_other):
            before = await Order.count()
            r = await create(role, customer)
            if customer in allowed:
                assert r.status_code == 201, (role, customer, r.text)
                orders.setdefault((role, customer), r.json()["id"])
            else:
                assert r.status_code == (403 if role == "customer_user" else 404), (role, r.text)
                assert await Order.count() == before
    rep_order = orders[("rep1", w.c1)]
    dist_order = orders[("distributor_user", w.c1)]
    c2_order = orders[("rep2", w.c2)]
    # Reads follow customer scope.
    visible = {
        "rep1": (rep_order, dist_order),
        "distributor_user": (rep_order, dist_order),
        "customer_user": (rep_order, dist_order),
        "manager": (rep_order, c2_order),
    }
    for role, ids in visible.items():
        h = w.headers[role]
        for oid in ids:
            assert (await client.get(f"/api/orders/{oid}", headers=h)).status_code == 200
        listed = {
            o["customer_id"] for o in (await client.get("/api/orders", headers=h)).json()["items"]
        }
        assert str(w.c_other) not in listed, role
    for role in ("rep2", "other_manager"):
        assert (
            await client.get(f"/api/orders/{rep_order}", headers=w.headers[role])
        ).status_code == 404
    # Status: readers who may not change it get 403, out-of-scope 404; nothing changes.
    refusals = {"rep1": 403, "customer_user": 403, "rep2": 404, "other_manager": 404}
    before = await _snapshot()
    for role, status in refusals.items():
        r = await client.post(
            f"/api/orders/{rep_order}/status", json={"status": "confirmed"}, headers=w.headers[role]
        )
        assert r.status_code == status, (role, r.text)
    # A distributor changes only its own distributor orders.
    r = await client.post(
        f"/api/orders/{rep_order}/status",
        json={"status": "confirmed"},
        headers=w.headers["distributor_user"],
    )
    assert r.status_code == 403
    assert await _snapshot() == before
    r = await client.post(
        f"/api/orders/{dist_order}/status",
        json={"status": "confirmed"},
        headers=w.headers["distributor_user"],
    )
    assert r.status_code == 200
    r = await client.post(
        f"/api/orders/{rep_order}/status",
        json={"status": "confirmed"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200
