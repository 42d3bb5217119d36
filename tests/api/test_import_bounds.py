"""CSV imports are bounded (bytes, rows, cell length), parsed off the request loop, and
refuse spreadsheet formulas row by row; nothing is stored from a refused file."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from backend.catalogue.tables import Product
from backend.settings import get_settings
from tests.factories import email_of, login, make_user

CSV = {"Content-Type": "text/csv"}
URL = "/api/catalogue/import/products"


async def _admin(client):
    return {**await login(client, await email_of(await make_user("admin"))), **CSV}


def _bounds(monkeypatch, **values):
    monkeypatch.setattr("backend.settings._current", dataclasses.replace(get_settings(), **values))


async def test_formula_cells_are_refused_per_row_and_nothing_is_stored(client):
    h = await _admin(client)
    data = (
        b"sku,name,description\n"
        b"OK-1,Fine name,plain\n"
        b"F-1,=cmd|' /C calc'!A0,x\n"
        b'F-2,"  +1+2",x\n'
        b"F-3,Name,@SUM(A1)\n"
        b"-F4,Name,x\n"
        b'OK-2,Coffee,"a, b"\n'
    )
    r = await client.post(URL, params={"dry_run": "true"}, content=data, headers=h)
    assert r.status_code == 200, r.text
    errors = {(e["row"], e["column"]) for e in r.json()["errors"]}
    assert errors == {(3, "name"), (4, "name"), (5, "description"), (6, "sku")}
    assert all("formula" in e["message"] for e in r.json()["errors"])
    r = await client.post(URL, content=data, headers=h)
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"rows[3].name", "rows[4].name", "rows[5].description", "rows[6].sku"}
    assert await Product.count() == 0
    # Numbers may still be signed: the formula rule is for text columns.
    r = await client.post(URL, content=b"sku,name,tax_rate\nN-1,Tea,+9\n", headers=h)
    assert r.status_code == 200, r.text


async def test_a_file_past_the_byte_bound_is_refused_while_it_streams(client, monkeypatch):
    _bounds(monkeypatch, csv_max_bytes=4096)
    h = await _admin(client)
    big = ("sku,name\n" + "".join(f"S-{i},Name {i}\n" for i in range(2000))).encode()
    r = await client.post(URL, content=big, headers=h)
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    files = {"file": ("products.csv", big, "text/csv")}
    auth = {"Authorization": h["Authorization"]}
    r = await client.post(URL, files=files, headers=auth)
    assert r.status_code == 413, r.text
    assert await Product.count() == 0
    small = {"file": ("products.csv", b"sku,name\nS-1,One\n", "text/csv")}
    assert (await client.post(URL, files=small, headers=auth)).status_code == 200


async def test_rows_and_cells_are_bounded(client, monkeypatch):
    _bounds(monkeypatch, csv_max_rows=10, csv_max_cell_chars=100)
    h = await _admin(client)
    rows = "".join(f"S-{i},Name {i}\n" for i in range(11))
    r = await client.post(URL, content=f"sku,name\n{rows}".encode(), headers=h)
    assert r.status_code == 422 and "more than 10 rows" in r.text
    data = f"sku,name,description\nS-1,One,{'d' * 101}\nS-2,Two,{'d' * 100}\n".encode()
    r = await client.post(URL, params={"dry_run": "true"}, content=data, headers=h)
    body = r.json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "description")]
    assert body["created"] == 1
    assert await Product.count() == 0


async def test_a_large_dry_run_does_not_stall_other_requests(client):
    h = await _admin(client)
    data = (
        "sku,name,description\n"
        + "".join(f"SKU-{i:06d},Product number {i},{'words ' * 6}\n" for i in range(20_000))
    ).encode()
    assert len(data) > 900_000
    task = asyncio.create_task(
        client.post(URL, params={"dry_run": "true"}, content=data, headers=h)
    )
    answered_during = 0
    while not task.done():
        r = await client.get("/api/health")
        assert r.status_code == 200
        if not task.done():
            answered_during += 1
        await asyncio.sleep(0.01)
    r = await task
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 20_000
    assert answered_during >= 1


@pytest.mark.parametrize("bad", ["sku,name\n\x00,x\n"])
async def test_nul_bytes_in_a_csv_are_a_row_error_not_a_crash(client, bad):
    h = await _admin(client)
    r = await client.post(URL, content=bad.encode(), headers=h)
    assert 400 <= r.status_code < 500, r.text
    assert await Product.count() == 0
