"""Products and price lists: search, validation, admin writes, soft deletes, change log."""

from __future__ import annotations

from backend.catalogue.tables import Product
from sync.tables import SyncChange
from tests.factories import email_of, login, make_product, make_user


async def _admin(client):
    return await login(client, await email_of(await make_user("admin")))


async def test_product_lifecycle_bumps_version_and_logs_changes(client):
    h = await _admin(client)
    r = await client.post(
        "/api/products",
        json={"sku": "K-1", "name": "Kohv", "tax_rate": "22", "category": "Drinks"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["tax_rate"] == "22.00" and p["version"] == 1
    r = await client.patch(f"/api/products/{p['id']}", json={"name": "Kohv 1 kg"}, headers=h)
    assert r.json()["name"] == "Kohv 1 kg" and r.json()["version"] == 2
    assert (await client.delete(f"/api/products/{p['id']}", headers=h)).status_code == 204
    assert (await client.get(f"/api/products/{p['id']}", headers=h)).status_code == 404
    ops = await SyncChange.select(SyncChange.op).where(SyncChange.collection == "products")
    assert [o["op"] for o in ops] == ["put", "put", "del"]


async def test_invalid_products_are_refused(client):
    h = await _admin(client)
    await make_product("TAKEN")
    for body, status in (
        ({"sku": "A", "name": "A", "tax_rate": "100.5"}, 422),
        ({"sku": "A", "name": "A", "tax_rate": "-1"}, 422),
        ({"sku": "A", "name": ""}, 422),
        ({"sku": "A", "name": "A", "colour": "red"}, 422),
        ({"sku": "TAKEN", "name": "A"}, 409),
    ):
        r = await client.post("/api/products", json=body, headers=h)
        assert r.status_code == status, (body, r.text)
    assert await Product.count() == 1


async def test_search_filters_and_pages(client):
    h = await _admin(client)
    await make_product("COF-1", name="Coffee beans")
    await make_product("COF-2", name="Coffee ground")
    await make_product("TEA-1", name="Green tea")
    r = await client.get("/api/products", params={"q": "coffee", "limit": 1}, headers=h)
    page = r.json()
    assert [p["sku"] for p in page["items"]] == ["COF-1"] and page["next_cursor"]
    r = await client.get(
        "/api/products",
        params={"q": "coffee", "limit": 1, "cursor": page["next_cursor"]},
        headers=h,
    )
    assert [p["sku"] for p in r.json()["items"]] == ["COF-2"] and r.json()["next_cursor"] is None
    r = await client.get("/api/products", params={"q": "tea-1"}, headers=h)
    assert [p["name"] for p in r.json()["items"]] == ["Green tea"]


async def test_price_list_items_can_be_set_and_removed(client):
    h = await _admin(client)
    pid = await make_product("K-1")
    pl = (
        await client.post(
            "/api/price-lists", json={"code": "WHOLESALE", "name": "Wholesale"}, headers=h
        )
    ).json()
    r = await client.put(
        f"/api/price-lists/{pl['id']}/items/{pid}", json={"price": "4.2"}, headers=h
    )
    assert r.status_code == 200 and r.json()["items"][0]["price"] == "4.2000"
    assert r.json()["version"] == 2
    r = await client.put(
        f"/api/price-lists/{pl['id']}/items/{pid}", json={"price": "-1"}, headers=h
    )
    assert r.status_code == 422
    assert (
        await client.delete(f"/api/price-lists/{pl['id']}/items/{pid}", headers=h)
    ).status_code == 204
    assert (await client.get(f"/api/price-lists/{pl['id']}", headers=h)).json()["items"] == []
