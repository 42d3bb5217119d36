"""The rep's day without signal: check in, order five lines, add a note, reload, sync."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from .conftest import Server, logged_in_and_synced, page_items, sync_now, wait_for_draft

pytestmark = pytest.mark.e2e

PRODUCTS = ["rye", "kefir", "coffee", "water", "cheese"]


def test_offline_visit_and_order_reach_the_server_once_and_the_manager(
    server: Server, new_phone: Any
) -> None:
    customer = server.seed["customers"][3]
    rep_ctx = new_phone(lat=customer["lat"] + 0.0003, lng=customer["lng"])
    page = rep_ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")

    rep_ctx.set_offline(True)
    page.goto(f"/#/customer/{customer['id']}")
    page.click("#action-visit")
    page.click("#check-in")
    # ~33 m from the pin with a 25 m fix: verified on the device, without the server.
    assert page.get_attribute("[data-verification]", "data-verification") == "verified"

    page.click("#visit-order")
    for word in PRODUCTS:
        page.fill("input.search", word)
        page.click("#catalogue button")
    page.fill("[data-line] input.qty >> nth=0", "3")
    page.fill("[data-line] input.disc >> nth=0", "10")
    assert page.locator("[data-line]").count() == 5
    total = page.get_attribute("[data-total]", "data-total")
    page.click("#place-order")
    # Back on the open visit, which lists the order and still needs its check-out.
    page.wait_for_selector("#visit-orders [data-order]")
    page.wait_for_selector("#check-out")

    page.fill("textarea[name=notes]", "Owner wants the winter catalogue")
    page.select_option("select[name=outcome]", "ordered")

    # A reload with no network: the shell, the replica, the outbox and the typed note survive.
    wait_for_draft(page, "visit:", "Owner wants the winter catalogue")
    page.reload()
    page.wait_for_selector("[data-verification]")
    assert page.input_value("textarea[name=notes]") == "Owner wants the winter catalogue"
    page.goto(f"/#/customer/{customer['id']}")
    order_item = page.locator("#timeline [data-kind=order]")
    assert order_item.locator("[data-status]").get_attribute("data-status") == "pending"
    assert page.locator("nav [data-pending]").inner_text() == "3"  # create visit, check in, order

    page.goto(f"/#/visit/{customer['id']}")
    page.click("#check-out")
    page.wait_for_selector("#timeline")
    # Its last visit is today already, offline (it waited for the sync before).
    last = page.get_attribute("#last-visit", "data-at")
    assert last and abs(datetime.fromisoformat(last.replace("Z", "+00:00")) - datetime.now(UTC)) < (
        timedelta(minutes=5)
    )
    assert sync_now(page) == "offline"

    rep_ctx.set_offline(False)
    assert sync_now(page) == "ok"
    page.goto(f"/#/customer/{customer['id']}")
    page.wait_for_selector("#timeline [data-kind=order]")
    # The screen settles on "synced" once the sync's redraw lands (it may draw once before).
    page.wait_for_function(
        """() => {
          const els = [...document.querySelectorAll('#timeline [data-kind=order] [data-status],'
            + ' #timeline [data-kind=visit] [data-status]')];
          return els.length > 0 && els.every((e) => e.dataset.status === 'synced');
        }"""
    )
    page.wait_for_selector("nav [data-pending]", state="detached")

    admin = server.client()
    orders = page_items(admin.get("/api/orders", params={"customer_id": customer["id"]}))
    assert len(orders) == 1, "the order must exist exactly once"
    full = admin.get(f"/api/orders/{orders[0]['id']}").json()
    assert len(full["lines"]) == 5
    assert Decimal(str(full["total"])) == Decimal(total)
    history = page_items(admin.get(f"/api/customers/{customer['id']}/history"))
    kinds = {e["kind"] for e in history}
    assert {"visit", "order"} <= {k.split(".")[0].split("_")[0] for k in kinds}, kinds
    assert all(e.get("captured_at") for e in history if e["kind"].startswith(("visit", "order")))
    visits = page_items(admin.get("/api/visits", params={"customer_id": customer["id"]}))
    assert [v["notes"] for v in visits] == ["Owner wants the winter catalogue"]
    assert visits[0]["status"] == "done"

    # The manager's phone sees the rep's work after its own sync.
    manager = new_phone().new_page()
    logged_in_and_synced(manager, "manager@example.com")
    manager.goto(f"/#/customer/{customer['id']}")
    manager.wait_for_selector("#timeline [data-kind=order]")
    assert manager.locator("#timeline [data-kind=visit]").count() == 1
    assert manager.locator("#timeline [data-kind=order]").count() == 1
    assert manager.locator("#timeline [data-kind=order] [data-captured-at]").get_attribute(
        "data-captured-at"
    )
