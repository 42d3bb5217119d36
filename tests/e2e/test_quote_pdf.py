"""A quote made and rendered on the phone without signal is the server's PDF, byte for byte."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from .conftest import Server, wait_controlled

pytestmark = pytest.mark.e2e

LOAD_ENGINE = "import('/pdf/client.js').then((m) => { window.quotePdf = m; return true; })"
RENDER = """async (json) => {
  const started = performance.now();
  const r = await window.quotePdf.renderQuotePdf(json);
  return { sha256: r.sha256, size: r.bytes.length,
           head: String.fromCharCode(...r.bytes.slice(0, 5)),
           ms: performance.now() - started, startMs: r.startMs, renderMs: r.renderMs };
}"""
COMPOSE = "(parts) => window.quotePdf.composeQuoteJson(parts)"


def _device_parts(server: Server, rep: Any, number: str) -> dict[str, Any]:
    """What the phone's replica holds: the customer, its contact, products, prices, company."""
    customer = server.seed["customers"][0]
    r = rep.get(f"/api/customers/{customer['id']}/contacts").raise_for_status()
    contacts = r.json()
    assert isinstance(contacts, list)  # a customer's contacts come whole, not in pages
    company = rep.get("/api/quotes/company").raise_for_status().json()
    products = server.seed["products"][:4]
    today = datetime.now(UTC).date()
    return {
        "quote": {
            "number": number,
            "issue_date": today.isoformat(),
            "valid_until": (today + timedelta(days=14)).isoformat(),
            "currency": "EUR",
            "locale": "et",
            "document_discount_pct": "2.5",
            "terms": "Maksetähtaeg 14 päeva.",
            "notes": "Ёлка, їжак, õun",
        },
        "lines": [
            {
                "product_id": p["id"],
                "sku": p["sku"],
                "name": p["name"],
                "unit": p["unit"],
                "quantity": str(i + 2),
                "unit_price": p["price"],
                "tax_rate": p["tax_rate"],
                "discount_pct": "5" if i == 1 else "0",
            }
            for i, p in enumerate(products)
        ],
        "customer": rep.get(f"/api/customers/{customer['id']}").json(),
        "contact": contacts[0] if contacts else None,
        "company": company,
        "policy": {"prices_include_tax": False},
    }


def test_offline_device_pdf_matches_the_servers(server: Server, new_phone: Any) -> None:
    rep = server.client("rep@example.com")
    ctx = new_phone()
    page = ctx.new_page()
    page.goto("/")
    wait_controlled(page)
    assert page.evaluate(LOAD_ENGINE)
    # Online once: the engine's files land in the caches (nothing runs yet).
    page.evaluate("window.quotePdf.prefetchEngine()")
    # The phone's own install code: a device number is accepted only from its own series.
    push = {"client_id": str(uuid4()), "schema_version": 1, "mutations": []}
    code = rep.post("/api/sync/push", json=push).raise_for_status().json()["client_code"]
    parts = _device_parts(server, rep, number=f"{code}-Q1")

    ctx.set_offline(True)
    start_ms = page.evaluate(
        "async () => { const t = performance.now(); await window.quotePdf.warmEngine();"
        " return performance.now() - t; }"
    )
    quote_json = page.evaluate(COMPOSE, parts)
    device = page.evaluate(RENDER, quote_json)
    assert device["head"] == "%PDF-" and device["size"] > 10_000
    again = page.evaluate(RENDER, quote_json)
    assert again["sha256"] == device["sha256"]  # deterministic on the device too
    print(
        f"\ndevice PDF: engine start {start_ms:.0f} ms, first render {device['ms']:.0f} ms, "
        f"next {again['ms']:.0f} ms"
    )

    ctx.set_offline(False)
    body = {
        "id": str(uuid4()),
        "number": parts["quote"]["number"],
        "customer_id": parts["customer"]["id"],
        "contact_id": parts["contact"]["id"] if parts["contact"] else None,
        "lines": [
            {
                "product_id": x["product_id"],
                "quantity": x["quantity"],
                "discount_pct": x["discount_pct"],
                "unit_price": x["unit_price"],
            }
            for x in parts["lines"]
        ],
        "document_discount_pct": "2.5",
        "locale": "et",
        "issue_date": parts["quote"]["issue_date"],
        "valid_until": parts["quote"]["valid_until"],
        "terms": parts["quote"]["terms"],
        "notes": parts["quote"]["notes"],
        "device_pdf_sha256": device["sha256"],
    }
    stored = rep.post("/api/quotes", json=body).raise_for_status().json()
    assert stored["price_mismatch"] is False
    assert stored["document"] == quote_json  # the server composes the very same JSON
    assert stored["pdf_match"] is True
    pdf = rep.get(f"/api/quotes/{stored['id']}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == device["sha256"]
