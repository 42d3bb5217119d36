"""Team planning in the console at 1280×800: the manager sets a rep's home and hours, plans
the team's next week as a draft, moves a stop to another rep and day, locks one, re-solves,
publishes; the rep's phone (390×844) syncs and shows the published day."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from .conftest import BASE_LAT, BASE_LNG, PASSWORD, Server, logged_in_and_synced, sync_now

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots")
HOME = {"lat": 59.43, "lng": 24.70}
TALLINN = ZoneInfo("Europe/Tallinn")

_REPLICA_ROUTES = """async () => {
  const open = indexedDB.open('rounds');
  const db = await new Promise((ok, fail) => { open.onsuccess = () => ok(open.result);
                                               open.onerror = () => fail(open.error); });
  try {
    const all = db.transaction('routes').objectStore('routes').getAll();
    return await new Promise((ok) => { all.onsuccess = () => ok(all.result); });
  } finally { db.close(); }
}"""


def _user(server: Server, name: str, role: str, region: dict[str, Any]) -> dict[str, Any]:
    email = f"tp-{uuid.uuid4().hex[:8]}@example.com"
    body: dict[str, Any] = {
        "email": email,
        "password": PASSWORD,
        "name": name,
        "role": role,
        "region_id": region["id"],
    }
    if role == "rep":
        body["territory_ids"] = [region["territory_id"]]
    made = server.client().post("/api/users", json=body)
    return made.raise_for_status().json() | {"email": email}  # type: ignore[no-any-return]


def _own_region(server: Server, customers: int = 40) -> dict[str, Any]:
    """A region of this test's own: publishing plans visits, and the seeded region's customers
    are other tests' (their visit lists must not gain this test's planned visits)."""
    admin = server.client()
    tag = uuid.uuid4().hex[:4].upper()
    region = admin.post("/api/regions", json={"name": f"Plan {tag}", "code": f"P{tag}"})
    region = region.raise_for_status().json()
    terr = (
        admin.post(
            "/api/territories",
            json={"region_id": region["id"], "name": f"Plan {tag}", "code": f"PT{tag}"},
        )
        .raise_for_status()
        .json()
    )
    for i in range(customers + 1):
        located = i < customers  # the last one has no map position: it is left out, with why
        admin.post(
            "/api/customers",
            json={
                "code": f"P{tag}{i:03}",
                "name": f"Plan shop {i + 1}",
                "street": f"Narva mnt {i + 3}",
                "city": "Tallinn",
                "region_id": region["id"],
                "territory_id": terr["id"],
                "visit_frequency_days": 14,
                **(
                    {
                        "lat": round(BASE_LAT + ((i * 37) % 41 - 20) * 0.0012, 6),
                        "lng": round(BASE_LNG + ((i * 53) % 43 - 21) * 0.0021, 6),
                    }
                    if located
                    else {}
                ),
            },
        ).raise_for_status()
    return region | {"territory_id": terr["id"]}  # type: ignore[no-any-return]


@pytest.fixture
def desk(browser: Any, server: Server) -> Any:
    ctx = browser.new_context(
        bypass_csp=True,
        base_url=server.url,
        viewport={"width": 1280, "height": 800},
        locale="en-GB",
        service_workers="allow",
    )
    ctx.set_default_timeout(20000)
    yield ctx
    ctx.close()


def _stops_of(page: Any, rep_id: str, day: str) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        f"[data-rep-day='{rep_id}|{day}'] [data-stop]", "els => els.map(e => e.dataset.stop)"
    )


def test_manager_plans_moves_locks_resolves_publishes_and_the_rep_sees_it(
    server: Server, desk: Any, tall_phone: Any
) -> None:
    region = _own_region(server)
    boss = _user(server, "Maie Plan", "manager", region)
    aino = _user(server, "Aino Tamm", "rep", region)
    boris = _user(server, "Boris Kask", "rep", region)
    page = desk.new_page()
    page.goto("/")
    page.fill("input[name=email]", boss["email"])
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.console-nav")

    # Aino's home and hours on the users screen.
    page.goto(f"/#/office/users/{aino['id']}")
    page.wait_for_selector("#route-settings")
    page.fill("input[name='home.lat']", "95")
    page.fill("input[name='home.lng']", str(HOME["lng"]))
    page.fill("input[name=work_start]", "09:00")
    page.fill("input[name=work_end]", "16:00")
    page.click("#user-form button[type=submit]")
    page.wait_for_selector(".field-error[data-field='home.lat']")  # refused, named
    page.fill("input[name='home.lat']", str(HOME["lat"]))
    page.click("#user-form button[type=submit]")
    page.wait_for_selector("#saved:has-text('Saved')")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#route-settings").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "console-user-home.png"))
    got = server.client().get(f"/api/users/{aino['id']}").json()
    assert (got["home"], got["work_start"], got["work_end"]) == (HOME, "09:00", "16:00")

    page.click("nav.console-nav a[data-nav=plan]")
    page.wait_for_selector("#team-plan")
    page.select_option("#tp-week", "next")
    page.wait_for_selector("#tp-empty")
    page.click("#tp-plan")
    page.wait_for_selector("#tp-draft", timeout=90000)
    page.wait_for_selector("#tp-map[data-ready='1']")
    days = page.eval_on_selector_all("[data-day]", "els => els.map(e => e.dataset.day)")
    assert len(days) == 7
    # Drafts: nobody's device or route list has them yet.
    assert server.client(aino["email"]).get("/api/routes").json() == []

    # Aino's first day with stops: her day starts at her home, at 09:00 or later.
    first = ""
    for d in days:
        page.click(f"[data-day='{d}']")
        if len(_stops_of(page, aino["id"], d)) >= 2:
            first = d
            break
    aino_stops = _stops_of(page, aino["id"], first)
    assert len(aino_stops) >= 2
    etas = page.eval_on_selector_all(
        f"[data-rep-day='{aino['id']}|{first}'] .tp-eta", "els => els.map(e => e.textContent)"
    )
    assert len(etas) == len(aino_stops) and all(":" in e for e in etas), etas
    drafts = (
        server.client(boss["email"])
        .get("/api/routes/drafts", params={"from": days[0], "to": days[-1]})
        .json()["routes"]
    )
    mine = next(r for r in drafts if r["rep_id"] == aino["id"] and r["day"] == first)
    assert mine["stats"]["start"] == HOME
    for s in mine["stops"]:
        local = datetime.fromisoformat(s["planned_arrival"]).astimezone(TALLINN)
        assert "09:00" <= local.strftime("%H:%M") <= "16:00"
    page.wait_for_selector("#tp-map[data-ready='1']")  # the day's map, drawn after the tab
    pins = int(page.get_attribute("#tp-map", "data-stops") or 0)
    shown = page.locator("#team-plan li.tp-stop").count()
    assert pins >= shown  # every stop of the day on the map (plus the reps' homes)

    moved, locked = aino_stops[0], aino_stops[1]
    target_day = days[2] if days[2] != first else days[3]
    page.select_option(f"select[data-move='{moved}']", f"{boris['id']}|{target_day}")
    page.click(f"button[data-move-go='{moved}']")
    page.wait_for_selector(
        f"[data-rep-day='{aino['id']}|{first}'] [data-stop='{moved}']", state="detached"
    )
    assert locked in _stops_of(page, aino["id"], first)
    assert "re-solve" in page.locator("#tp-draft").inner_text()  # times are stale until then
    # Publishing now would send the old times: it asks first, and Cancel sends nothing.
    page.click("#tp-publish")
    page.wait_for_selector("#tp-stale:not([hidden])")
    page.click("#tp-stale button:has-text('Cancel')")
    page.wait_for_selector("#tp-stale", state="hidden")
    page.click(f"button[data-lock='{locked}']")
    page.wait_for_selector(f"button[data-lock='{locked}'][aria-pressed='true']")
    page.click(f"[data-day='{target_day}']")
    page.wait_for_selector(
        f"[data-rep-day='{boris['id']}|{target_day}'] [data-stop='{moved}'].locked"
    )

    page.click("#tp-resolve")
    page.wait_for_selector("#tp-status.ok", timeout=90000)
    page.wait_for_selector(
        f"[data-rep-day='{boris['id']}|{target_day}'] [data-stop='{moved}'].locked"
    )
    page.click(f"[data-day='{first}']")
    page.wait_for_selector(f"[data-rep-day='{aino['id']}|{first}'] [data-stop='{locked}'].locked")
    page.wait_for_selector("#tp-map[data-ready='1']")
    left = page.locator("#tp-left-out").inner_text()
    assert "Left out" in left
    for reason in page.eval_on_selector_all(
        "[data-left-out]", "els => els.map(e => e.textContent)"
    ):
        assert "—" in reason and "_" not in reason.split("—", 1)[1]  # words, not slugs
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "console-team-plan.png"))

    page.click("#tp-publish")
    page.wait_for_selector("#tp-status.ok:has-text('published')", timeout=30000)
    # The screen keeps what the reps now have, read only.
    page.wait_for_selector("#tp-live")
    page.click(f"[data-day='{target_day}']")
    page.wait_for_selector(f"[data-rep-day='{boris['id']}|{target_day}'] [data-stop='{moved}']")
    assert page.locator("select[data-move]").count() == 0
    assert page.locator("#tp-publish").is_disabled()
    page.screenshot(path=str(SHOTS / "console-team-plan-published.png"))

    # Boris's phone syncs and shows the published day with the moved stop.
    phone = tall_phone().new_page()  # 390×844
    logged_in_and_synced(phone, boris["email"])
    assert sync_now(phone) == "ok"
    replica = phone.evaluate(_REPLICA_ROUTES)
    day_route = next(r for r in replica if r["day"] == target_day)
    assert moved in [s["customer_id"] for s in day_route["stops"]]
    phone.goto("/#/planning")
    phone.wait_for_selector("#plan-map[data-ready='1']")
    phone.click("[aria-label='Next week']")
    phone.wait_for_selector(f"[data-day='{target_day}'] [data-plan-stop='{moved}']")
    phone.screenshot(path=str(SHOTS / "phone-published-day.png"), full_page=True)
