"""Issue 18: the rep's flows done with no signal and synced, on a 390×844 and a 320×480 phone.

Each flow goes through the screens as a rep would (taps, typing) with the context offline,
checks that the outbox holds the work as waiting, goes back online, syncs, and then checks the
server's central history: the entry's kind, its actor (the rep: id, name, role) and its time,
which is when the rep did it on the phone (within a minute), not when it reached the server.

Customers used only here: seeded customers[32], [33] and [54] to [59].
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from .camera_photo import camera_jpeg
from .conftest import BASE_LAT, BASE_LNG, Server, logged_in_and_synced, page_items

pytestmark = pytest.mark.e2e

REP = "rep@example.com"
SIZES = {"390x844": (390, 844), "320x480": (320, 480)}
# Per size: the customers one test works on, so the two sizes never share a customer.
RECORDS = {"390x844": 54, "320x480": 55}
ORDERS = {"390x844": 56, "320x480": 57}
VISITED = {"390x844": 58, "320x480": 59}
TOO_FAR = {"390x844": 32, "320x480": 33}


@pytest.fixture
def phone(new_phone: Any) -> Any:
    """A phone of the given size in the reps' time zone, with its own storage."""

    def make(size: str, lat: float = BASE_LAT, lng: float = BASE_LNG) -> Any:
        return new_phone(size=SIZES[size], scale=1, lat=lat, lng=lng)

    return make


@pytest.fixture(scope="module")
def photo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A camera-like JPEG, smaller than a real one so the phone compresses it quickly."""
    return camera_jpeg(tmp_path_factory.mktemp("photo") / "IMG_0018.jpg", width=2000, height=1500)


def _page(ctx: Any) -> tuple[Any, list[str]]:
    """The rep's app, logged in and synced; its uncaught errors are collected."""
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    logged_in_and_synced(page, REP)
    return page, errors


def _now() -> datetime:
    return datetime.now(UTC)


def _history(server: Server, customer_id: str) -> list[dict[str, Any]]:
    return page_items(
        server.client().get(f"/api/customers/{customer_id}/history", params={"limit": 100})
    )


def _by_the_rep_at(server: Server, entry: dict[str, Any], did: datetime, online: datetime) -> None:
    """The entry names the rep and the moment on the phone, though it arrived later."""
    rep = server.seed["rep"]
    assert entry["actor"] == {"id": rep["id"], "name": "Riina Rep", "role": "rep"}, entry
    captured = datetime.fromisoformat(entry["captured_at"])
    assert abs(captured - did) < timedelta(minutes=1), (entry["kind"], captured, did)
    # Done before the phone was back online; recorded by the server only after.
    assert captured <= online, (entry["kind"], captured, online)
    assert datetime.fromisoformat(entry["recorded_at"]) >= online - timedelta(seconds=1)


def _waiting(page: Any, count: int) -> None:
    """The sync screen lists the work as waiting, and the tab bar counts it."""
    page.evaluate("location.hash = '#/sync'")
    page.wait_for_function(
        """n => {
          const badge = document.querySelector('nav [data-pending]');
          const rows = document.querySelectorAll('[data-mid] .badge-pending');
          return badge && badge.textContent === String(n) && rows.length === n;
        }""",
        arg=count,
    )


def _online_and_synced(ctx: Any, page: Any) -> datetime:
    """Back online: the phone syncs by itself, until nothing waits."""
    online = _now()
    ctx.set_offline(False)
    page.evaluate("window.rounds.sync.run()")
    page.wait_for_function(
        "window.rounds.sync.status.state === 'ok' && !document.querySelector('nav [data-pending]')",
        timeout=30000,
    )
    return online


def _until(check: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    """Poll the server until check() answers (an upload finishes on its own time)."""
    deadline = time.monotonic() + timeout
    while (found := check()) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} after {timeout} s")
        time.sleep(0.2)
    return found


def _no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", list(SIZES))
def test_prospect_contacts_notes_address_and_hours_offline(
    server: Server, phone: Any, size: str
) -> None:
    shop = server.seed["customers"][RECORDS[size]]
    ctx = phone(size)
    page, errors = _page(ctx)
    ctx.set_offline(True)
    did: dict[str, datetime] = {}

    # A prospect with a contact, its pin set by a tap on the map (no tiles offline).
    page.goto("/#/customers")
    page.click("#action-prospect")
    name = f"Leivapood {size}"
    page.fill("input[name=name]", name)
    page.fill("input[name=street]", "Tartu mnt 81")
    page.fill("input[name=city]", "Tallinn")
    page.fill("input[name=contact_name]", "Kadri Kask")
    page.fill("input[name=contact_phone]", "+372 5123 0001")
    page.wait_for_selector("#prospect-map[data-ready='1']")
    page.click("#prospect-map", position={"x": 100, "y": 80})
    _no_horizontal_scroll(page)
    did["prospect"] = _now()
    page.click("#prospect-save")
    page.wait_for_selector("#action-contact")
    prospect_id = page.evaluate("location.hash.split('/')[2]")

    # A second contact and a note without a visit, on the prospect.
    page.click("#action-contact")
    page.fill("input[name=name]", "Peeter Pood")
    page.fill("input[name=phone]", "+372 5999 1112")
    did["prospect_contact"] = _now()
    page.click("#contact-save")
    page.click("#action-note")
    page.fill("textarea[name=note]", "Wants rye bread samples")
    did["prospect_note"] = _now()
    page.click("#note-save")
    page.wait_for_selector("#timeline [data-kind=note]")

    # An existing customer: a contact, a note, then the address and Monday's hours.
    page.goto(f"/#/customer/{shop['id']}")
    page.click(f"#action-contact[href='#/contact/{shop['id']}']")  # not the prospect's screen
    page.fill("input[name=name]", "Mari Müük")
    page.fill("input[name=title]", "Manager")
    did["contact"] = _now()
    page.click("#contact-save")
    page.click("#action-note")
    page.fill("textarea[name=note]", "Closed for stocktaking next Friday")
    did["note"] = _now()
    page.click("#note-save")
    page.wait_for_selector("#timeline [data-kind=note]")
    page.click("#action-edit-address")
    page.wait_for_selector("#hours-editor")
    page.fill("input[name=street]", f"Kopli {RECORDS[size]}")
    page.uncheck("[data-day=mon] input[name=closed-mon]")
    page.fill("input[name=mon-0-from]", "09:00")
    page.fill("input[name=mon-0-to]", "17:30")
    _no_horizontal_scroll(page)
    did["address"] = _now()
    page.click("#customer-edit-save")
    page.wait_for_selector("#action-edit-address")
    # prospect, 2 contacts and a note on it; a contact, a note and the edit on the shop
    _waiting(page, 7)

    online = _online_and_synced(ctx, page)
    assert errors == []

    admin = server.client()
    prospect = admin.get(f"/api/customers/{prospect_id}").raise_for_status().json()
    assert (prospect["name"], prospect["segment"]) == (name, "prospect")
    row = admin.get(f"/api/customers/{shop['id']}").raise_for_status().json()
    assert row["street"] == f"Kopli {RECORDS[size]}"
    assert row["opening_hours"]["mon"] == [["09:00", "17:30"]]

    history = _history(server, prospect_id)
    assert sorted(e["kind"] for e in history) == [
        "contact_added", "contact_added", "customer_created", "note",
    ]  # fmt: skip
    for e in history:
        when = {
            "customer_created": did["prospect"],
            "note": did["prospect_note"],
        }.get(e["kind"], did["prospect"] if "Kadri" in e["summary"] else did["prospect_contact"])
        _by_the_rep_at(server, e, when, online)
    assert "rye bread" in next(e for e in history if e["kind"] == "note")["summary"]

    mine = [
        e
        for e in _history(server, shop["id"])
        if datetime.fromisoformat(e["recorded_at"]) >= online - timedelta(seconds=1)
    ]
    by_kind = {e["kind"]: e for e in mine}
    assert sorted(by_kind) == ["contact_added", "customer_updated", "note"], mine
    assert "Mari Müük" in by_kind["contact_added"]["summary"]
    assert "stocktaking" in by_kind["note"]["summary"]
    assert set(by_kind["customer_updated"]["data"]["fields"]) >= {"street", "opening_hours"}
    _by_the_rep_at(server, by_kind["contact_added"], did["contact"], online)
    _by_the_rep_at(server, by_kind["note"], did["note"], online)
    _by_the_rep_at(server, by_kind["customer_updated"], did["address"], online)


def _order(rep: Any, customer: dict[str, Any], products: list[dict[str, Any]]) -> dict[str, Any]:
    body = {
        "customer_id": customer["id"],
        "lines": [{"product_id": p["id"], "quantity": "2"} for p in products],
    }
    return dict(rep.post("/api/orders", json=body).raise_for_status().json())


@pytest.mark.parametrize("size", list(SIZES))
def test_orders_changed_cancelled_repeated_and_a_quote_offline(
    server: Server, phone: Any, size: str
) -> None:
    shop = server.seed["customers"][ORDERS[size]]
    products = server.seed["products"]
    rep_api, manager = server.client(REP), server.client("manager@example.com")
    to_edit = _order(rep_api, shop, products[:2])
    to_cancel = _order(rep_api, shop, products[2:3])
    confirmed = _order(rep_api, shop, products[3:5])
    manager.post(
        f"/api/orders/{confirmed['id']}/status", json={"status": "confirmed"}
    ).raise_for_status()

    ctx = phone(size)
    page, errors = _page(ctx)
    ctx.set_offline(True)
    did: dict[str, datetime] = {}

    # Change a submitted order: the first line to 5.
    page.goto(f"/#/customer/{shop['id']}")
    page.click(f"#order-list [data-order='{to_edit['number']}']")
    page.click("#edit-order")
    page.fill("[data-line] input.qty >> nth=0", "5")
    new_total = page.get_attribute("[data-total]", "data-total")
    _no_horizontal_scroll(page)
    did["edit"] = _now()
    page.click("#place-order")
    page.wait_for_selector("#cancel-order")

    # Cancel another (asked twice).
    page.goto(f"/#/order/{shop['id']}/{to_cancel['id']}")
    shown = f"[data-order-id='{to_cancel['id']}']"  # not the order shown before
    page.wait_for_selector(f"{shown} #cancel-order")
    page.click(f"{shown} #cancel-order")
    did["cancel"] = _now()
    page.click(f"{shown} #cancel-order-yes")
    page.wait_for_selector("#order-list")

    # The confirmed one cannot be changed; it is repeated.
    page.goto(f"/#/order/{shop['id']}/{confirmed['id']}")
    page.wait_for_selector("#order-again")
    assert page.locator("#edit-order").count() == 0
    page.click("#order-again")
    page.wait_for_selector("[data-line] >> nth=1")
    did["repeat"] = _now()
    page.click("#place-order")
    page.wait_for_selector("#order-list [data-order-status=draft]")

    # A quote, saved without its PDF.
    page.goto(f"/#/customer/{shop['id']}")
    page.click("#action-quotes")
    page.click("#new-quote")
    page.fill("input.search", "cheese")
    page.click("#catalogue button")
    page.fill("[data-line] input.qty >> nth=0", "4")
    quote_total = page.get_attribute("[data-total]", "data-total")
    _no_horizontal_scroll(page)
    did["quote"] = _now()
    page.click("#quote-save")
    page.wait_for_function("/^#\\/quote\\/[\\w-]+\\/[\\w-]+$/.test(location.hash)")
    quote_id = page.evaluate("location.hash.split('/')[3]")
    _waiting(page, 4)  # the change, the cancel, the new order, the quote

    online = _online_and_synced(ctx, page)
    assert errors == []

    edited = manager.get(f"/api/orders/{to_edit['id']}").raise_for_status().json()
    assert [Decimal(x["quantity"]) for x in edited["lines"]] == [5, 2]
    assert Decimal(edited["total"]) == Decimal(new_total)
    assert manager.get(f"/api/orders/{to_cancel['id']}").json()["status"] == "cancelled"
    orders = page_items(manager.get("/api/orders", params={"customer_id": shop["id"]}))
    repeat = [o for o in orders if o["id"] not in {to_edit["id"], to_cancel["id"], confirmed["id"]}]
    assert len(repeat) == 1, orders
    lines = manager.get(f"/api/orders/{repeat[0]['id']}").json()["lines"]
    assert [x["product_id"] for x in lines] == [p["id"] for p in products[3:5]]
    quote = rep_api.get(f"/api/quotes/{quote_id}").raise_for_status().json()
    assert Decimal(str(quote["total"])) == Decimal(quote_total)

    history = _history(server, shop["id"])
    by = {(e["kind"], e["ref_id"]): e for e in history}
    _by_the_rep_at(server, by[("order_edited", to_edit["id"])], did["edit"], online)
    cancel = by[("order_status", to_cancel["id"])]
    assert "cancelled" in str(cancel["data"]).lower(), cancel
    _by_the_rep_at(server, cancel, did["cancel"], online)
    _by_the_rep_at(server, by[("order", repeat[0]["id"])], did["repeat"], online)
    made = by[("quote", quote_id)]
    assert made["data"]["action"] == "created"
    _by_the_rep_at(server, made, did["quote"], online)


@pytest.mark.parametrize("size", list(SIZES))
def test_visit_with_a_photo_and_a_too_far_check_in_offline(
    server: Server, phone: Any, size: str, photo_file: Path
) -> None:
    shop = server.seed["customers"][VISITED[size]]
    far = server.seed["customers"][TOO_FAR[size]]
    ctx = phone(size, lat=shop["lat"] + 0.0002, lng=shop["lng"])
    page, errors = _page(ctx)
    ctx.set_offline(True)
    did: dict[str, datetime] = {}

    # At the shop: check in, a photo, the outcome, check out.
    page.goto(f"/#/customer/{shop['id']}")
    page.click("#action-visit")
    did["check_in"] = _now()
    page.click("#check-in")
    page.wait_for_selector("[data-verification=verified]")
    did["photo"] = _now()
    page.set_input_files("#photo-input", str(photo_file))
    page.wait_for_function(
        "(() => { const t = document.querySelector('#visit-photos [data-photo]');"
        " return t && t.dataset.state === 'queued' && t.querySelector('img')?.naturalWidth > 0;"
        " })()"
    )
    photo_id = page.get_attribute("#visit-photos [data-photo]", "data-photo")
    page.select_option("select[name=outcome]", "ordered")
    page.fill("textarea[name=notes]", "New shelf by the door")
    _no_horizontal_scroll(page)
    did["check_out"] = _now()
    page.click("#check-out")
    page.wait_for_selector("#timeline")

    # About 1.1 km from the other customer: the phone asks why, then checks in.
    ctx.set_geolocation({"latitude": far["lat"] + 0.01, "longitude": far["lng"], "accuracy": 20})
    page.goto(f"/#/visit/{far['id']}")
    page.click("#check-in")
    page.wait_for_selector("#far-reason-form")
    page.select_option("#far-reason", "met_elsewhere")
    page.fill("#far-note", f"Met at the market ({size})")
    _no_horizontal_scroll(page)
    did["far"] = _now()
    page.click("#far-confirm")
    page.wait_for_selector("[data-verification=too_far]")
    # The visit (made and checked in, then out) and the far visit (made, checked in).
    _waiting(page, 5)

    online = _online_and_synced(ctx, page)
    assert errors == []

    # The photo goes up by its own queue, in chunks, once the phone is online.
    def with_the_photo() -> list[dict[str, Any]] | None:
        rows = _history(server, shop["id"])
        return rows if any(e["kind"] == "photo" for e in rows) else None

    entries = _until(with_the_photo, "photo in the history")

    visits = page_items(server.client().get("/api/visits", params={"customer_id": shop["id"]}))
    assert [(v["status"], v["notes"]) for v in visits] == [("done", "New shelf by the door")]
    steps = {e["data"].get("step"): e for e in entries if e["kind"] == "visit"}
    _by_the_rep_at(server, steps["check_in"], did["check_in"], online)
    _by_the_rep_at(server, steps["check_out"], did["check_out"], online)
    assert steps["check_in"]["data"]["verification"] == "verified"
    photos = [e for e in entries if e["kind"] == "photo"]
    assert [e["ref_id"] for e in photos] == [photo_id]
    assert photos[0]["data"]["visit_id"] == visits[0]["id"]
    _by_the_rep_at(server, photos[0], did["photo"], online)

    checks = [
        e
        for e in _history(server, far["id"])
        if e["kind"] == "visit" and e["data"].get("reason") == "met_elsewhere"
    ]
    assert len(checks) == 1, checks
    assert checks[0]["data"]["verification"] == "too_far"
    assert f"Met at the market ({size})" in checks[0]["summary"]
    _by_the_rep_at(server, checks[0], did["far"], online)
