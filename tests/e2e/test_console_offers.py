"""Offer campaigns in the console at 1280×800: compose an offer in two languages with an
image, watch the live count follow the filters, preview the push, send it; a real worker
fans it out and the customer's phone (Russian) shows it in Russian with the image."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from PIL import Image, ImageDraw

from notifications.core import push_message
from notifications.payload import encode_payload

from . import test_office_console as office
from .conftest import PASSWORD, ROOT, ROUNDS, Server, _env, wait_controlled
from .phones import open_app
from .test_office_console import desk_login
from .test_push_notifications import _registration_id, _until
from .test_pwa_customer_app import _shop_owner

pytestmark = pytest.mark.e2e
desk = office.desk  # the console's 1280×800 browser fixture
SHOTS = Path("/tmp/shots")


def _count(page: Any) -> int:
    return int(page.get_attribute("#offer-count", "data-customers") or -1)


def _count_becomes(page: Any, check: Any) -> int:
    page.wait_for_function(
        "(prev) => { const n = document.querySelector('#offer-count')?.dataset.customers;"
        " return n !== undefined && n !== prev; }",
        arg=str(page.get_attribute("#offer-count", "data-customers")),
    )
    value = _count(page)
    assert check(value), value
    return value


def test_compose_two_languages_image_live_count_preview_send_and_a_phone_gets_it(
    server: Server, desk: Any, browser: Any, tmp_path: Path
) -> None:
    seed = server.seed
    shop = seed["customers"][23]
    sprats, soap = seed["products"][6], seed["products"][5]
    # The shop bought sprats (never dish soap); its owner reads Russian and takes offers.
    server.client("rep@example.com").post(
        "/api/orders",
        json={"customer_id": shop["id"], "lines": [{"product_id": sprats["id"], "quantity": "3"}]},
    ).raise_for_status()
    email, owner = _shop_owner(server, shop["id"], locale="ru")
    owner.post("/api/offers/opt-in").raise_for_status()

    page = desk().new_page()
    desk_login(page, "manager@example.com")
    page.click("nav.console-nav a[data-nav=offers]")
    page.wait_for_selector("#offers")
    page.click("#new-offer")
    page.wait_for_selector("#offer-compose")
    page.wait_for_function("document.querySelector('#offer-count')?.dataset.customers")
    everyone = _count(page)
    assert everyone >= 60  # the whole region

    # Texts: English (the default) and Russian.
    page.select_option("#offer-language", "en")
    page.click(".lang-tabs [data-lang=en]")
    page.fill("#offer-title", "Sprats week")
    page.fill("#offer-text", "Sprats in oil, 3 for 2")
    page.click(".lang-tabs [data-lang=ru]")
    assert page.input_value("#offer-title") == ""
    page.fill("#offer-title", "Неделя шпрот")
    page.fill("#offer-text", "Шпроты в масле, 3 по цене 2")
    page.fill("#offer-discount", "30")

    # An image: a PNG, converted by the server and shown back.
    png = tmp_path / "sprats.png"
    img = Image.new("RGBA", (1600, 900), (18, 60, 120, 255))
    draw = ImageDraw.Draw(img)
    for i in range(7):  # a tin of sprats, more or less
        draw.ellipse((260 + i * 150, 300, 420 + i * 150, 620), fill=(200, 205, 215, 255))
        draw.ellipse((300 + i * 150, 340, 330 + i * 150, 370), fill=(20, 20, 20, 255))
    draw.rounded_rectangle((180, 220, 1420, 700), radius=60, outline=(240, 190, 40, 255), width=24)
    out = io.BytesIO()
    img.save(out, "PNG")
    png.write_bytes(out.getvalue())
    page.set_input_files("#offer-image", str(png))
    page.wait_for_selector("#offer-image-preview")
    assert "1200×675 JPEG" in page.inner_text("#offer-image-note")
    page.wait_for_function("document.querySelector('#offer-image-preview').naturalWidth === 1200")

    # The audience: each filter changes the live count.
    page.select_option("#offer-bought", sprats["id"])
    bought = _count_becomes(page, lambda n: 1 <= n < everyone)
    page.select_option("#offer-never", sprats["id"])
    _count_becomes(page, lambda n: n == 0)
    page.select_option("#offer-never", soap["id"])
    _count_becomes(page, lambda n: 1 <= n <= bought)
    page.fill("#offer-segments", "no-such-segment")
    _count_becomes(page, lambda n: n == 0)
    page.fill("#offer-segments", "")
    _count_becomes(page, lambda n: n >= 1)
    assert "get the push: " in page.inner_text("#offer-count")

    # The push preview, as a Russian reader sees it, with the image.
    page.select_option("#offer-preview-lang", "ru")
    preview = page.locator("#offer-push-preview")
    assert preview.locator(".push-title").inner_text() == "Неделя шпрот"
    assert "Шпроты в масле, 3 по цене 2 (-30%)" in preview.inner_text()
    assert preview.locator("img.push-image").count() == 1
    page.select_option("#offer-preview-lang", "et")  # no Estonian text: the default
    assert preview.locator(".push-title").inner_text() == "Sprats week"
    page.select_option("#offer-preview-lang", "ru")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "console-offers.png"))

    page.click("#offer-send")
    row = page.locator("#offers-table tr[data-offer='Sprats week']")
    row.wait_for()
    assert row.locator(".badge").inner_text() == "scheduled"
    assert row.locator("img.offer-thumb").count() == 1
    assert "goes out within a minute" in page.inner_text("#offer-note")

    # A worker fans it out; the owner's inbox holds it in Russian.
    env = _env(server.data_dir, 0) | {"ROUNDS_PUSH_POLL_MS": "100"}
    worker = subprocess.Popen(
        [ROUNDS, "worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        inbox = _until(
            lambda: [n for n in owner.get("/api/notifications").json() if n["kind"] == "offer"],
            timeout=30,
            what="the offer in the owner's inbox",
        )
    finally:
        worker.terminate()
        worker.wait(10)
    note = inbox[0]
    assert note["title"] == "Неделя шпрот" and note["body"] == "Шпроты в масле, 3 по цене 2 (-30%)"
    assert note["data"]["image_url"].startswith("/api/offers/images/")

    # The owner's phone shows the push (handed to its service worker) with the image.
    phone = browser.new_context(
        bypass_csp=True,
        base_url=server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
        service_workers="allow",
    )
    try:
        phone.grant_permissions(["notifications"], origin=server.url)
        ppage = phone.new_page()
        login_customer(ppage, email)
        wait_controlled(ppage)
        cdp = phone.new_cdp_session(ppage)
        registration = _registration_id(cdp, ppage, server.url)
        payload = encode_payload(
            push_message(
                UUID(note["id"]),
                note["kind"],
                note["title"],
                note["body"],
                note["url"],
                note["data"],
            )
        )
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": server.url, "registrationId": registration, "data": payload.decode()},
        )
        shown = _until(
            lambda: ppage.evaluate(
                """() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
                 .then((ns) => ns.map((n) => ({title: n.title, body: n.body, image: n.image})))"""
            ),
            what="the notification to be shown",
        )
        assert shown[0]["title"] == "Неделя шпрот"
        assert shown[0]["image"].endswith(note["data"]["image_url"])
        # The offer's own screen: Russian words and the picture.
        ppage.goto(f"/#/offer/{note['data']['offer_id']}")
        ppage.wait_for_selector("#offer h1")
        assert ppage.inner_text("#offer h1") == "Неделя шпрот"
        ppage.wait_for_function("document.querySelector('#offer img.offer-img')?.naturalWidth > 0")
        ppage.screenshot(path=str(SHOTS / "customer-offer-ru.png"))
    finally:
        phone.close()

    # Back in the console: sent, and displayed once the phone reported it.
    _until(lambda: owner.get("/api/notifications").json()[0]["displayed_at"], what="display")
    page.reload()
    row = page.locator("#offers-table tr[data-offer='Sprats week']")
    row.wait_for()
    assert row.locator(".badge").inner_text() == "sent"
    assert row.locator("[data-step=sent] b").inner_text() == "1"
    assert row.locator("[data-step=displayed] b").inner_text() == "1"
    assert row.locator("[data-step=clicked] b").inner_text() == "0"
    page.screenshot(path=str(SHOTS / "console-offers-sent.png"))


def login_customer(page: Any, email: str) -> None:
    page.goto("/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_function("location.hash.startsWith('#/my')")


def test_the_reps_customer_history_names_who_changed_what(server: Server, tall_phone: Any) -> None:
    shop = server.seed["customers"][31]
    manager = server.client("manager@example.com")
    manager.patch(
        f"/api/customers/{shop['id']}", json={"phone": "+372 5123 4567"}
    ).raise_for_status()
    # The rep takes an order, the office moves it three times, the shop asks for it again.
    products = server.seed["products"]
    order = (
        server.client("rep@example.com")
        .post(
            "/api/orders",
            json={
                "customer_id": shop["id"],
                "lines": [{"product_id": products[0]["id"], "quantity": "3"}],
            },
        )
        .raise_for_status()
        .json()
    )
    admin = server.client()
    for status in ("confirmed", "shipped", "delivered"):
        admin.post(f"/api/orders/{order['id']}/status", json={"status": status}).raise_for_status()
    _, owner = _shop_owner(server, shop["id"])
    owner.post(f"/api/orders/{order['id']}/reorder-request").raise_for_status()

    page = open_app(tall_phone(), "rep@example.com", PASSWORD)
    page.goto(f"/#/customer/{shop['id']}")
    entry = page.locator("#timeline [data-kind=customer_updated]").first
    entry.wait_for()
    actor = entry.locator(".actor")
    assert actor.get_attribute("data-actor-role") == "manager"
    assert actor.inner_text() == "by Mart Manager · Manager"
    assert "phone" in entry.inner_text()
    # The order is the rep's, not the office's that moved its status; the request is the shop's.
    taken = page.locator(f"#timeline a[data-kind=order][href$='{order['id']}'] .actor")
    assert taken.get_attribute("data-actor-role") == "rep"
    asked = page.locator("#timeline [data-kind=reorder_request]")
    assert asked.count() == 1
    assert asked.locator(".actor").get_attribute("data-actor-role") == "customer"
    page.screenshot(path=str(SHOTS / "rep-customer-history-actor.png"))
