"""A phone shared by two people: the first one's unsent work is never wiped (issue 18, item 5).

Before, a second user logging in on the same device cleared every store, the outbox included.
Now the login waits: it says whose changes are unsent, and once that person has logged in
again with a connection and sent them, the device changes hands.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.conftest import PASSWORD, Server, logged_in_and_synced, login, sync_now

pytestmark = pytest.mark.e2e


def test_a_second_user_waits_until_the_first_ones_unsent_work_is_sent(
    server: Server, new_phone: Any
) -> None:
    customer = server.seed["customers"][3]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    # Offline, the rep adds a note: it waits in the outbox.
    ctx.set_offline(True)
    note = str(uuid.uuid4())
    page.evaluate(
        """([id, customer]) => window.rounds.outbox.add({collection: 'history', op: 'create', id,
             fields: {customer_id: customer, kind: 'note', text: 'Wants the new price list'}})""",
        [note, customer["id"]],
    )
    page.goto("/#/settings")
    page.click("#logout")
    page.wait_for_selector("input[name=email]")
    ctx.set_offline(False)

    # Someone else logs in: refused with a reason, and the note is still queued.
    page.fill("input[name=email]", "manager@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    error = page.locator(".login .error")
    error.wait_for()
    page.wait_for_function("document.querySelector('.login .error').textContent.length > 0")
    assert "rep@example.com" in error.inner_text() and "unsent" in error.inner_text()
    queued = page.evaluate("window.rounds.outbox.pending().then((p) => p.map((e) => e.id))")
    assert queued == [note]

    # The rep logs in again, the note goes out; now the manager may take the phone.
    login(page, "rep@example.com")
    page.wait_for_function(
        "window.rounds.outbox.pending().then((p) => p.length === 0)", polling=200, timeout=30000
    )
    assert sync_now(page) == "ok"
    r = server.client().get(f"/api/customers/{customer['id']}/history")
    assert note in [e["id"] for e in r.json()["items"]]
    page.goto("/#/settings")
    page.click("#logout")
    page.wait_for_selector("input[name=email]")
    login(page, "manager@example.com")
    assert page.evaluate("window.rounds.outbox.pending().then((p) => p.length)") == 0
