"""Hostile input at the edge: every bound answers a 4xx problem naming the field, and
nothing is stored (paging, dates, nesting, control characters, prices, image URLs)."""

from __future__ import annotations

from backend.catalogue.tables import PriceListItem, Product
from backend.customers.tables import Customer
from backend.quoting.tables import Quote
from notifications.tables import Offer
from tests.factories import make_catalogue, make_world_fast


def _problem(r, status: int, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    if field is not None:
        assert field in [e["field"] for e in body.get("errors", [])], body
    return body


async def test_paging_is_bounded_as_published(client):
    w = await make_world_fast()
    admin = w.headers["admin"]
    for path in ("/api/orders", "/api/quotes", "/api/products", "/api/visits", "/api/customers"):
        for bad in ("5000", "-5", "0", str(2**70)):
            _problem(await client.get(f"{path}?limit={bad}", headers=admin), 422, "limit")
        assert (await client.get(f"{path}?limit=500", headers=admin)).status_code == 200
    for bad in (str(2**64), "-1"):
        r = await client.get(f"/api/customers?offset={bad}", headers=admin)
        _problem(r, 422, "offset")
    r = await client.get(f"/api/customers/{w.c1}/history?limit=501", headers=admin)
    _problem(r, 422, "limit")
    _problem(await client.get("/api/notifications?limit=-5", headers=admin), 422, "limit")
    schema = (await client.get("/schema/openapi.json")).json()
    params = schema["paths"]["/api/orders"]["get"]["parameters"]
    limit = next(p for p in params if p["name"] == "limit")["schema"]
    assert (limit["minimum"], limit["maximum"]) == (1, 500)


async def test_dates_out_of_range_are_refused_by_name(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    rep = w.headers["rep1"]
    r = await client.get("/api/orders", params={"since": "0001-01-01T00:00:00+14:00"}, headers=rep)
    _problem(r, 422, "since")
    r = await client.get("/api/visits", params={"date_from": "9999-12-31T23:59:59Z"}, headers=rep)
    _problem(r, 422, "date_from")
    line = {"product_id": str(cat.p1), "quantity": "1"}
    for field, value in (
        ("issue_date", "9999-12-31"),
        ("captured_at", "0001-01-01T00:00:00+14:00"),
    ):
        r = await client.post(
            "/api/quotes",
            json={"customer_id": str(w.c1), "lines": [line], field: value},
            headers=rep,
        )
        _problem(r, 422, field)
    assert await Quote.count() == 0
    # In range, the same request is taken.
    r = await client.post(
        "/api/quotes",
        json={"customer_id": str(w.c1), "lines": [line], "issue_date": "2999-01-01"},
        headers=rep,
    )
    assert r.status_code == 201, r.text


async def test_deep_json_is_refused_even_before_login(client):
    deep = "[" * 1000 + "]" * 1000
    r = await client.post(
        "/api/auth/login", content=deep, headers={"content-type": "application/json"}
    )
    _problem(r, 400, "body")
    nested: dict = {"email": "a@b.cc", "password": "whatever-long"}
    for _ in range(40):
        nested = {"x": nested}
    r = await client.post("/api/auth/login", json=nested)
    assert r.status_code in (400, 422)
    w = await make_world_fast()
    body: object = "leaf"
    for _ in range(40):
        body = [body]
    r = await client.post(
        "/api/customers",
        json={"code": "C-4", "name": "Deep", "opening_hours": {"mon": body}},
        headers=w.headers["admin"],
    )
    _problem(r, 422)
    assert "nested deeper" in r.text


async def test_control_characters_are_refused_generically(client):
    w = await make_world_fast()
    admin = w.headers["admin"]
    r = await client.post(
        "/api/auth/login", json={"email": "a\u0000@b.cc", "password": "x\u0000yyyyyyyy"}
    )
    body = _problem(r, 422, "email")
    assert "password" in [e["field"] for e in body["errors"]]
    before = await Customer.count()
    r = await client.post(
        "/api/customers", json={"code": "C-1", "name": "Bad\u0007name"}, headers=admin
    )
    _problem(r, 422, "name")
    r = await client.post(
        "/api/customers", json={"code": "C-2", "name": "Ok", "notes": "a\u001bb"}, headers=admin
    )
    _problem(r, 422, "notes")
    assert await Customer.count() == before
    r = await client.get("/api/customers", params={"q": "caf\u0000e"}, headers=admin)
    _problem(r, 422, "q")
    # Tab, line feed and carriage return are text.
    r = await client.post(
        "/api/customers",
        json={"code": "C-3", "name": "Fine", "notes": "a\tb\r\nc\n"},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    assert await Customer.count() == before + 1


async def test_prices_are_bounded_on_both_engines(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    admin = {**w.headers["admin"], "content-type": "application/json"}
    url = f"/api/price-lists/{cat.customer_list}/items/{cat.p1}"
    for bad in ("1e30", '"1e999999"', "10000000000", "-1", '"1e-99"'):
        r = await client.put(url, content=f'{{"price": {bad}}}', headers=admin)
        _problem(r, 422, "price")
    # A JSON number past any float is refused while the body is read.
    r = await client.put(url, content='{"price": 1e999999}', headers=admin)
    _problem(r, 400)
    row = (
        await PriceListItem.select(PriceListItem.price)
        .where((PriceListItem.price_list == cat.customer_list) & (PriceListItem.product == cat.p1))
        .first()
    )
    assert str(row["price"]).startswith("10")
    r = await client.put(url, content='{"price": 9999999999.9999}', headers=admin)
    assert r.status_code == 200, r.text
    manager = {**w.headers["manager"], "content-type": "application/json"}
    for bad in ('"1e999999"', "1e30", '"Infinity"', '"NaN"'):
        r = await client.post(
            "/api/offers", content=f'{{"title": "Deal", "price": {bad}}}', headers=manager
        )
        _problem(r, 422, "price")
    assert await Offer.count() == 0
    assert await Product.count() == 3


async def test_offer_image_url_is_https_or_this_server(client):
    w = await make_world_fast()
    manager = w.headers["manager"]
    for bad in (
        "//evil.example/x.jpg",
        "/\\evil.example/x.jpg",
        "http://evil.example/x.jpg",
        "javascript:alert(1)",
        "https:///x.jpg",
    ):
        r = await client.post(
            "/api/offers", json={"title": "Deal", "image_url": bad}, headers=manager
        )
        _problem(r, 422, "image_url")
    for good in ("https://cdn.example.com/img/x.jpg", "/icons/icon-192.png"):
        r = await client.post(
            "/api/offers", json={"title": "Deal", "image_url": good}, headers=manager
        )
        assert r.status_code == 201, r.text


async def test_one_mutations_bad_text_does_not_block_a_whole_push(client):
    from uuid import uuid4

    from tests.integration.sync.device import Device

    w = await make_world_fast()
    cat = await make_catalogue(w)
    r = await client.post(
        "/api/quotes",
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p1), "quantity": "1"}]},
        headers=w.headers["rep1"],
    )
    quote = r.json()
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    rep.queue("quotes", "update", quote["id"], {"notes": "pasted\u000bfrom a word processor"})
    visit = uuid4()
    rep.queue("visits", "create", visit, {"customer_id": str(w.c1)})
    body = await rep.push()
    statuses = [x["status"] for x in body["results"]]
    assert statuses == ["rejected", "applied"], body
    assert body["results"][0]["error"]["errors"][0]["field"] == "fields.notes"
    row = await Quote.select(Quote.notes).where(Quote.id == quote["id"]).first()
    assert row["notes"] == ""
