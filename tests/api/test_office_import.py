"""Customer import: a dry run reports every bad row by row and column; a real run writes all
or nothing, or only the good rows when asked; create or update by code; territory by code or
by polygon; CSV and XLSX; a column mapping."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from backend.customers.tables import Customer
from backend.territories.tables import Territory
from tests.factories import change_rows, make_world_fast

HEADER = ["Customer code", "Name", "Street", "City", "Lat", "Lng", "Territory", "Phone"]


def _csv(rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


async def _territory_codes(w) -> dict[str, str]:
    rows = await Territory.select(Territory.id, Territory.code)
    by_id = {r["id"]: r["code"] for r in rows}
    return {"t1": by_id[w.t1], "t2": by_id[w.t2], "t_other": by_id[w.t_other]}


async def test_ten_thousand_rows_with_three_bad_ones(client):
    w = await make_world_fast()
    codes = await _territory_codes(w)
    rows = [
        [f"IMP{i:05}", f"Shop {i}", f"Narva mnt {i}", "Tallinn", "59.43", "24.75", codes["t1"], ""]
        for i in range(10_000)
    ]
    rows[9][4] = "north"  # row 11 in the spreadsheet: lat
    rows[4999][6] = "NOPE"  # row 5001: territory
    rows[9998][0] = ""  # row 10000: code
    body = _csv(rows)
    admin = w.headers["admin"]
    r = await client.post("/api/customers/import?dry_run=true", content=body, headers=admin)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["rows"] == 10_000 and report["created"] == 9_997 and report["skipped"] == 3
    assert [(e["row"], e["column"]) for e in report["errors"]] == [
        (11, "Lat"),
        (5001, "Territory"),
        (10000, "Customer code"),
    ]
    assert await Customer.count() == 3  # the world's own: a dry run writes nothing
    r = await client.post("/api/customers/import?dry_run=false", content=body, headers=admin)
    assert r.status_code == 422
    problem = r.json()
    assert {(e["row"], e["column"]) for e in problem["errors"]} == {
        (11, "Lat"),
        (5001, "Territory"),
        (10000, "Customer code"),
    }
    assert await Customer.count() == 3  # nothing half-applied
    r = await client.post(
        "/api/customers/import?dry_run=false&apply=valid", content=body, headers=admin
    )
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 9_997 and len(r.json()["errors"]) == 3
    assert await Customer.count() == 3 + 9_997
    assert not await Customer.exists().where(Customer.code == "IMP00009")
    # The rep of t1 sees them through the usual listing.
    r = await client.get("/api/customers", params={"q": "IMP00010"}, headers=w.headers["rep1"])
    assert [c["code"] for c in r.json()["items"]] == ["IMP00010"]


async def test_update_by_code_territory_by_polygon_xlsx_and_mapping(client):
    w = await make_world_fast()
    square = {
        "type": "Polygon",
        "coordinates": [[[24.0, 59.0], [25.0, 59.0], [25.0, 60.0], [24.0, 60.0], [24.0, 59.0]]],
    }
    await Territory.update({Territory.polygon: square}).where(Territory.id == w.t2)
    admin = w.headers["admin"]
    first = _csv([["A-1", "Kohvik Üks", "Viru 1", "Tallinn", "59.5", "24.5", "", "+372 1"]])
    r = await client.post("/api/customers/import?dry_run=false", content=first, headers=admin)
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    row = await Customer.select().where(Customer.code == "A-1").first()
    assert row["territory"] == w.t2 and row["region"] == w.region  # by the polygon
    # The same code again from an XLSX with other column names, mapped by hand: an update.
    book = Workbook()
    sheet = book.active
    sheet.append(["Kood", "Nimi", "Linn", "Ignored"])
    sheet.append(["A-1", "Kohvik Üks", "Tartu", "x"])
    sheet.append(["A-2", "Pood Kaks", "Tartu", "y"])
    out = io.BytesIO()
    book.save(out)
    mapping = '{"Kood": "code", "Nimi": "name", "Linn": "city", "Ignored": ""}'
    r = await client.post(
        "/api/customers/import",
        params={"dry_run": "false", "mapping": mapping},
        files={"file": ("customers.xlsx", out.getvalue())},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"]) == (1, 1)
    row = await Customer.select().where(Customer.code == "A-1").first()
    assert row["city"] == "Tartu" and row["street"] == "Viru 1" and row["version"] == 2
    # Addresses without a position are handed on to geocoding.
    a2 = await Customer.select(Customer.id).where(Customer.code == "A-2").first()
    assert str(a2["id"]) in r.json()["to_geocode"]
    # Devices learn of imported customers through sync like of any other.
    assert await change_rows("customers", a2["id"])
    # Importing the same file again changes nothing.
    r = await client.post(
        "/api/customers/import",
        params={"dry_run": "false", "mapping": mapping},
        files={"file": ("customers.xlsx", out.getvalue())},
        headers=admin,
    )
    assert r.json()["unchanged"] == 2 and r.json()["updated"] == 0


async def test_who_may_import_and_what_a_bad_mapping_says(client):
    w = await make_world_fast()
    body = _csv([["B-1", "Shop", "", "", "", "", "", ""]])
    r = await client.post("/api/customers/import", content=body, headers=w.headers["rep1"])
    assert r.status_code == 403
    r = await client.post(
        "/api/customers/import",
        params={"mapping": '{"Name": "colour"}'},
        content=body,
        headers=w.headers["admin"],
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "mapping.Name"
    # A manager imports into their own region only.
    codes = await _territory_codes(w)
    body = _csv(
        [
            ["M-1", "Mine", "", "", "", "", codes["t1"], ""],
            ["M-2", "Theirs", "", "", "", "", codes["t_other"], ""],
        ]
    )
    r = await client.post("/api/customers/import", content=body, headers=w.headers["manager"])
    assert r.status_code == 200
    assert [(e["row"], e["column"]) for e in r.json()["errors"]] == [(3, "Territory")]


async def test_a_row_with_an_unquoted_separator_is_refused_not_shifted(client):
    w = await make_world_fast()
    codes = await _territory_codes(w)
    header = [*HEADER, "Credit limit"]
    # Row 3 holds a decimal comma without quotes: one cell more than the header.
    text = (
        _csv(
            [["IMP1", "Kohvik", "Pikk 1", "Tallinn", "59.43", "24.75", codes["t1"], "", "12.5"]],
            header,
        ).decode()
        + f"IMP2,Pood,Pikk 2,Tallinn,59.44,24.76,{codes['t1']},,12,5\r\n"
    )
    # Trailing empty cells (some spreadsheets write them) are fine.
    text += f"IMP3,Turg,Pikk 3,Tallinn,59.45,24.77,{codes['t1']},,7,,\r\n"
    admin = w.headers["admin"]
    r = await client.post(
        "/api/customers/import?dry_run=true", content=text.encode(), headers=admin
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, None)]
    assert "10 cells but the header has 9" in report["errors"][0]["message"]
    assert report["created"] == 2 and report["skipped"] == 1
    r = await client.post(
        "/api/customers/import?dry_run=false&apply=valid", content=text.encode(), headers=admin
    )
    assert r.status_code == 200, r.text
    made = await Customer.select(Customer.code, Customer.credit_limit).where(
        Customer.code.is_in(["IMP1", "IMP2", "IMP3"])
    )
    assert sorted((m["code"], Decimal(str(m["credit_limit"]))) for m in made) == [
        ("IMP1", Decimal("12.5")),
        ("IMP3", Decimal("7")),
    ]
