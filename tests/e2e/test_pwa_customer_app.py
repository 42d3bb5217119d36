"""The customer's app on a 390×844 phone: offers in an inbox, quotes with their PDF, accept
(the confirmation names the order) or decline with a reason, orders with the office's
status; answers and reorder requests made offline go out once online; push opt-in in plain
words, and an order-status push in the customer's language whose click opens that order."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import pytest

from notifications.core import push_message
from notifications.payload import encode_payload

from .conftest import PASSWORD, Server, settled, sync_now
from .phones import open_app, shot
from .test_push_notifications import _offer_in_inbox, _registration_id, _until

pytestmark = pytest.mark.e2e


def _shop_owner(server: Server, customer_id: str, locale: str = "en") -> tuple[str, httpx.Client]:
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    server.client().post(
        "/api/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": "Shop owner",
            "role": "customer",
            "customer_id": customer_id,
            "locale": locale,
        },
    ).raise_for_status()
    return email, server.client(email)


def _sent_quote(server: Server, customer_id: str, quantity: str) -> dict[str, Any]:
    products = server.seed["products"]
    rep = server.client("rep@example.com")
    return (
        rep.post(  # type: ignore[no-any-return]
            "/api/quotes",
            json={
                "customer_id": customer_id,
                "lines": [
                    {"product_id": products[0]["id"], "quantity": quantity},
                    {"product_id": products[2]["id"], "quantity": "2", "discount_pct": "5"},
                ],
                "status": "sent",
                "terms": "Delivery within 3 days.",
            },
        )
        .raise_for_status()
        .json()
    )


def _history_kinds(server: Server, customer_id: str) -> list[str]:
    body = server.client().get(f"/api/customers/{customer_id}/history").raise_for_status().json()
    return [e["kind"] for e in body["items"]]


def test_customer_inbox_quotes_orders_offline_and_back(server: Server, tall_phone: Any) -> None:
    shop = server.seed["customers"][11]
    email, customer = _shop_owner(server, shop["id"])
    customer.post("/api/offers/opt-in").raise_for_status()
    note = _offer_in_inbox(server, customer)
    to_accept = _sent_quote(server, shop["id"], "10")
    to_decline = _sent_quote(server, shop["id"], "4")
    to_accept_online = _sent_quote(server, shop["id"], "6")

    ctx = tall_phone()
    page = open_app(ctx, email, PASSWORD)
    assert page.evaluate("location.hash") == "#/my"
    # The inbox: the offer, unread until opened; opening it is recorded in the history.
    entry = page.locator(f"#my-inbox [data-inbox='{note['offer_id']}']")
    entry.wait_for()
    assert entry.get_attribute("data-unread") == "1"
    page.wait_for_selector(f"#my-quotes [data-quote='{to_accept['number']}']")
    shot(page, "customer-home")
    entry.click()
    page.wait_for_selector("#offer")
    _until(lambda: "offer_read" in _history_kinds(server, shop["id"]), what="offer_read")
    page.goto("/#/my")
    assert (
        page.locator(f"#my-inbox [data-inbox='{note['offer_id']}']").get_attribute("data-unread")
        == "0"
    )

    # A quote's PDF, fetched once, then opened offline too.
    page.click(f"#my-quotes [data-quote='{to_accept['number']}']")
    page.click("#my-quote-get-pdf")
    page.wait_for_selector("#my-quote-pdf #pdf-actions")
    assert int(page.get_attribute("#my-quote-pdf [data-pdf-bytes]", "data-pdf-bytes")) > 1000
    shot(page, "customer-quote")

    # Offline: everything already here still opens; an answer is kept on the phone and says so.
    ctx.set_offline(True)
    page.goto("/#/my")
    page.click(f"#my-quotes [data-quote='{to_accept['number']}']")
    page.wait_for_selector("#my-quote-pdf #pdf-actions")  # the kept PDF
    page.click("#quote-accept")
    page.click("#confirm-accept-yes")
    page.wait_for_selector(".banner.toast:has-text('Saved on this phone')")
    page.wait_for_selector(f"#my-quotes [data-quote='{to_accept['number']}']")
    settled(page)
    page.click(f"#my-quotes [data-quote='{to_accept['number']}']")
    page.wait_for_selector("#answer-waiting")
    assert page.locator("#quote-accept").count() == 0  # answered: no second answer
    assert page.locator("nav [data-pending]").get_attribute("data-pending") == "1"
    shot(page, "customer-quote-answered-offline")
    assert (
        customer.get(f"/api/quotes/{to_accept['id']}").raise_for_status().json()["status"] == "sent"
    )

    # Back online the answer goes out by itself and makes the order; the quote then links it.
    ctx.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _until(
        lambda: customer.get(f"/api/quotes/{to_accept['id']}").json()["status"] == "accepted",
        what="the offline acceptance reaching the server",
    )
    stored = customer.get(f"/api/quotes/{to_accept['id']}").raise_for_status().json()
    order = customer.get(f"/api/orders/{stored['order_id']}").raise_for_status().json()
    assert sync_now(page) == "ok"
    page.goto(f"/#/my/order/{order['id']}")
    page.wait_for_selector(f"#my-order[data-order='{order['number']}']")
    assert page.locator("#my-order-lines [data-sku]").count() == 2
    assert page.get_attribute("#my-order [data-order-status]", "data-order-status") == "submitted"
    # Captured when tapped offline, not when it reached the server.
    assert datetime.fromisoformat(order["captured_at"]) < datetime.fromisoformat(
        stored["updated_at"]
    )

    # Decline the other with a reason: the server keeps it in the quote's history entry.
    page.goto("/#/my")
    page.click(f"#my-quotes [data-quote='{to_decline['number']}']")
    page.click("#quote-reject")
    page.fill("#reject-reason", "Too expensive this month")
    page.click("#confirm-reject-yes")
    page.wait_for_selector(f"#my-quotes [data-quote='{to_decline['number']}']")
    declined = customer.get(f"/api/quotes/{to_decline['id']}").raise_for_status().json()
    assert declined["status"] == "rejected"
    history = server.client().get(f"/api/customers/{shop['id']}/history").json()["items"]
    assert any("Too expensive this month" in str(e) for e in history)

    # Online, accepting says which order it made (its number, not the quote's) and opens it.
    settled(page)
    page.click(f"#my-quotes [data-quote='{to_accept_online['number']}']")
    page.click("#quote-accept")
    page.click("#confirm-accept-yes")
    page.wait_for_selector("#my-order")
    made = customer.get(f"/api/quotes/{to_accept_online['id']}").raise_for_status().json()
    made_order = customer.get(f"/api/orders/{made['order_id']}").raise_for_status().json()
    toast = page.inner_text(".banner.toast")
    assert made_order["number"] in toast
    assert f"Order {to_accept_online['number']} placed" not in toast
    assert page.evaluate("location.hash") == f"#/my/order/{made_order['id']}"

    # The office ships the order; the customer sees where it is, offline as well.
    admin = server.client()
    for status in ("confirmed", "shipped"):
        admin.post(f"/api/orders/{order['id']}/status", json={"status": status}).raise_for_status()
    assert sync_now(page) == "ok"
    ctx.set_offline(True)
    page.goto(f"/#/my/order/{order['id']}")
    page.wait_for_selector("#my-order [data-order-status='shipped']")
    done = page.locator("#order-progress li.done").evaluate_all(
        "els => els.map(e => e.dataset.step)"
    )
    assert done == ["submitted", "confirmed", "shipped"]
    shot(page, "customer-order")
    # Reorder offline: kept on the phone and listed as waiting; it goes out once online.
    page.click("#reorder")
    page.wait_for_selector(".banner.toast:has-text('Saved on this phone')")
    settled(page)
    page.wait_for_selector("#reorder-requests [data-status='pending']")
    assert "reorder_request" not in _history_kinds(server, shop["id"])
    shot(page, "customer-reorder-offline")
    ctx.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _until(
        lambda: "reorder_request" in _history_kinds(server, shop["id"]),
        what="the offline reorder request reaching the server",
    )
    assert sync_now(page) == "ok"
    page.wait_for_selector(
        "#reorder-requests [data-status='synced']:has-text('sent to your sales rep')"
    )
    # "Saved on this phone … waits" is gone once it was sent.
    page.wait_for_selector(".banner.toast:has-text('Saved on this phone')", state="detached")
    rep_inbox = server.client("rep@example.com").get("/api/notifications").json()
    asked = [n for n in rep_inbox if n["kind"] == "reorder_request"]
    assert asked and asked[0]["url"] == f"/#/order/{shop['id']}/{order['id']}"
    assert order["number"] in asked[0]["body"]
    # Asking again the same day asks first (no duplicate by a second tap), then goes out.
    settled(page)
    page.click("#reorder")
    page.wait_for_selector("#reorder-again:not([hidden])")
    assert "Ask once more?" in page.inner_text("#reorder-again")
    page.click("#reorder-again-yes")
    page.wait_for_selector(".banner.toast:has-text('Request sent')")
    assert _history_kinds(server, shop["id"]).count("reorder_request") == 2
    assert not page.js_errors  # type: ignore[attr-defined]


def test_push_opt_in_says_why_and_an_order_push_speaks_the_customers_language(
    server: Server, tall_phone: Any
) -> None:
    shop = server.seed["customers"][12]
    email, customer = _shop_owner(server, shop["id"], locale="ru")
    quote = _sent_quote(server, shop["id"], "3")
    accepted = customer.post(f"/api/quotes/{quote['id']}/accept", json={}).raise_for_status()
    order_id = accepted.json()["order_id"]

    ctx = tall_phone(locale="ru-RU")
    ctx.grant_permissions(["notifications"], origin=server.url)
    page = open_app(ctx, email, PASSWORD)
    page.goto("/#/settings")
    page.wait_for_selector("#push-enable")
    assert page.get_attribute("#push-state", "data-push-state") == "push_off"
    # Headless Chromium has no push service: the user is told so, in their language.
    page.click("#push-enable")
    page.wait_for_selector("#push-error")
    assert "нет push-сервиса" in page.inner_text("#push-error")
    assert page.locator("#push-enable").is_enabled()
    shot(page, "customer-push-settings")

    # The office confirms the order: the push is in Russian and opens the customer's order.
    server.client().post(
        f"/api/orders/{order_id}/status", json={"status": "confirmed"}
    ).raise_for_status()
    note = _until(
        lambda: [
            n for n in customer.get("/api/notifications").json() if n["kind"] == "order_status"
        ],
        what="the order status in the inbox",
    )[0]
    assert note["title"].startswith("Заказ ") and note["title"].endswith(": подтверждён")
    assert note["url"] == f"/#/my/order/{order_id}"
    cdp = ctx.new_cdp_session(page)
    registration = _registration_id(cdp, page, server.url)
    payload = encode_payload(
        push_message(
            UUID(note["id"]), note["kind"], note["title"], note["body"], note["url"], note["data"]
        )
    )
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": server.url, "registrationId": registration, "data": payload.decode()},
    )
    shown = _until(
        lambda: page.evaluate(
            """() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
             .then((ns) => ns.map((n) => ({title: n.title, body: n.body, tag: n.tag})))"""
        ),
        what="the notification to be shown",
    )
    assert shown[0]["title"] == note["title"] and shown[0]["body"] == "Был: отправлен."
    _until(lambda: customer.get("/api/notifications").json()[0]["displayed_at"], what="the display")
    page.evaluate(
        "(tag) => navigator.serviceWorker.controller"
        ".postMessage({type: 'NOTIFICATION_CLICK', tag})",
        shown[0]["tag"],
    )
    _until(lambda: page.evaluate("location.hash") == f"#/my/order/{order_id}", what="the order")
    page.wait_for_selector("#my-order")
    assert _until(
        lambda: customer.get("/api/notifications").json()[0]["clicked_at"], what="the click"
    )
    # Shown and opened are in the shop's history, about that order, in the customer's words.
    _until(
        lambda: {"push_displayed", "push_clicked"} <= set(_history_kinds(server, shop["id"])),
        what="the push's display and click in the history",
    )
    mine = customer.get(f"/api/customers/{shop['id']}/history").raise_for_status().json()
    pushed = [e for e in mine["items"] if e["kind"] in ("push_displayed", "push_clicked")]
    assert {e["ref_id"] for e in pushed} == {order_id}
    assert any(e["summary"].startswith("Открыто уведомление: Заказ ") for e in pushed)
