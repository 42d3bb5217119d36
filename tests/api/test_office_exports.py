"""Exports: each role gets exactly the rows its listings show, as CSV and as XLSX that a real
reader opens; cells that a spreadsheet would run as formulas are escaped."""

from __future__ import annotations

import csv
import io
from uuid import uuid4

import pytest
from openpyxl import load_workbook

from backend.customers.tables import Customer
from backend.orders.tables import Order
from tests.factories import make_history_event, make_world_fast

ROLE_CUSTOMERS = {
    "admin": {"c1", "c2", "c_other"},
    "manager": {"c1", "c2"},
    "other_manager": {"c_other"},
    "rep1": {"c1"},
    "rep2": {"c2"},
    "distributor_user": {"c1"},
    "customer_user": {"c1"},
}


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(body: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


async def _codes(w) -> dict[str, str]:
    rows = await Customer.select(Customer.id, Customer.code)
    by_id = {r["id"]: r["code"] for r in rows}
    return {name: by_id[getattr(w, name)] for name in ("c1", "c2", "c_other")}


async def _orders(w) -> dict[str, str]:
    """One order per customer, numbered after it."""
    numbers = {}
    for name in ("c1", "c2", "c_other"):
        number = f"EXP-{name}"
        await Order.insert(
            Order(id=uuid4(), number=number, customer=getattr(w, name), author=w.admin)
        )
        numbers[name] = number
    return numbers


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_each_role_exports_exactly_its_customers_and_orders(client, fmt):
    w = await make_world_fast()
    codes = await _codes(w)
    numbers = await _orders(w)
    read = _csv if fmt == "csv" else _xlsx
    for role, expected in ROLE_CUSTOMERS.items():
        r = await client.get(
            "/api/customers/export", params={"format": fmt}, headers=w.headers[role]
        )
        assert r.status_code == 200, (role, r.text)
        assert f".{fmt}" in r.headers["content-disposition"]
        got = {row["code"] for row in read(r.content)}
        assert got == {codes[c] for c in expected}, role
        r = await client.get("/api/orders/export", params={"format": fmt}, headers=w.headers[role])
        assert r.status_code == 200, (role, r.text)
        got = {row["number"] for row in read(r.content)}
        assert got == {numbers[c] for c in expected}, role


async def test_formula_cells_are_escaped_in_csv_and_xlsx(client):
    w = await make_world_fast()
    await Customer.update(
        {
            Customer.name: '=HYPERLINK("http://evil.example","click")',
            Customer.phone: "+372 5555 0000",
            Customer.notes: "@SUM(A1:A2)",
            Customer.legal_name: "-2+3",
        }
    ).where(Customer.id == w.c1)
    headers = w.headers["admin"]
    rows = _csv((await client.get("/api/customers/export", headers=headers)).content)
    row = next(r for r in rows if r["name"].startswith("'="))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["phone"] == "'+372 5555 0000" and row["notes"] == "'@SUM(A1:A2)"
    assert row["legal_name"] == "'-2+3"
    body = (await client.get("/api/customers/export?format=xlsx", headers=headers)).content
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    names = [c.value for c in sheet["B"]]
    cell = next(c for c in sheet["B"] if str(c.value).startswith("'="))
    assert cell.data_type == "s"  # text, not a formula
    assert '\'=HYPERLINK("http://evil.example","click")' in names


async def test_history_is_internal_and_contacts_and_visits_follow_scope(client):
    w = await make_world_fast()
    await make_history_event(w.c1, "visit", summary="Visited c1")
    await make_history_event(w.c1, "order", summary="Order EXP-1")
    await make_history_event(w.c_other, "visit", summary="Visited other")
    # A customer exports its own order events, never the visits (visibility.md).
    r = await client.get("/api/history/export", headers=w.headers["customer_user"])
    assert r.status_code == 200
    assert [row["summary"] for row in _csv(r.content)] == ["Order EXP-1"]
    r = await client.get("/api/visits/export", headers=w.headers["customer_user"])
    assert r.status_code == 403
    # Partners get no internal customer column.
    r = await client.get("/api/customers/export", headers=w.headers["distributor_user"])
    header = set(_csv(r.content)[0])
    assert "name" in header and not header & {"territory", "notes", "credit_limit", "segment"}
    r = await client.get("/api/history/export", headers=w.headers["rep1"])
    assert r.status_code == 200
    assert sorted(row["summary"] for row in _csv(r.content)) == ["Order EXP-1", "Visited c1"]
    for collection in ("contacts", "visits", "quotes"):
        r = await client.get(f"/api/{collection}/export", headers=w.headers["rep1"])
        assert r.status_code == 200, (collection, r.text)


async def test_bad_format_names_the_field_and_anonymous_is_refused(client):
    w = await make_world_fast()
    r = await client.get("/api/orders/export?format=pdf", headers=w.headers["admin"])
    assert r.status_code in (400, 422) and "format" in r.text
    r = await client.get("/api/orders/export")
    assert r.status_code == 401


async def test_an_export_longer_than_a_page_has_every_row_once(client):
    from backend.exports import service

    w = await make_world_fast()
    rows = [
        Order(id=uuid4(), number=f"BULK-{i:05}", customer=w.c1, author=w.admin)
        for i in range(service.PAGE * 2 + 7)
    ]
    for start in range(0, len(rows), 500):  # PostgreSQL takes at most 32767 arguments
        await Order.insert(*rows[start : start + 500])
    r = await client.get("/api/orders/export", headers=w.headers["rep1"])
    numbers = [row["number"] for row in _csv(r.content)]
    assert len(numbers) == len(set(numbers)) == service.PAGE * 2 + 7
    assert numbers == sorted(numbers)
