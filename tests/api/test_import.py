"""CSV imports of products and prices: dry run, all or nothing, row errors, CSV dialects."""

from __future__ import annotations

from decimal import Decimal

from backend.catalogue.tables import PriceListItem, Product
from sync.tables import SyncChange
from tests.factories import email_of, login, make_price_list, make_product, make_user

CSV = {"Content-Type": "text/csv"}


async def _admin(client):
    return await login(client, await email_of(await make_user("admin")))


def _products_csv(n: int, *, bad_row: int | None = None) -> bytes:
    lines = ["sku,name,category,tax_rate"]
    for i in range(1, n + 1):
        rate = "abc" if i == bad_row else "22"
        lines.append(f"SKU-{i:03d},Product {i},Drinks,{rate}")
    return ("\n".join(lines) + "\n").encode()


async def test_dry_run_reports_and_writes_nothing(client):
    h = {**await _admin(client), **CSV}
    r = await client.post(
        "/api/catalogue/import/products",
        params={"dry_run": "true"},
        content=_products_csv(5),
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "dry_run": True,
        "rows": 5,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    assert await Product.count() == 0 and await SyncChange.count() == 0


async def test_one_bad_row_in_100_rejects_the_whole_import(client):
    h = {**await _admin(client), **CSV}
    r = await client.post(
        "/api/catalogue/import/products",
        params={"dry_run": "false"},
        content=_products_csv(100, bad_row=37),
        headers=h,
    )
    assert r.status_code == 422
    body = r.json()
    assert [(e["row"], e["column"], e["message"]) for e in body["errors"]] == [
        (38, "tax_rate", "'abc' is not a number")
    ]
    assert body["rows"] == 100 and body["dry_run"] is False
    assert await Product.count() == 0 and await SyncChange.count() == 0
    # The dry run shows the same error with a 200.
    r = await client.post(
        "/api/catalogue/import/products",
        params={"dry_run": "true"},
        content=_products_csv(100, bad_row=37),
        headers=h,
    )
    assert r.status_code == 200 and r.json()["errors"][0]["row"] == 38


async def test_import_upserts_by_sku_and_logs_changes(client):
    h = {**await _admin(client), **CSV}
    await make_product("SKU-001", name="Old name")
    r = await client.post("/api/catalogue/import/products", content=_products_csv(3), headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (2, 1, 0)
    row = (
        await Product.select(Product.name, Product.version).where(Product.sku == "SKU-001").first()
    )
    assert row["name"] == "Product 1" and row["version"] == 2
    assert await SyncChange.count().where(SyncChange.collection == "products") == 3
    r = await client.post("/api/catalogue/import/products", content=_products_csv(3), headers=h)
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 0, 3)


async def test_bom_semicolon_and_decimal_comma(client):
    h = {**await _admin(client), **CSV}
    data = "\ufeffSKU;Name;Tax_rate\nA-1;Kohv Õun;9,5\nA-2;Чай;22\n".encode()
    r = await client.post("/api/catalogue/import/products", content=data, headers=h)
    assert r.status_code == 200, r.text
    rows = await Product.select(Product.sku, Product.name, Product.tax_rate).order_by(Product.sku)
    assert [(x["sku"], x["name"], x["tax_rate"]) for x in rows] == [
        ("A-1", "Kohv Õun", Decimal("9.5")),
        ("A-2", "Чай", Decimal("22")),
    ]


async def test_missing_header_column_is_named(client):
    h = {**await _admin(client), **CSV}
    r = await client.post("/api/catalogue/import/products", content=b"sku;title\nA;B\n", headers=h)
    assert r.status_code == 422
    assert "name" in r.json()["errors"][0]["message"]
    assert await Product.count() == 0


async def test_multipart_upload_is_accepted(client):
    h = await _admin(client)
    r = await client.post(
        "/api/catalogue/import/products",
        params={"dry_run": "true"},
        files={"file": ("p.csv", _products_csv(2), "text/csv")},
        headers=h,
    )
    assert r.status_code == 200 and r.json()["created"] == 2


async def test_price_list_import(client):
    h = {**await _admin(client), **CSV}
    p1 = await make_product("A-1")
    await make_product("A-2")
    plid = await make_price_list({p1: "1.00"})
    data = b"sku;price;min_quantity\nA-1;1,25;1\nA-2;3;2\n"
    dry = await client.post(
        f"/api/price-lists/{plid}/import", params={"dry_run": "true"}, content=data, headers=h
    )
    assert (dry.json()["created"], dry.json()["updated"]) == (1, 1)
    assert await PriceListItem.count() == 1
    bad = b"sku;price\nA-1;2\nNOPE;1\nA-2;-3\n"
    r = await client.post(f"/api/price-lists/{plid}/import", content=bad, headers=h)
    assert r.status_code == 422
    assert [(e["row"], e["column"]) for e in r.json()["errors"]] == [(3, "sku"), (4, "price")]
    r = await client.post(f"/api/price-lists/{plid}/import", content=data, headers=h)
    assert r.status_code == 200, r.text
    got = await client.get(f"/api/price-lists/{plid}", headers=h)
    assert {(i["sku"], i["price"]) for i in got.json()["items"]} == {
        ("A-1", "1.2500"),
        ("A-2", "3.0000"),
    }


async def test_non_admins_cannot_import_and_oversized_bodies_are_refused(client, app):
    rep = await login(client, await email_of(await make_user("rep")))
    r = await client.post(
        "/api/catalogue/import/products", content=_products_csv(2), headers={**rep, **CSV}
    )
    assert r.status_code == 403 and await Product.count() == 0
    h = {**await _admin(client), **CSV}
    big = _products_csv(1) + b"X" * (app.state.settings.csv_max_bytes + 10)
    r = await client.post("/api/catalogue/import/products", content=big, headers=h)
    assert r.status_code == 413 and await Product.count() == 0
    r = await client.post(
        "/api/catalogue/import/products",
        content=b"{}",
        headers={**h, "Content-Type": "application/json"},
    )
    assert r.status_code == 415
