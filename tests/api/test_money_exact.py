"""Money is exact on both engines and limited alike (issue 15).

Before: on SQLite Numeric columns were floats (999999999999.9999 read back as
1000000000000.0000) and no limit was enforced, while PostgreSQL refused overflows.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.customers.tables import Customer
from backend.orders.tables import Order, OrderLine
from backend.quoting.tables import Quote, QuoteLine
from tests.factories import make_price_list, make_product, make_world_fast

BIG_PRICE = "9999999999.8765"  # the largest a price list holds, nearly


async def _big_world():
    w = await make_world_fast()
    product = await make_product("BIG-1", tax_rate="0", name="Hangar")
    price_list = await make_price_list({product: BIG_PRICE})
    await Customer.update({Customer.price_list: price_list}).where(Customer.id == w.c1)
    return w, product


async def test_twelve_digit_amounts_round_trip_exactly(client):
    w, product = await _big_world()
    body = {"customer_id": str(w.c1), "lines": [{"product_id": str(product), "quantity": "100"}]}
    for path in ("/api/orders", "/api/quotes"):
        r = await client.post(path, json=body, headers=w.headers["rep1"])
        assert r.status_code == 201, r.text
        doc = (await client.get(f"{path}/{r.json()['id']}", headers=w.headers["rep1"])).json()
        line = doc["lines"][0]
        assert (line["unit_price"], line["net"], line["total"]) == (
            BIG_PRICE,
            "999999999987.65",
            "999999999987.65",
        ), path
        assert (doc["subtotal"], doc["total"]) == ("999999999987.65", "999999999987.65")


async def test_the_largest_unit_price_a_line_holds_reads_back_unchanged(client):
    w, product = await _big_world()
    body = {"customer_id": str(w.c1), "lines": [{"product_id": str(product), "quantity": "1"}]}
    largest = Decimal("999999999999.9999")
    for path, line_table, key in (
        ("/api/orders", OrderLine, OrderLine.order),
        ("/api/quotes", QuoteLine, QuoteLine.quote),
    ):
        r = await client.post(path, json=body, headers=w.headers["rep1"])
        assert r.status_code == 201, r.text
        doc_id = r.json()["id"]
        await line_table.update({line_table.unit_price: largest}).where(key == doc_id)
        stored = await line_table.select(line_table.unit_price).where(key == doc_id).first()
        assert stored["unit_price"] == largest
        doc = (await client.get(f"{path}/{doc_id}", headers=w.headers["rep1"])).json()
        assert doc["lines"][0]["unit_price"] == "999999999999.9999", path


async def test_amounts_beyond_the_columns_are_refused_alike_on_both_engines(client):
    w, product = await _big_world()
    # 1000 x 9999999999.8765 = 9999999999876.50: one digit more than an amount holds.
    body = {"customer_id": str(w.c1), "lines": [{"product_id": str(product), "quantity": "1000"}]}
    for path in ("/api/orders", "/api/quotes"):
        r = await client.post(path, json=body, headers=w.headers["rep1"])
        assert r.status_code == 422, r.text
        problem = r.json()
        fields = {e["field"] for e in problem["errors"]}
        assert {"lines[0].net", "lines[0].total", "subtotal", "total"} <= fields, fields
        assert all(e["code"] == "out_of_range" for e in problem["errors"])
        net = next(e for e in problem["errors"] if e["field"] == "lines[0].net")
        assert net["message"] == (
            "comes to 9999999999876.50: must be at most 999999999999.99 in size"
        )
    # A device's unit price beyond the column: named too.
    line = {"product_id": str(product), "quantity": "1", "unit_price": "1000000000000"}
    for path in ("/api/orders", "/api/quotes"):
        r = await client.post(
            path, json={"customer_id": str(w.c1), "lines": [line]}, headers=w.headers["rep1"]
        )
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["lines[0].unit_price"]
    assert await Order.count() == 0 and await Quote.count() == 0


@pytest.mark.sqlite_only
async def test_every_money_column_is_decimal_text_on_sqlite(client):
    """Prices, credit limits, offer prices and route costs are stored as decimal text, like
    the documents' amounts, not as SQLite floats (REAL) that round at the 16th digit."""
    from backend.catalogue.tables import PriceListItem

    w, _product = await _big_world()
    await Customer.update({Customer.credit_limit: Decimal("999999999987.65")}).where(
        Customer.id == w.c1
    )
    rows = await Customer.raw(
        "SELECT typeof(credit_limit) AS t FROM customer WHERE id = {}", str(w.c1)
    )
    assert rows[0]["t"] == "text"
    rows = await PriceListItem.raw("SELECT typeof(price) AS t FROM price_list_item")
    assert {r["t"] for r in rows} == {"text"}
    row = await PriceListItem.select(PriceListItem.price).first()
    assert row["price"] == Decimal(BIG_PRICE)
    got = await client.get(f"/api/customers/{w.c1}", headers=w.headers["admin"])
    assert got.json()["credit_limit"] == "999999999987.65"
