"""The distributor's app on a 390×844 phone: the demo distributor takes orders online and
offline with its own price list, sees the office move them, and never meets a visit."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Server, sync_now
from .phones import open_app, shot

DEMO_PASSWORD = "demo"

pytestmark = pytest.mark.e2e


def take_order(page: Any, customer_id: str, search: str, quantity: str) -> None:
    page.goto(f"/#/customer/{customer_id}")
    page.wait_for_selector("#action-order")
    assert page.locator("#action-visit").count() == 0  # no visits for a distributor
    assert page.locator("#action-quotes").count() == 0
    page.click("#action-order")
    page.wait_for_selector("#place-order")
    assert page.locator("#order-price-list").get_attribute("class") == "muted"
    page.fill("input.search", search)
    page.locator("#catalogue [data-product] button").first.click()
    page.fill("#order-lines input.qty", quantity)
    # The demo distributor's list allows discounts up to 10 %: more is stopped on the phone.
    assert "discounts up to 10\u00a0%" in page.inner_text("#order-price-list")
    page.fill("#order-lines input.disc", "15")
    page.click("#place-order")
    page.wait_for_selector("#order-lines input.disc[aria-invalid='true']")
    assert "above 10 %" in page.inner_text("p.error[role=alert]")
    page.fill("#order-lines input.disc", "5")
    page.wait_for_function(
        "document.querySelector('#totals [data-total]').dataset.total !== '0.00'"
    )
    page.click("#place-order")
    page.wait_for_selector("#timeline .kind-order")


def first_lines(api: Any, order_id: str) -> list[dict[str, Any]]:
    return api.get(f"/api/orders/{order_id}").raise_for_status().json()["lines"]  # type: ignore[no-any-return]


def server_orders(api: Any, customer_id: str) -> list[dict[str, Any]]:
    body = api.get("/api/orders", params={"customer_id": customer_id}).raise_for_status().json()
    return body["items"]  # type: ignore[no-any-return]


def test_demo_distributor_takes_orders_online_and_offline(server: Server, tall_phone: Any) -> None:
    import httpx

    api = httpx.Client(base_url=server.url, timeout=30)
    token = api.post(
        "/api/auth/login", json={"email": "distributor@demo.rounds", "password": DEMO_PASSWORD}
    ).raise_for_status()
    api.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    me = api.get("/api/me").raise_for_status().json()
    mine = api.get(f"/api/distributors/{me['distributor_id']}").raise_for_status().json()
    assert mine["price_list_id"], "the demo distributor has a price list out of the box"
    customers = api.get("/api/customers", params={"limit": 5}).raise_for_status().json()["items"]
    shop = customers[0]
    before = {o["id"] for o in server_orders(api, shop["id"])}

    ctx = tall_phone()
    page = open_app(ctx, "distributor@demo.rounds", DEMO_PASSWORD)
    # Home: the day in figures and the orders; the tabs have no Today (no route, no visits).
    assert page.evaluate("location.hash") == "#/partner"
    page.wait_for_selector("#day-summary")
    tabs = page.locator("nav.tabs a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert tabs == ["#/partner", "#/customers", "#/sync", "#/settings"]
    assert page.locator("#no-price-list").count() == 0
    shot(page, "distributor-home")

    # Its customers: search and nearby (from the phone's position).
    page.click("nav.tabs a[href='#/customers']")
    page.fill("input.search", shop["name"].split()[0])
    page.wait_for_selector(f"#customer-list [data-customer='{shop['id']}']")
    page.click("button:has-text('Nearby')")
    page.wait_for_selector("#customer-list .dist")
    shot(page, "distributor-customers")
    page.goto("/#/visit/" + shop["id"])  # an old link to a visit goes home instead
    page.wait_for_selector("#partner-home")

    # Online: the order reaches the server, priced with the distributor's list.
    take_order(page, shop["id"], "demo", "3")
    page.wait_for_function(
        "window.rounds.store.all('outbox').then(() => true)"
    )  # the outbox is flushed by the sync the screen asked for
    page.wait_for_function(
        "window.rounds.sync.run().then(() => window.rounds.store.all('outbox'))"
        ".then((o) => o.every((e) => e.state !== 'pending'))",
        timeout=20000,
    )
    online = [o for o in server_orders(api, shop["id"]) if o["id"] not in before]
    assert len(online) == 1
    assert online[0]["price_list_id"] == mine["price_list_id"]
    assert online[0]["distributor_id"] == me["distributor_id"]
    assert online[0]["price_mismatch"] is False  # the phone priced it as the server did
    shot(page, "distributor-customer")

    # Offline: the order waits in the outbox, is shown as pending, and goes out once online.
    ctx.set_offline(True)
    take_order(page, shop["id"], "demo", "2")
    page.goto("/#/partner")
    page.wait_for_selector("#sum-waiting")
    assert "1" in page.inner_text("#sum-waiting")
    assert page.locator("#partner-orders [data-status='pending']").count() == 1
    shot(page, "distributor-offline")
    assert len([o for o in server_orders(api, shop["id"]) if o["id"] not in before]) == 1
    ctx.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert sync_now(page) == "ok"
    left = page.evaluate("window.rounds.store.all('outbox')")
    assert not [e for e in left if e.get("state") == "pending"], left
    taken = [o for o in server_orders(api, shop["id"]) if o["id"] not in before]
    assert len(taken) == 2

    # The office moves the first order; the distributor sees where it is.
    admin = server.client()
    first = online[0]
    for status in ("confirmed", "shipped"):
        admin.post(f"/api/orders/{first['id']}/status", json={"status": status}).raise_for_status()
    assert sync_now(page) == "ok"
    page.goto("/#/partner")
    # The screen on display redraws once the sync has stored the news: wait for that redraw,
    # not for the row drawn before it.
    item = page.locator(
        f"#partner-orders [data-order='{first['number']}'] [data-order-status='shipped']"
    )
    item.wait_for()
    assert item.inner_text() == "Shipped"
    page.click(f"#partner-orders [data-order='{first['number']}']")
    page.wait_for_selector("[data-order-status='shipped']")
    shot(page, "distributor-order")
    # Confirming a customer's reorder: the past order's lines go into a new order.
    page.click("#order-again")
    page.wait_for_selector("#order-lines [data-line]")
    assert page.locator("#order-lines [data-line]").count() == len(first_lines(api, first["id"]))
    page.click("#place-order")
    page.wait_for_selector("#timeline .kind-order")
    assert sync_now(page) == "ok"
    assert len([o for o in server_orders(api, shop["id"]) if o["id"] not in before]) == 3
    assert not page.js_errors  # type: ignore[attr-defined]


def test_refused_changes_are_never_called_synced(server: Server, tall_phone: Any) -> None:
    ctx = tall_phone()
    page = open_app(ctx, "distributor@demo.rounds", DEMO_PASSWORD)
    customer = page.evaluate("window.rounds.store.all('customers').then((c) => c[0].id)")
    # A change the server refuses for a distributor (visits are for reps), as an old app
    # version or another device might have queued it.
    page.evaluate(
        """(cid) => window.rounds.outbox.add({collection: 'visits', op: 'create',
             id: crypto.randomUUID(),
             fields: {customer_id: cid, planned_start: new Date().toISOString()}})""",
        customer,
    )
    sync_now(page)
    page.goto("/#/sync")
    page.wait_for_selector("#rejected [data-mid]")
    text = page.inner_text("main")
    assert "Everything is synced" not in text
    assert "refused by the server" in page.inner_text("#refused-summary")
    assert "Why:" in page.inner_text("#rejected .reason")
    advice = page.locator("#rejected .advice")
    assert advice.get_attribute("data-advice") == "advice_permission"
    assert "discard it" in advice.inner_text()
    shot(page, "sync-refused")
    page.click("#rejected [data-discard]")
    page.wait_for_selector("#nothing-pending:has-text('Everything is synced')")
    assert page.locator("#refused-summary").count() == 0
