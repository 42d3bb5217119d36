"""An admin links a distributor to its price list; its orders are then priced with that list."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from backend.territories.tables import Distributor
from tests.factories import make_price_list, make_product, make_world_fast


async def _order(client, w, product):
    return await client.post(
        "/api/orders",
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(product), "quantity": "2"}]},
        headers=w.headers["distributor_user"],
    )


async def test_admin_links_a_price_list_and_the_distributor_can_take_orders(client):
    w = await make_world_fast()
    coffee = await make_product("COFFEE-D", tax_rate="22")
    plid = await make_price_list({coffee: "7.50"}, code="DIST-NORTH")
    # Without a list the distributor cannot take an order, and is told why.
    r = await _order(client, w, coffee)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["code"] == "no_price_list"

    r = await client.patch(
        f"/api/distributors/{w.distributor}",
        json={"price_list_id": str(plid)},
        headers=w.headers["admin"],
    )
    assert r.status_code == 200, r.text
    assert r.json()["price_list_id"] == str(plid) and r.json()["version"] == 2
    mine = await client.get(
        f"/api/distributors/{w.distributor}", headers=w.headers["distributor_user"]
    )
    assert mine.json()["price_list_id"] == str(plid)

    r = await _order(client, w, coffee)
    assert r.status_code == 201, r.text
    assert r.json()["price_list_id"] == str(plid)
    assert r.json()["subtotal"] == "15.00" and r.json()["total"] == "18.30"

    # Changing another field leaves the link alone; null unlinks it.
    r = await client.patch(
        f"/api/distributors/{w.distributor}", json={"phone": "+372 600"}, headers=w.headers["admin"]
    )
    assert r.json()["price_list_id"] == str(plid)
    r = await client.patch(
        f"/api/distributors/{w.distributor}",
        json={"price_list_id": None},
        headers=w.headers["admin"],
    )
    assert r.status_code == 200 and r.json()["price_list_id"] is None
    assert (await _order(client, w, coffee)).status_code == 422


async def test_an_unknown_price_list_is_refused_naming_the_field_and_changes_nothing(client):
    w = await make_world_fast()
    before = await Distributor.select().where(Distributor.id == w.distributor).first()
    r = await client.patch(
        f"/api/distributors/{w.distributor}",
        json={"price_list_id": str(uuid4()), "name": "Renamed"},
        headers=w.headers["admin"],
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "price_list_id"
    r = await client.patch(
        f"/api/distributors/{w.distributor}",
        json={"price_list_id": "not-a-uuid"},
        headers=w.headers["admin"],
    )
    assert r.status_code in (400, 422), r.text
    assert "price_list_id" in r.text
    assert await Distributor.select().where(Distributor.id == w.distributor).first() == before


async def test_only_admins_link_price_lists(client):
    w = await make_world_fast()
    plid = await make_price_list({}, code="DIST-X")
    for role in ("manager", "rep1", "distributor_user", "customer_user"):
        r = await client.patch(
            f"/api/distributors/{w.distributor}",
            json={"price_list_id": str(plid)},
            headers=w.headers[role],
        )
        assert r.status_code in (403, 404), role
    row = await Distributor.select(Distributor.price_list).where(Distributor.id == w.distributor)
    assert row[0]["price_list"] is None


async def test_discounts_stay_within_the_price_lists_limit(client):
    w = await make_world_fast()
    coffee = await make_product("COFFEE-L", tax_rate="22")
    plid = await make_price_list({coffee: "10.00"}, code="DIST-LIMIT")
    await client.patch(
        f"/api/distributors/{w.distributor}",
        json={"price_list_id": str(plid)},
        headers=w.headers["admin"],
    )
    r = await client.patch(
        f"/api/price-lists/{plid}", json={"max_discount_pct": "150"}, headers=w.headers["admin"]
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "max_discount_pct"
    r = await client.patch(
        f"/api/price-lists/{plid}", json={"max_discount_pct": "10"}, headers=w.headers["admin"]
    )
    assert r.status_code == 200 and Decimal(r.json()["max_discount_pct"]) == 10
    # The distributor's replica carries the limit with its list.
    mine = await client.get(f"/api/price-lists/{plid}", headers=w.headers["distributor_user"])
    assert Decimal(mine.json()["max_discount_pct"]) == 10

    def order(pct: str) -> dict[str, object]:
        line = {"product_id": str(coffee), "quantity": "1", "discount_pct": pct}
        return {"customer_id": str(w.c1), "lines": [line]}

    h = w.headers["distributor_user"]
    r = await client.post("/api/orders", json=order("12.5"), headers=h)
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [
        {
            "field": "lines[0].discount_pct",
            "message": "at most 10 % with price list DIST-LIMIT",
            "code": "over_limit",
        }
    ]
    assert (await client.get("/api/orders", headers=h)).json()["items"] == []
    r = await client.post("/api/orders", json=order("10"), headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["subtotal"] == "9.00"
