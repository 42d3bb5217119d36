"""The client side of the sync protocol against the real server: reset, gaps, lost answers, 503."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Server, logged_in_and_synced, sync_now

pytestmark = pytest.mark.e2e

PHONE_CHANGE = """([id, phone]) => window.rounds.outbox.add(
  {collection: 'customers', op: 'update', id, fields: {phone}})"""


def _count(page: Any, store: str) -> int:
    return int(page.evaluate(f"window.rounds.store.count('{store}')"))


def _server_phone(server: Server, customer_id: str) -> str:
    return str(server.client().get(f"/api/customers/{customer_id}").json()["phone"])


def test_reset_clears_the_replica_keeps_the_outbox_and_pulls_again(
    server: Server, new_phone: Any
) -> None:
    customer = server.seed["customers"][40]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    full = _count(page, "customers")
    ctx.set_offline(True)
    page.evaluate(PHONE_CHANGE, [customer["id"], "+372 5000 4040"])
    # A cursor the server cannot serve (tampered): it must answer reset, never an empty page.
    page.evaluate("window.rounds.store.setMeta('cursor', 'tampered-cursor')")
    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    assert _count(page, "customers") == full
    assert _count(page, "outbox") == 0
    assert _server_phone(server, customer["id"]) == "+372 5000 4040"
    assert page.evaluate("window.rounds.store.meta('cursor')") != "tampered-cursor"


def test_a_gap_in_mids_is_closed_by_renumbering_the_unsent_changes(
    server: Server, new_phone: Any
) -> None:
    customer = server.seed["customers"][41]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    # The device believes it is far ahead of what the server has applied.
    page.evaluate("window.rounds.store.setMeta('next_mid', 57)")
    page.evaluate(PHONE_CHANGE, [customer["id"], "+372 5000 4141"])
    assert page.evaluate("window.rounds.store.all('outbox')")[0]["mid"] == 57
    assert sync_now(page) == "ok"
    assert _count(page, "outbox") == 0
    assert _server_phone(server, customer["id"]) == "+372 5000 4141"


def test_a_lost_push_response_is_retried_and_applied_once(server: Server, new_phone: Any) -> None:
    customer = server.seed["customers"][42]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    lost: list[int] = []

    def lose_first_response(route: Any) -> None:
        if lost:
            route.continue_()
            return
        route.fetch()  # the server applies the push ...
        lost.append(1)
        route.abort("connectionreset")  # ... but the answer never reaches the phone

    ctx.route("**/api/sync/push", lose_first_response)
    page.evaluate(PHONE_CHANGE, [customer["id"], "+372 5000 4242"])
    assert sync_now(page) == "offline"
    assert page.evaluate("window.rounds.store.all('outbox')")[0]["state"] == "pending"
    assert sync_now(page) == "ok"  # the same mid again: the server answers duplicate
    assert _count(page, "outbox") == 0
    row = page.evaluate(f"window.rounds.store.get('customers', '{customer['id']}')")
    assert row["_status"] == "synced" and row["phone"] == "+372 5000 4242"
    on_server = server.client().get(f"/api/customers/{customer['id']}").json()
    assert on_server["version"] == row["version"], "applied once: one version step"


def test_server_busy_is_retried_after_retry_after(server: Server, new_phone: Any) -> None:
    customer = server.seed["customers"][43]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    busy: list[int] = []

    def busy_once(route: Any) -> None:
        if busy:
            route.continue_()
            return
        busy.append(1)
        route.fulfill(
            status=503,
            headers={"Retry-After": "1", "Content-Type": "application/problem+json"},
            body='{"type": "about:blank", "title": "Service Unavailable", "status": 503}',
        )

    ctx.route("**/api/sync/push", busy_once)
    page.evaluate(PHONE_CHANGE, [customer["id"], "+372 5000 4343"])
    assert sync_now(page) == "retrying"
    page.wait_for_selector("[data-sync=retrying]")
    # Nobody presses anything: the client tries again after the server's Retry-After.
    page.wait_for_function("window.rounds.sync.status.state === 'ok'", timeout=10000)
    assert _count(page, "outbox") == 0
    assert _server_phone(server, customer["id"]) == "+372 5000 4343"
