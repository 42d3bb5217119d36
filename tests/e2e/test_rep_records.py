"""The rep's records made with no signal, then synced: a prospect with a hand-set pin and a
contact, a contact and a note without a visit, address and opening hours, orders changed,
cancelled and repeated, a too-far check-in with its reason, and a check-in that leaves a
future planned visit alone. Each ends in the server's central history with author and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from .conftest import BASE_LAT, BASE_LNG, Server, logged_in_and_synced, page_items, sync_now

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")
REP = "rep@example.com"


@pytest.fixture
def phone(new_phone: Any) -> Any:
    """A phone of a given size and position, with its own storage."""

    def make(
        width: int = 390, height: int = 844, lat: float = BASE_LAT, lng: float = BASE_LNG
    ) -> Any:
        return new_phone(size=(width, height), scale=1, lat=lat, lng=lng)

    return make


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def _history(server: Server, customer_id: str) -> list[dict[str, Any]]:
    return page_items(server.client().get(f"/api/customers/{customer_id}/history"))


def _recent(at: str | None, before: datetime) -> bool:
    return at is not None and datetime.fromisoformat(at) >= before - timedelta(seconds=5)


def _no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_prospect_contact_and_note_made_offline_reach_the_history(
    server: Server, phone: Any
) -> None:
    ctx = phone()
    page = ctx.new_page()
    logged_in_and_synced(page, REP)
    started = datetime.now(UTC)
    ctx.set_offline(True)

    page.goto("/#/customers")
    page.click("#action-prospect")
    page.fill("input[name=name]", "Pagarikoda Uus Leib")
    page.fill("input[name=street]", "Tartu mnt 80")
    page.fill("input[name=postal_code]", "10112")
    page.fill("input[name=city]", "Tallinn")
    page.fill("input[name=phone]", "+372 5123 4567")
    page.fill("input[name=contact_name]", "Kadri Kask")
    page.fill("input[name=contact_phone]", "+372 5123 0000")
    page.wait_for_selector("#prospect-map[data-ready='1']")
    # Offline there are no tiles: a plain background, and the pin still moves by a tap.
    page.click("#prospect-map", position={"x": 120, "y": 90})
    pin = page.get_attribute("#prospect-map", "data-pin")
    assert pin and page.inner_text("#prospect-map-state") == "Pin set by hand"
    _no_horizontal_scroll(page)
    _shot(page, "rep-prospect.png")
    page.click("#prospect-save")
    page.wait_for_selector("#action-contact")
    assert page.inner_text("h1").startswith("Pagarikoda Uus Leib")
    prospect_id = page.evaluate("location.hash.split('/')[2]")

    page.click("#action-contact")
    page.fill("input[name=name]", "Peeter Pood")
    page.fill("input[name=title]", "Buyer")
    page.fill("input[name=phone]", "+372 5999 1111")
    page.click("#contact-save")
    page.wait_for_selector("#action-note")
    page.click("#action-note")
    page.fill("textarea[name=note]", "Wants samples of the rye bread on Monday")
    page.click("#note-save")
    page.wait_for_selector("#timeline [data-kind=note]")
    assert "rye bread" in page.inner_text("#timeline [data-kind=note]")
    assert page.locator("nav [data-pending]").inner_text() == "4"  # customer, 2 contacts, note
    assert sync_now(page) == "offline"

    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    page.wait_for_selector("nav [data-pending]", state="detached")

    admin = server.client()
    customer = admin.get(f"/api/customers/{prospect_id}").json()
    assert customer["name"] == "Pagarikoda Uus Leib" and customer["segment"] == "prospect"
    lat, lng = (float(x) for x in pin.split(","))
    assert (customer["lat"], customer["lng"], customer["geocode_quality"]) == (lat, lng, "manual")
    contacts = admin.get(f"/api/customers/{prospect_id}/contacts").raise_for_status().json()
    assert sorted(c["name"] for c in contacts) == ["Kadri Kask", "Peeter Pood"]
    history = _history(server, prospect_id)
    kinds = sorted(e["kind"] for e in history)
    assert kinds == ["contact_added", "contact_added", "customer_created", "note"], kinds
    assert {e["actor_name"] for e in history} == {"Riina Rep"}
    assert all(_recent(e["captured_at"], started) for e in history)
    note = next(e for e in history if e["kind"] == "note")
    assert "rye bread" in note["summary"]


def _order(rep: Any, customer: dict[str, Any], products: list[dict[str, Any]]) -> dict[str, Any]:
    body = {
        "customer_id": customer["id"],
        "lines": [{"product_id": p["id"], "quantity": "2"} for p in products],
    }
    r = rep.post("/api/orders", json=body)
    r.raise_for_status()
    return dict(r.json())


def test_orders_changed_cancelled_and_repeated_offline(server: Server, phone: Any) -> None:
    customer = server.seed["customers"][41]
    products = server.seed["products"]
    rep_api, manager = server.client(REP), server.client("manager@example.com")
    to_edit = _order(rep_api, customer, products[:2])
    to_cancel = _order(rep_api, customer, products[2:3])
    confirmed = _order(rep_api, customer, products[3:5])
    too_late = _order(rep_api, customer, products[5:6])
    manager.post(f"/api/orders/{confirmed['id']}/status", json={"status": "confirmed"})

    ctx = phone()
    page = ctx.new_page()
    logged_in_and_synced(page, REP)
    started = datetime.now(UTC)
    ctx.set_offline(True)
    page.goto(f"/#/customer/{customer['id']}")
    page.wait_for_selector("#order-list")
    badges = dict(
        page.eval_on_selector_all(
            "#order-list [data-order]",
            "els => els.map(e => [e.dataset.order,"
            " e.querySelector('[data-order-status]').dataset.orderStatus])",
        )
    )
    page.locator("#order-list").scroll_into_view_if_needed()
    _shot(page, "rep-order-list.png")
    assert badges[confirmed["number"]] == "confirmed"
    assert badges[to_edit["number"]] == "submitted"

    # Change: the first line to 5, at today's prices.
    page.click(f"#order-list [data-order='{to_edit['number']}']")
    page.click("#edit-order")
    page.fill("[data-line] input.qty >> nth=0", "5")
    new_total = page.get_attribute("[data-total]", "data-total")
    page.click("#place-order")
    page.wait_for_selector("#cancel-order")
    assert page.get_attribute("[data-total]", "data-total") == new_total
    _no_horizontal_scroll(page)
    _shot(page, "rep-order-edit.png")

    # Cancel another one (asked twice).
    page.goto(f"/#/order/{customer['id']}/{to_cancel['id']}")
    shown = f"[data-order-id='{to_cancel['id']}']"  # not the order shown before
    page.wait_for_selector(f"{shown} #cancel-order")
    assert not page.is_visible(f"{shown} #cancel-order-yes")
    page.click(f"{shown} #cancel-order")
    page.click(f"{shown} #cancel-order-yes")
    page.wait_for_selector("#order-list")

    # A confirmed order can no longer be changed; it can be repeated, at today's prices.
    page.goto(f"/#/order/{customer['id']}/{confirmed['id']}")
    page.wait_for_selector("#order-again")
    assert page.locator("#edit-order").count() == 0
    page.click("#order-again")
    page.wait_for_selector("[data-line]")
    assert page.locator("[data-line]").count() == 2
    page.click("#place-order")
    # Back to the customer, or to the rep's visit there if one is still open (another test's).
    page.wait_for_function("/^#\\/(customer|visit)\\//.test(location.hash)")
    page.goto(f"/#/customer/{customer['id']}")
    page.wait_for_selector("#order-list")
    draft = page.locator("#order-list [data-order-status=draft]")
    assert draft.count() == 1 and draft.inner_text() == "Not sent yet"

    # Changed offline while the office confirms it: the change comes back refused.
    page.goto(f"/#/order/{customer['id']}/{too_late['id']}")
    page.click("#edit-order")
    page.fill("[data-line] input.qty >> nth=0", "7")
    page.click("#place-order")
    page.wait_for_selector("#cancel-order")
    manager.post(f"/api/orders/{too_late['id']}/status", json={"status": "confirmed"})

    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    page.goto(f"/#/customer/{customer['id']}")
    page.click(f"#order-list [data-order='{too_late['number']}']")
    refused = page.wait_for_selector("#order-rejected")
    assert refused.inner_text().startswith("The office confirmed this order before your change")

    edited = manager.get(f"/api/orders/{to_edit['id']}").json()
    assert [str(Decimal(x["quantity"]).normalize()) for x in edited["lines"]] == ["5", "2"]
    assert Decimal(edited["total"]) == Decimal(new_total) and edited["status"] == "submitted"
    assert manager.get(f"/api/orders/{to_cancel['id']}").json()["status"] == "cancelled"
    late = manager.get(f"/api/orders/{too_late['id']}").json()
    assert late["status"] == "confirmed" and Decimal(late["lines"][0]["quantity"]) == 2
    orders = page_items(manager.get("/api/orders", params={"customer_id": customer["id"]}))
    assert len(orders) == 5
    repeat = next(
        o
        for o in orders
        if o["id"] not in {to_edit["id"], to_cancel["id"], confirmed["id"], too_late["id"]}
    )
    lines = manager.get(f"/api/orders/{repeat['id']}").json()["lines"]
    assert [x["product_id"] for x in lines] == [p["id"] for p in products[3:5]]
    history = _history(server, customer["id"])
    by_kind = {(e["kind"], e["ref_id"]): e for e in history}
    change = by_kind[("order_edited", to_edit["id"])]
    cancel = by_kind[("order_status", to_cancel["id"])]
    for entry in (change, cancel):
        assert entry["actor_name"] == "Riina Rep" and _recent(entry["captured_at"], started)
    assert ("order_edited", too_late["id"]) not in by_kind


def test_address_and_opening_hours_edited_offline_on_a_small_screen(
    server: Server, phone: Any
) -> None:
    customer = server.seed["customers"][43]
    ctx = phone(320, 480)
    page = ctx.new_page()
    logged_in_and_synced(page, REP)
    started = datetime.now(UTC)
    ctx.set_offline(True)
    page.goto(f"/#/customer/{customer['id']}")
    page.click("#action-edit-address")
    page.wait_for_selector("#hours-editor")
    legends = page.eval_on_selector_all(
        "#hours-editor legend", "els => els.map(e => e.textContent)"
    )
    assert legends == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ]  # fmt: skip
    page.fill("input[name=street]", "Kopli 99")
    # Monday: opens 08:00, closes 16:00; every other day closed.
    page.check("[data-day=mon] input[name=closed-mon]")
    page.uncheck("[data-day=mon] input[name=closed-mon]")
    page.fill("input[name=mon-0-from]", "08:00")
    page.fill("input[name=mon-0-to]", "16:00")
    page.wait_for_selector("#customer-map[data-ready='1']")
    page.click("#customer-map", position={"x": 60, "y": 60})
    pin = page.get_attribute("#customer-map", "data-pin")
    assert pin
    _no_horizontal_scroll(page)
    page.locator("#hours-editor").scroll_into_view_if_needed()
    _shot(page, "rep-customer-edit.png")
    page.click("#customer-edit-save")
    page.wait_for_selector("#action-edit-address")
    assert "Kopli 99" in page.inner_text("p.muted >> nth=0")

    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    row = server.client().get(f"/api/customers/{customer['id']}").json()
    lat, lng = (float(x) for x in pin.split(","))
    assert row["street"] == "Kopli 99"
    assert row["opening_hours"] == {"mon": [["08:00", "16:00"]]}
    assert (row["lat"], row["lng"], row["geocode_quality"]) == (lat, lng, "manual")
    changed = [e for e in _history(server, customer["id"]) if e["kind"] == "customer_updated"]
    assert len(changed) == 1
    assert changed[0]["actor_name"] == "Riina Rep" and _recent(changed[0]["captured_at"], started)
    assert set(changed[0]["data"]["fields"]) == {"street", "opening_hours", "lat", "lng"}


def test_too_far_check_in_asks_why_and_leaves_a_future_planned_visit(
    server: Server, phone: Any
) -> None:
    customer = server.seed["customers"][44]
    due = (datetime.now(UTC) + timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)
    planned = (
        server.client(REP)
        .post("/api/visits", json={"customer_id": customer["id"], "planned_start": due.isoformat()})
        .raise_for_status()
        .json()
    )
    # Other tests share the server and may plan this customer for other reps (a published
    # team plan): only the visit this check-in makes is new.
    before = {
        v["id"]
        for v in page_items(
            server.client().get("/api/visits", params={"customer_id": customer["id"]})
        )
    }
    # About 1.1 km north of the customer's pin.
    ctx = phone(lat=customer["lat"] + 0.01, lng=customer["lng"])
    page = ctx.new_page()
    logged_in_and_synced(page, REP)
    started = datetime.now(UTC)
    ctx.set_offline(True)
    page.goto(f"/#/customer/{customer['id']}")
    planned_row = page.locator("#timeline [data-kind=visit]").first
    day = page.evaluate(
        "d => new Intl.DateTimeFormat(document.documentElement.lang, {dateStyle: 'medium'})"
        ".format(new Date(d))",
        due.isoformat(),
    )
    assert f"due {day}" in planned_row.inner_text()
    page.goto(f"/#/visit/{customer['id']}")
    assert day in page.inner_text("#check-in-planned")
    page.click("#check-in")
    page.wait_for_selector("#far-reason-form")
    page.click("#far-confirm")
    assert page.inner_text("#far-reason-form [role=alert]") == "Pick a reason."
    page.select_option("#far-reason", "met_elsewhere")
    page.fill("#far-note", "At the farmers' market stall")
    _no_horizontal_scroll(page)
    _shot(page, "rep-far-reason.png")
    page.click("#far-confirm")
    page.wait_for_selector("[data-verification=too_far]")
    assert "Met the customer elsewhere" in page.inner_text(".far-why")

    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    visits = page_items(server.client().get("/api/visits", params={"customer_id": customer["id"]}))
    by_id = {v["id"]: v for v in visits}
    assert by_id[planned["id"]]["status"] == "planned"
    assert by_id[planned["id"]]["planned_start"].startswith(due.strftime("%Y-%m-%dT09:00"))
    made = [v for v in visits if v["id"] not in before]
    assert len(made) == 1 and made[0]["status"] == "checked_in"
    assert (made[0]["check_in_reason"], made[0]["check_in_reason_note"]) == (
        "met_elsewhere",
        "At the farmers' market stall",
    )
    checks = [
        e for e in _history(server, customer["id"]) if e["data"].get("reason") == "met_elsewhere"
    ]
    assert len(checks) == 1 and checks[0]["actor_name"] == "Riina Rep"
    assert _recent(checks[0]["captured_at"], started)
    assert "farmers' market" in checks[0]["summary"]


def test_a_planned_visit_picked_on_the_timeline_is_the_one_checked_in(
    server: Server, phone: Any
) -> None:
    customer = server.seed["customers"][46]
    due = (datetime.now(UTC) + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    planned = (
        server.client(REP)
        .post("/api/visits", json={"customer_id": customer["id"], "planned_start": due.isoformat()})
        .raise_for_status()
        .json()
    )
    # Other tests may have visited this customer already: only these visits are ours to check.
    before = {
        v["id"]
        for v in page_items(
            server.client().get("/api/visits", params={"customer_id": customer["id"]})
        )
    }
    ctx = phone(320, 480, lat=customer["lat"] + 0.0002, lng=customer["lng"])
    page = ctx.new_page()
    logged_in_and_synced(page, REP)
    ctx.set_offline(True)
    page.goto(f"/#/customer/{customer['id']}")
    page.click(f"#timeline a[href$='{planned['id']}']")
    assert page.inner_text("#visit-due").startswith("due ")
    page.click("#check-in")
    page.wait_for_selector("[data-verification=verified]")
    _no_horizontal_scroll(page)
    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    visits = page_items(server.client().get("/api/visits", params={"customer_id": customer["id"]}))
    # The planned visit was the one checked in, and no new visit was made.
    assert {v["id"] for v in visits} == before
    assert next(v["status"] for v in visits if v["id"] == planned["id"]) == "checked_in"
