"""The first quote a rep makes with no signal gets its PDF: the seller's header and the PDF
engine were kept on the phone after the last sync, not only after a PDF made online. A PDF
that fails uses up no quote number."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import Server, logged_in_and_synced, page_items, sync_now

pytestmark = pytest.mark.e2e


def new_quote_with_a_line(page: Any, customer_id: str, word: str) -> None:
    page.goto(f"/#/customer/{customer_id}")
    page.click("#action-quotes")
    page.click("#new-quote")
    page.fill("input.search", word)
    page.click("#catalogue button")
    page.wait_for_selector("[data-line]")


def test_first_offline_quote_pdf_works_and_a_failed_pdf_leaves_no_number_gap(
    server: Server, new_phone: Any
) -> None:
    # A customer no other browser test touches (the office console gives customers[2] a price
    # list of its own, with no coffee on it).
    shop = server.seed["customers"][36]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    # Nobody opened a quote yet: after the sync the phone keeps the header and the engine.
    page.wait_for_selector("html[data-quote-kit=ready]", state="attached", timeout=120000)

    ctx.set_offline(True)
    # A phone that lost the seller's header: the PDF fails and says why...
    page.evaluate("window.rounds.store.del('meta', 'quote_company')")
    new_quote_with_a_line(page, shop["id"], "coffee")
    page.click("#quote-pdf")
    page.wait_for_selector("p.error:has-text('connection')", timeout=60000)
    # ...and back online (where the header is fetched again), the same number is used:
    # the failed try used none up.
    ctx.set_offline(False)
    page.click("#quote-pdf")
    page.wait_for_selector("#pdf-actions", timeout=120000)
    first = page.inner_text("#quote-number")
    code = re.fullmatch(r"([A-Z0-9]+)-Q(\d+)", first)
    assert code and code.group(2) == "1", first

    # With no signal at all, the next quote's PDF is made on the phone.
    ctx.set_offline(True)
    new_quote_with_a_line(page, shop["id"], "rye")
    page.click("#quote-pdf")
    page.wait_for_selector("#pdf-actions", timeout=120000)
    second = page.inner_text("#quote-number")
    assert second == f"{code.group(1)}-Q2"
    page.screenshot(path="/tmp/pwa-quote-offline-first.png")

    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    rep = server.client("rep@example.com")
    listed = page_items(rep.get("/api/quotes", params={"customer_id": shop["id"], "limit": 500}))
    mine = [q["number"] for q in listed if q["number"].startswith(f"{code.group(1)}-Q")]
    assert sorted(mine) == [first, second]  # both arrived, no gap, nothing twice
