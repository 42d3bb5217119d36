"""Installable and offline: manifest, icons, offline start, search, drafts, languages."""

from __future__ import annotations

import struct
from typing import Any

import httpx
import pytest

from .conftest import Server, logged_in_and_synced, wait_for_draft
from .test_pwa_route_map import new_rep

pytestmark = pytest.mark.e2e


def test_manifest_names_the_app_and_its_icons_are_real_pngs(server: Server) -> None:
    manifest = httpx.get(f"{server.url}/manifest.webmanifest").json()
    assert manifest["display"] == "standalone" and manifest["name"] and manifest["theme_color"]
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        body = httpx.get(f"{server.url}{icon['src']}").content
        assert body[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", body[16:24])
        assert f"{width}x{height}" == icon["sizes"]


def test_app_starts_offline_with_the_remembered_user_and_searches(
    server: Server, new_phone: Any
) -> None:
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    cached = page.evaluate(
        """async () => { const out = [];
             for (const name of await caches.keys()) {
               const cache = await caches.open(name);
               for (const r of await cache.keys()) out.push(new URL(r.url).pathname);
             } return out; }"""
    )
    assert "/app.js" in cached and "/index.html" in cached
    assert not [p for p in cached if p.startswith("/api/")], "API responses are never cached"
    page.close()

    ctx.set_offline(True)
    page = ctx.new_page()
    page.goto("/#/customers")
    page.wait_for_selector("[data-customer]")  # no login form: the session was kept
    target = server.seed["customers"][4]
    page.fill("input.search", target["code"].lower())
    page.wait_for_selector(f"[data-customer='{target['id']}']")
    assert page.locator("[data-customer]").count() == 1
    # Words match in any order and without accents: "oun" finds "Õun".
    page.fill("input.search", f"oun {target['name'].split()[1]}")
    names = page.eval_on_selector_all(
        "[data-customer] strong", "els => els.map(e => e.textContent)"
    )
    assert target["name"] in names


def test_order_draft_survives_a_crashed_tab(server: Server, new_phone: Any) -> None:
    customer = server.seed["customers"][11]
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, "rep@example.com")
    ctx.set_offline(True)
    page.goto(f"/#/order/{customer['id']}")
    for word in ("coffee", "sprats"):
        page.fill("input.search", word)
        page.click("#catalogue button")
    page.fill("[data-line] input.qty >> nth=1", "12")
    total = page.get_attribute("[data-total]", "data-total")
    wait_for_draft(page, f"order:{customer['id']}", '"quantity":"12"')
    page.close()  # no save, no unload handler: the draft is already in IndexedDB
    page = ctx.new_page()
    page.goto(f"/#/order/{customer['id']}")
    page.wait_for_selector("[data-line]")
    assert page.locator("[data-line]").count() == 2
    assert page.input_value("[data-line] input.qty >> nth=1") == "12"
    assert page.get_attribute("[data-total]", "data-total") == total


def test_language_switch_changes_texts_and_formats(server: Server, new_phone: Any) -> None:
    page = new_phone().new_page()
    logged_in_and_synced(page, "rep@example.com")
    missing = page.evaluate(
        """async () => { const { TABLE } = await import('/lib/i18n.js');
             return Object.entries(TABLE)
               .filter(([, row]) => row.length !== 4 || row.some((x) => !x)).map(([k]) => k); }"""
    )
    assert missing == []
    page.goto("/#/settings")
    page.select_option("#language", "et")
    page.wait_for_selector("nav >> text=Kliendid")
    page.select_option("#language", "ru")
    page.wait_for_selector("nav >> text=Клиенты")
    money = page.evaluate("import('/lib/i18n.js').then((m) => m.fmtMoney('1234.5', 'EUR'))")
    assert "1" in money and "234,50" in money and "€" in money
    # The choice is the user's, kept on the server: the next login comes back in Russian.
    me = server.client("rep@example.com").get("/api/me").json()
    assert me["locale"] == "ru"
    # Back to English for the tests that follow with the same rep.
    page.select_option("#language", "en")
    page.wait_for_selector("nav >> text=Customers")
    assert server.client("rep@example.com").get("/api/me").json()["locale"] == "en"


def test_today_puts_the_next_unvisited_stop_on_top_with_navigation(
    server: Server, new_phone: Any
) -> None:
    # A rep and customers of this test's own: other tests plan routes and record visits for
    # the seeded rep and customers, and a visit by anyone marks a stop as visited.
    rep = new_rep(server)
    stops = server.seed["customers"][50:53]
    page = new_phone().new_page()
    logged_in_and_synced(page, rep["email"])
    # Today's route and a finished visit at the first stop, as a pull would deliver them.
    # The server keeps one route per rep and day, so a route another test planned for this
    # rep today is replaced, as the server's next plan would replace it.
    page.evaluate(
        """async ([rep, ids]) => {
          const d = new Date();
          const two = (n) => String(n).padStart(2, '0');
          const day = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
          const at = (h) => {
            const t = new Date(d); t.setHours(h, 0, 0, 0); return t.toISOString();
          };
          const earlier = (await window.rounds.store.all('routes'))
            .filter((r) => r.day === day)
            .map((r) => ({ collection: 'routes', id: r.id, op: 'del' }));
          return window.rounds.sync.applyChanges([
            ...earlier,
            { collection: 'routes', id: crypto.randomUUID(), op: 'put', version: 1,
              data: { rep_id: rep, day, stops: ids.map(
                (id, i) => ({ customer_id: id, planned_arrival: at(9 + i) })) } },
            { collection: 'visits', id: crypto.randomUUID(), op: 'put', version: 3,
              data: { customer_id: ids[0], rep_id: rep, status: 'done', check_in_at: at(9) } },
          ], null).then(() => window.rounds.ctx.changed());
        }""",
        [rep["id"], [c["id"] for c in stops]],
    )
    page.goto("/#/customers")
    page.goto("/#/today")
    # The route's stop list, not the card of the screen drawn before the route arrived (without
    # a route, Today puts the most overdue customer on top): both are drawn in one go.
    page.wait_for_selector("#stops [data-stop-id]")
    card = page.wait_for_selector("[data-next]")
    assert card.get_attribute("data-next") == stops[1]["id"]
    href = page.get_attribute("[data-next] [data-nav]", "href")
    assert href.startswith("https://www.google.com/maps/dir/?api=1&destination=")
    assert f"{stops[1]['lat']},{stops[1]['lng']}" in href
    names = page.eval_on_selector_all(".list .item strong", "els => els.map(e => e.textContent)")
    assert names == [c["name"] for c in stops]


def test_nearby_lists_the_closest_first_and_a_distant_check_in_is_too_far(
    server: Server, new_phone: Any
) -> None:
    here = server.seed["customers"][30]
    far = server.seed["customers"][31]
    page = new_phone(lat=here["lat"], lng=here["lng"]).new_page()
    logged_in_and_synced(page, "rep@example.com")
    page.goto("/#/customers")
    page.click("text=Nearby")
    page.wait_for_selector(".dist")
    assert page.get_attribute("[data-customer] >> nth=0", "data-customer") == here["id"]
    assert page.inner_text("[data-customer] >> nth=0 >> .dist") == "0 m"

    # Checking in at another customer from here: the pin is too far for the radius rule.
    page.goto(f"/#/visit/{far['id']}")
    page.click("#check-in")
    # Too far: the app asks why before it checks in (issue 18).
    page.select_option("#far-reason", "gps_poor")
    page.click("#far-confirm")
    verdict = page.wait_for_selector("[data-verification]")
    assert verdict.get_attribute("data-verification") == "too_far"
    assert "Too far" in verdict.inner_text()
