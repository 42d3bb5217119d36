"""A rep's quote with a discount above its limit: made offline, synced, it shows "Awaiting
approval" and cannot be sent; once the manager approves, the badge goes and it can be sent."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Server, logged_in_and_synced, sync_now

pytestmark = pytest.mark.e2e


def test_a_quote_above_the_discount_limit_awaits_approval_in_the_app(
    server: Server, new_phone: Any
) -> None:
    shop = server.seed["customers"][3]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    page.goto(f"/#/customer/{shop['id']}")
    page.click("#action-quotes")
    page.click("#new-quote")
    page.wait_for_selector("input.search")
    page.evaluate("window.rounds.ctx.clientCode()")  # numbered on the device

    ctx.set_offline(True)
    page.fill("input.search", "kefir")
    page.click("#catalogue button")
    page.fill("[data-line] input.qty >> nth=0", "10")
    page.fill("[data-line] input.disc >> nth=0", "40")  # the rep's limit is 15 %
    page.click("#quote-save")
    page.wait_for_selector("#quote-number")
    number = page.inner_text("#quote-number")
    assert page.locator("[data-approval]").count() == 0  # not known before the server says

    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    page.reload()
    badge = page.wait_for_selector("[data-approval=pending]")
    assert badge.inner_text() == "Awaiting approval"
    assert page.locator("#quote-send").count() == 0
    page.screenshot(path="/tmp/pwa-quote-awaiting-approval.png")

    quotes = (
        server.client("rep@example.com")
        .get("/api/quotes", params={"customer_id": shop["id"]})
        .json()["items"]
    )
    stored = next(q for q in quotes if q["number"] == number)
    assert stored["approval"] == "pending" and stored["status"] == "draft"
    manager = server.client("manager@example.com")
    manager.post(
        f"/api/quotes/{stored['id']}/approval", json={"decision": "approved"}
    ).raise_for_status()

    assert sync_now(page) == "ok"
    page.reload()
    page.wait_for_selector("#quote-send")
    assert page.locator("[data-approval]").count() == 0
