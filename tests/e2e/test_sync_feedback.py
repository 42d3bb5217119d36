"""What the rep is told when the server refuses a change or resolves a conflict."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .conftest import Server, logged_in_and_synced, sync_now

pytestmark = pytest.mark.e2e


def test_rejected_change_shows_the_reason_and_can_be_discarded(
    server: Server, new_phone: Any
) -> None:
    customer = server.seed["customers"][7]
    page = new_phone().new_page()
    logged_in_and_synced(page, "rep@example.com")
    order_id = str(uuid.uuid4())
    # An order for a product the server does not know, queued through the app's own outbox.
    page.evaluate(
        """([id, customer]) => window.rounds.outbox.add({collection: 'orders', op: 'create', id,
             fields: {customer_id: customer,
                      lines: [{product_id: crypto.randomUUID(), quantity: '2'}]},
           })""",
        [order_id, customer["id"]],
    )
    assert sync_now(page) == "ok"
    page.goto("/#/sync")
    page.wait_for_selector("#rejected")
    item = page.locator("#rejected [data-mid]")
    assert item.count() == 1
    reason = item.locator(".reason").inner_text()
    assert reason.strip(), "the server's reason is shown"
    page.goto(f"/#/customer/{customer['id']}")
    page.wait_for_selector("#timeline [data-kind=order]")
    assert (
        page.locator("#timeline [data-kind=order] [data-status]").get_attribute("data-status")
        == "rejected"
    )

    page.goto("/#/sync")
    page.click("#rejected [data-discard]")
    page.wait_for_selector("#rejected", state="detached")
    page.goto(f"/#/customer/{customer['id']}")
    page.wait_for_selector("#timeline", state="attached")
    assert page.locator("#timeline [data-kind=order]").count() == 0


def test_field_conflict_is_reported_with_both_values(server: Server, new_phone: Any) -> None:
    customer = server.seed["customers"][9]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    ctx.set_offline(True)
    page.goto(f"/#/customer/{customer['id']}")
    page.click("#customer-edit")
    page.fill("input[name=phone]", "+372 5000 1111")
    page.click("#customer-save")
    page.wait_for_selector("h1 [data-status=pending]")
    # Meanwhile the office changes the same field.
    admin = server.client()
    admin.patch(
        f"/api/customers/{customer['id']}", json={"phone": "+372 5000 2222"}
    ).raise_for_status()
    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    page.goto("/#/sync")
    page.wait_for_selector("#conflicts")
    conflict = page.locator("#conflicts [data-conflict=phone]")
    assert conflict.count() == 1
    text = conflict.inner_text()
    assert "+372 5000 1111" in text and "+372 5000 2222" in text
    server_phone = admin.get(f"/api/customers/{customer['id']}").json()["phone"]
    assert server_phone in text
    page.goto(f"/#/customer/{customer['id']}")
    page.wait_for_selector("#timeline", state="attached")
    assert server_phone in page.inner_text("main")
