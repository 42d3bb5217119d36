"""The rep builds a quote offline, the phone makes its PDF; back online the server's PDF is
the same bytes, and the quote screen says so."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest

from .conftest import Server, logged_in_and_synced, page_items, sync_now

pytestmark = pytest.mark.e2e


def test_offline_quote_pdf_matches_the_servers_and_the_screen_says_so(
    server: Server, new_phone: Any
) -> None:
    shop = server.seed["customers"][0]  # has a primary contact, printed on the quote
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    page.goto(f"/#/customer/{shop['id']}")
    page.click("#action-quotes")
    page.click("#new-quote")
    page.wait_for_selector("input.search")
    # Online once: the editor fetches the PDF engine and the seller's header for later.
    page.evaluate(
        "import('/pdf/client.js').then((m) => m.prefetchEngine())"
        ".then(() => import('/ui/quote-pdf.js')).then((m) => m.companyHeader(window.rounds.ctx))"
    )

    ctx.set_offline(True)
    for word in ("rye", "coffee", "cheese"):
        page.fill("input.search", word)
        page.click("#catalogue button")
    page.fill("[data-line] input.qty >> nth=0", "12")
    page.fill("[data-line] input.disc >> nth=1", "5")
    page.fill("input.doc-disc", "2.5")
    page.fill("textarea[name=terms]", "Maksetähtaeg 14 päeva. Ёлка, їжак.")
    total = page.get_attribute("[data-total]", "data-total")
    page.screenshot(path="/tmp/pwa-quote-editor.png")
    page.click("#quote-pdf")
    page.wait_for_selector("#pdf-progress [data-progress]")
    page.wait_for_selector("#pdf-actions", timeout=120000)
    number = page.inner_text("#quote-number")
    assert re.fullmatch(r"[A-Z0-9]{1,16}-Q[1-9]\d*", number), number
    device_sha = page.get_attribute("[data-sha256]", "data-sha256")
    assert page.get_attribute("#pdf-match", "data-match") == "unknown"
    assert page.locator("h1 [data-status]").get_attribute("data-status") == "pending"
    page.screenshot(path="/tmp/pwa-quote-offline.png")

    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    page.reload()
    page.wait_for_selector("#pdf-match[data-match=yes]")
    assert page.locator("h1 [data-status]").get_attribute("data-status") == "synced"
    page.screenshot(path="/tmp/pwa-quote-synced.png")

    rep = server.client("rep@example.com")
    quotes = page_items(rep.get("/api/quotes", params={"customer_id": shop["id"]}))
    stored = next(q for q in quotes if q["number"] == number)
    assert stored["device_pdf_sha256"] == device_sha and stored["pdf_match"] is True
    assert str(stored["total"]) == total and stored["price_mismatch"] is False
    pdf = rep.get(f"/api/quotes/{stored['id']}/pdf")
    assert hashlib.sha256(pdf.content).hexdigest() == device_sha
