"""The customer's own view: accept a quote (an order appears) and opt out of offers."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .conftest import PASSWORD, Server, logged_in_and_synced, page_items

pytestmark = pytest.mark.e2e


def _customer_login(server: Server, customer_id: str) -> str:
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    server.client().post(
        "/api/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": "Shop owner",
            "role": "customer",
            "customer_id": customer_id,
        },
    ).raise_for_status()
    return email


def test_customer_accepts_a_quote_and_opts_out_of_offers(server: Server, new_phone: Any) -> None:
    shop = server.seed["customers"][5]
    products = server.seed["products"]
    rep = server.client("rep@example.com")
    quote = (
        rep.post(
            "/api/quotes",
            json={
                "customer_id": shop["id"],
                "lines": [
                    {"product_id": products[0]["id"], "quantity": "10"},
                    {"product_id": products[2]["id"], "quantity": "2", "discount_pct": "5"},
                ],
                "status": "sent",
                "terms": "Delivery within 3 days.",
            },
        )
        .raise_for_status()
        .json()
    )
    email = _customer_login(server, shop["id"])

    page = new_phone().new_page()
    logged_in_and_synced(page, email)
    page.wait_for_selector(f"#my-quotes [data-quote='{quote['number']}']")
    assert page.locator("#my-orders [data-order]").count() == 0
    page.screenshot(path="/tmp/pwa-customer-home.png")
    page.click(f"#my-quotes [data-quote='{quote['number']}']")
    page.click("#quote-accept")
    page.wait_for_selector("#confirm-accept:not([hidden])")
    assert quote["number"] in page.inner_text("#confirm-accept")
    page.screenshot(path="/tmp/pwa-customer-quote.png")
    page.click("#confirm-accept-yes")
    page.wait_for_selector("#my-order")  # the order the acceptance made
    page.click("a.back")
    page.wait_for_selector("#my-orders [data-order]")
    status = page.get_attribute(
        f"#my-quotes [data-quote='{quote['number']}'] [data-quote-status]", "data-quote-status"
    )
    assert status == "accepted"
    stored = rep.get(f"/api/quotes/{quote['id']}").raise_for_status().json()
    assert stored["status"] == "accepted" and stored["order_id"]
    orders = page_items(rep.get("/api/orders", params={"customer_id": shop["id"]}))
    assert [o["id"] for o in orders] == [stored["order_id"]]

    # Offers: opt in, then out; the server records both in the shop's history.
    page.click("nav.tabs a[href='#/offers']")
    page.wait_for_selector("#offers-opt")
    page.check("#offers-opt")
    page.wait_for_function(
        "document.querySelector('#offers-opt').getAttribute('aria-checked') === 'true'"
    )
    # Settings says the same as the Offers tab (it read the server's own before).
    page.click("nav.tabs a[href='#/settings']")
    page.wait_for_selector("#offers-opt-in")
    page.wait_for_function("document.querySelector('#offers-opt-in').checked === true")
    assert page.inner_text("#offers-opt-state") == "You receive offers"
    page.click("nav.tabs a[href='#/offers']")
    page.wait_for_selector("#offers-opt")
    page.uncheck("#offers-opt")
    page.wait_for_function(
        "document.querySelector('#offers-opt').getAttribute('aria-checked') === 'false'"
    )
    assert page.inner_text("#opt-state") == "You do not receive offers"
    page.screenshot(path="/tmp/pwa-offers.png")
    history = page_items(server.client().get(f"/api/customers/{shop['id']}/history"))
    kinds = [e["kind"] for e in history]
    assert "offers_opt_in" in kinds and "offers_opt_out" in kinds
    assert kinds.index("offers_opt_out") < kinds.index("offers_opt_in")  # newest first
