"""Quotes: numbering, pricing and mismatches, the status machine, accept -> one order,
the customer's view, and the PDF endpoint (bytes = render_quote_pdf of the same quote)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from pypdf import PdfReader

from backend.catalogue.tables import PriceListItem
from backend.history.tables import HistoryEvent
from backend.orders.tables import Order
from backend.quotes.pdf import render_quote_pdf
from backend.quotes.wire import quote_document_from_json
from backend.quoting.tables import Quote, QuoteLine
from tests.factories import (
    change_rows,
    device_code,
    make_catalogue,
    make_contact,
    make_world_fast,
)


def _quote(customer, *lines, **extra):
    return {"customer_id": str(customer), "lines": list(lines), **extra}


def _line(product, quantity="1", **extra):
    return {"product_id": str(product), "quantity": quantity, **extra}


async def _world(client):
    w = await make_world_fast()
    return w, await make_catalogue(w)


async def _make(client, w, cat, headers="rep1", **extra):
    body = _quote(w.c1, _line(cat.p1, "3", discount_pct="10"), _line(cat.p2, "4"), **extra)
    r = await client.post("/api/quotes", json=body, headers=w.headers[headers])
    assert r.status_code == 201, r.text
    return r.json()


async def _send(client, w, q, headers="rep1"):
    r = await client.post(
        f"/api/quotes/{q['id']}/status", json={"status": "sent"}, headers=w.headers[headers]
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_quote_is_priced_from_the_list_numbered_and_recorded(client):
    w, cat = await _world(client)
    q = await _make(
        client,
        w,
        cat,
        document_discount_pct="5",
        terms="14 days",
        valid_until=(date.today() + timedelta(days=10)).isoformat(),
    )
    # Same figures as the orders' rule: 27.00 @22 % and 10.00 @9 %, 5 % off 37.00.
    assert (q["subtotal"], q["tax_total"], q["total"]) == ("37.00", "6.50", "41.65")
    assert [(b["rate"], b["base"], b["tax"]) for b in q["tax_breakdown"]] == [
        ("9.00", "9.50", "0.86"),
        ("22.00", "25.65", "5.64"),
    ]
    assert re.fullmatch(rf"Q-{date.today().year}-\d{{6}}", q["number"])
    assert q["status"] == "draft" and q["terms"] == "14 days"
    assert len(q["fingerprint"]) == 64 and q["pdf_match"] is None
    second = await _make(client, w, cat)
    assert int(second["number"][-6:]) == int(q["number"][-6:]) + 1
    kinds = await HistoryEvent.select(HistoryEvent.kind).where(HistoryEvent.ref_id == q["id"])
    assert [k["kind"] for k in kinds] == ["quote"]
    assert [c["op"] for c in await change_rows("quotes", q["id"])] == ["put"]


async def test_device_numbers_are_checked_and_unique(client):
    w, cat = await _world(client)
    number = f"{await device_code(client, w.headers['rep1'])}-Q3"
    q = await _make(client, w, cat, number=number)
    assert q["number"] == number
    body = _quote(w.c1, _line(cat.p1), number=number)
    r = await client.post("/api/quotes", json=body, headers=w.headers["rep1"])
    assert r.status_code == 409
    for bad in ("Q-2026-000001", "17-3", "17-Q0", "x-Q1"):
        r = await client.post(
            "/api/quotes", json=_quote(w.c1, _line(cat.p1), number=bad), headers=w.headers["rep1"]
        )
        assert r.status_code == 422, bad
    assert await Quote.count() == 1


async def test_device_figures_that_differ_are_flagged_and_the_servers_kept(client):
    w, cat = await _world(client)
    body = _quote(
        w.c1, _line(cat.p1, "2", unit_price="9.50", net="19.00"), device_totals={"total": "23.18"}
    )
    r = await client.post("/api/quotes", json=body, headers=w.headers["rep1"])
    q = r.json()
    assert q["price_mismatch"] is True and q["total"] == "24.40"
    fields = {m["field"] for m in q["mismatches"]}
    assert {"unit_price", "net", "total"} <= fields


async def test_bad_input_is_refused_and_nothing_stored(client):
    w, cat = await _world(client)
    cases = [
        _quote(w.c1, _line(cat.p1, "-1")),
        _quote(w.c1, _line(cat.p1, "1", discount_pct="120")),
        _quote(w.c1, _line(cat.p_unpriced)),
        _quote(w.c1, _line(cat.p1), valid_until="2020-01-01", issue_date="2020-02-01"),
        _quote(w.c1, _line(cat.p1), surprise=1),
        _quote(w.c1, []),
        _quote(w.c1, _line(cat.p1), locale="fr"),
        _quote(w.c1, _line(cat.p1), device_pdf_sha256="nothex"),
    ]
    for body in cases:
        r = await client.post("/api/quotes", json=body, headers=w.headers["rep1"])
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    other = await client.post(
        "/api/quotes", json=_quote(w.c_other, _line(cat.p1)), headers=w.headers["rep1"]
    )
    assert other.status_code == 404
    contact_elsewhere = await make_contact(w.c2)
    r = await client.post(
        "/api/quotes",
        json=_quote(w.c1, _line(cat.p1), contact_id=str(contact_elsewhere)),
        headers=w.headers["rep1"],
    )
    assert r.status_code == 422
    for role in ("customer_user", "distributor_user"):
        r = await client.post(
            "/api/quotes", json=_quote(w.c1, _line(cat.p1)), headers=w.headers[role]
        )
        assert r.status_code == 403, (role, r.text)
    assert await Quote.count() == 0 and await QuoteLine.count() == 0


async def test_a_retry_with_the_same_id_returns_the_same_quote(client):
    w, cat = await _world(client)
    qid = str(uuid4())
    body = _quote(w.c1, _line(cat.p1), id=qid)
    first = await client.post("/api/quotes", json=body, headers=w.headers["rep1"])
    again = await client.post("/api/quotes", json=body, headers=w.headers["rep1"])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    other = await client.post("/api/quotes", json=body, headers=w.headers["manager"])
    assert other.status_code == 409
    assert await Quote.count() == 1


async def test_drafts_are_edited_and_repriced_sent_ones_are_not(client):
    w, cat = await _world(client)
    q = await _make(client, w, cat)
    r = await client.patch(
        f"/api/quotes/{q['id']}",
        json={"lines": [_line(cat.p1, "1")], "notes": "Edited"},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    edited = r.json()
    assert edited["total"] == "12.20" and len(edited["lines"]) == 1
    assert edited["version"] == q["version"] + 1 and edited["fingerprint"] != q["fingerprint"]
    r = await client.patch(f"/api/quotes/{q['id']}", json={"notes": "x"}, headers=w.headers["rep2"])
    assert r.status_code == 404  # another territory's rep
    await _send(client, w, edited)
    r = await client.patch(
        f"/api/quotes/{q['id']}", json={"notes": "late"}, headers=w.headers["rep1"]
    )
    assert r.status_code == 409


async def test_status_machine_and_expiry(client):
    w, cat = await _world(client)
    q = await _make(client, w, cat)
    r = await client.post(f"/api/quotes/{q['id']}/accept", json={}, headers=w.headers["rep1"])
    assert r.status_code == 409  # a draft cannot be accepted
    await _send(client, w, q)
    r = await client.post(
        f"/api/quotes/{q['id']}/reject", json={"note": "too dear"}, headers=w.headers["rep1"]
    )
    assert r.json()["status"] == "rejected"
    r = await client.post(f"/api/quotes/{q['id']}/accept", json={}, headers=w.headers["rep1"])
    assert r.status_code == 409
    old = await _make(client, w, cat, issue_date="2020-01-01", valid_until="2020-01-31")
    assert old["status"] == "expired"
    r = await client.post(
        f"/api/quotes/{old['id']}/status", json={"status": "sent"}, headers=w.headers["rep1"]
    )
    assert r.status_code == 409
    listed = await client.get(
        "/api/quotes", params={"status": "expired"}, headers=w.headers["manager"]
    )
    assert [x["id"] for x in listed.json()["items"]] == [old["id"]]
    kinds = await HistoryEvent.select(HistoryEvent.data).where(HistoryEvent.ref_id == q["id"])
    assert len(kinds) == 3  # created, sent, rejected


async def test_accept_makes_one_order_with_the_quoted_lines(client):
    w, cat = await _world(client)
    q = await _send(client, w, await _make(client, w, cat, document_discount_pct="5"))
    results = await asyncio.gather(
        *[
            client.post(
                f"/api/quotes/{q['id']}/accept", json={}, headers=w.headers["customer_user"]
            )
            for _ in range(3)
        ]
    )
    assert sorted(r.status_code for r in results) == [200, 409, 409]
    accepted = next(r.json() for r in results if r.status_code == 200)
    assert accepted["status"] == "accepted" and accepted["order_id"]
    assert await Order.count() == 1
    order = (
        await client.get(f"/api/orders/{accepted['order_id']}", headers=w.headers["rep1"])
    ).json()
    assert order["total"] == q["total"] and order["price_mismatch"] is False
    assert [(x["sku"], x["quantity"]) for x in order["lines"]] == [
        (x["sku"], x["quantity"]) for x in q["lines"]
    ]
    assert order["author_id"] == str(w.rep1)


async def test_accepting_keeps_the_quoted_prices_after_the_list_changed(client):
    w, cat = await _world(client)
    q = await _send(client, w, await _make(client, w, cat))
    # The office raises the list price after the quote went out.
    await PriceListItem.update({PriceListItem.price: Decimal("12.00")}).where(
        (PriceListItem.price_list == cat.customer_list) & (PriceListItem.product == cat.p1)
    )
    r = await client.post(
        f"/api/quotes/{q['id']}/accept", json={}, headers=w.headers["customer_user"]
    )
    assert r.status_code == 200, r.text
    order = (
        await client.get(f"/api/orders/{r.json()['order_id']}", headers=w.headers["rep1"])
    ).json()
    assert order["total"] == q["total"] and order["price_mismatch"] is False
    coffee = next(x for x in order["lines"] if x["sku"] == "COFFEE-1")
    assert Decimal(coffee["unit_price"]) == Decimal("10.00")
    # A new order from the rep gets today's price.
    fresh = await client.post(
        "/api/orders",
        json={"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p1), "quantity": "1"}]},
        headers=w.headers["rep1"],
    )
    assert fresh.status_code == 201, fresh.text
    assert Decimal(fresh.json()["lines"][0]["unit_price"]) == Decimal("12.00")


async def test_customers_see_and_answer_only_their_own_sent_quotes(client):
    w, cat = await _world(client)
    draft = await _make(client, w, cat)
    sent = await _send(client, w, await _make(client, w, cat))
    body = _quote(w.c2, _line(cat.p1))
    elsewhere = (await client.post("/api/quotes", json=body, headers=w.headers["rep2"])).json()
    await _send(client, w, elsewhere, "rep2")
    mine = await client.get(
        "/api/quotes", params={"mine": "true"}, headers=w.headers["customer_user"]
    )
    assert [x["id"] for x in mine.json()["items"]] == [sent["id"]]
    for q in (draft, elsewhere):
        r = await client.get(f"/api/quotes/{q['id']}", headers=w.headers["customer_user"])
        assert r.status_code == 404
        r = await client.post(
            f"/api/quotes/{q['id']}/accept", json={}, headers=w.headers["customer_user"]
        )
        assert r.status_code == 404
    r = await client.post(
        f"/api/quotes/{sent['id']}/status",
        json={"status": "sent"},
        headers=w.headers["customer_user"],
    )
    assert r.status_code == 403, r.text
    r = await client.post(
        f"/api/quotes/{sent['id']}/reject", json={}, headers=w.headers["customer_user"]
    )
    assert r.json()["status"] == "rejected"


async def test_a_customers_answers_made_offline_arrive_through_sync(client):
    w, cat = await _world(client)
    yes = await _send(client, w, await _make(client, w, cat))
    no = await _send(client, w, await _make(client, w, cat))
    draft = await _make(client, w, cat)
    at = "2026-11-30T09:15:00+02:00"

    def answer(mid, q, **fields):
        return {
            "mid": mid,
            "collection": "quotes",
            "op": "update",
            "id": q["id"],
            "base_version": q["version"],
            "fields": fields,
            "captured_at": at,
        }

    body = {
        "client_id": str(uuid4()),
        "schema_version": 1,
        "mutations": [
            answer(1, yes, status="accepted"),
            answer(2, no, status="rejected", note="Too dear this month"),
            answer(3, draft, status="accepted"),  # not sent to the customer: not theirs to see
            answer(4, yes, status="sent"),  # not the customer's to send
        ],
    }
    r = await client.post("/api/sync/push", json=body, headers=w.headers["customer_user"])
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == [
        "applied",
        "applied",
        "rejected",
        "rejected",
    ], r.text
    accepted = (await client.get(f"/api/quotes/{yes['id']}", headers=w.headers["rep1"])).json()
    assert accepted["status"] == "accepted" and accepted["order_id"]
    order = (
        await client.get(f"/api/orders/{accepted['order_id']}", headers=w.headers["rep1"])
    ).json()
    assert order["total"] == yes["total"]
    assert order["captured_at"].startswith("2026-11-30T07:15:00")
    declined = (await client.get(f"/api/quotes/{no['id']}", headers=w.headers["rep1"])).json()
    assert declined["status"] == "rejected"
    notes = await (
        HistoryEvent.select(HistoryEvent.data)
        .where((HistoryEvent.ref_id == no["id"]) & (HistoryEvent.kind == "quote"))
        .output(load_json=True)
    )
    assert any(n["data"].get("note") == "Too dear this month" for n in notes), notes
    assert await Order.count() == 1
    left = (await client.get(f"/api/quotes/{draft['id']}", headers=w.headers["rep1"])).json()
    assert left["status"] == "draft"


async def test_pdf_endpoint_serves_the_render_of_the_quote_json(client):
    w, cat = await _world(client)
    contact = await make_contact(w.c1, "Їжак Ґанна")
    q = await _make(client, w, cat, contact_id=str(contact), locale="et")
    r = await client.get(f"/api/quotes/{q['id']}/pdf", headers=w.headers["rep1"])
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    expected = render_quote_pdf(quote_document_from_json(q["document"]))
    assert r.content == expected
    sha = hashlib.sha256(expected).hexdigest()
    assert r.headers["etag"] == f'"{sha}"'
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Kohvik Õun" in text and "Їжак Ґанна" in text and q["number"] in text
    again = await client.get(
        f"/api/quotes/{q['id']}/pdf", headers={**w.headers["rep1"], "If-None-Match": f'"{sha}"'}
    )
    assert again.status_code == 304
    r = await client.get(f"/api/quotes/{q['id']}/pdf", headers=w.headers["rep2"])
    assert r.status_code == 404


async def test_device_pdf_hash_is_checked_against_the_servers_render(client):
    w, cat = await _world(client)
    code = await device_code(client, w.headers["rep1"])
    draft = await _make(client, w, cat, number=f"{code}-Q1")
    device_sha = hashlib.sha256(
        render_quote_pdf(quote_document_from_json(draft["document"]))
    ).hexdigest()
    r = await client.post(
        f"/api/quotes/{draft['id']}/status",
        json={"status": "sent", "device_pdf_sha256": device_sha},
        headers=w.headers["rep1"],
    )
    sent = r.json()
    assert sent["pdf_match"] is True and sent["server_pdf_sha256"] == device_sha
    wrong = await _make(client, w, cat, number=f"{code}-Q2", device_pdf_sha256="0" * 64)
    assert wrong["pdf_match"] is False and wrong["server_pdf_sha256"] != "0" * 64


async def test_engine_bundle_has_reportlab_our_modules_and_the_pil_stand_in(client):
    import zipfile

    r = await client.get("/api/quotes/engine.zip")  # public: fetched by the PDF worker
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(r.content)).namelist())
    assert {
        "PIL/__init__.py",
        "backend/__init__.py",
        "backend/quotes/wire.py",
        "backend/quotes/fonts/DejaVuSans.ttf",
        "reportlab/platypus/tables.py",
    } <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert r.headers["etag"] == f'"{hashlib.sha256(r.content).hexdigest()}"'
    again = await client.get("/api/quotes/engine.zip", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
