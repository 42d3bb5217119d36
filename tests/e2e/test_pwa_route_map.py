"""Today's route on a map: numbered stops and the line show with no map tiles reachable."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .conftest import PASSWORD, Server, local_today, logged_in_and_synced

pytestmark = pytest.mark.e2e

IDS = "els => els.map(e => e.dataset.stopId)"

# A closed local port: tiles that can never load (no public tile server in tests, ever).
DEAD_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"


def new_rep(server: Server) -> dict[str, Any]:
    """A rep of its own (other tests plan the seeded rep's days), in the seeded territory."""
    email = f"rep-{uuid.uuid4().hex[:8]}@example.com"
    rep = server.client().post(
        "/api/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": f"Rein {email[4:8]}",
            "role": "rep",
            "region_id": server.seed["region"]["id"],
            "territory_ids": [server.seed["territory"]["id"]],
        },
    )
    made = rep.raise_for_status().json()
    # All-day hours: a test that plans today "from now on" must not depend on the hour it runs.
    server.client().patch(
        f"/api/users/{made['id']}", json={"work_start": "00:00", "work_end": "23:59"}
    ).raise_for_status()
    return made | {"email": email}  # type: ignore[no-any-return]


def plan_today(
    server: Server, customers: list[dict[str, Any]], rep: dict[str, Any]
) -> dict[str, Any]:
    """The rep's route for today, planned on the server over `customers`."""
    admin = server.client()
    res = admin.post(
        "/api/routes/plan",
        json={
            "rep_id": rep["id"],
            "days": [local_today().isoformat()],
            "customer_ids": [c["id"] for c in customers],
        },
    )
    res.raise_for_status()
    routes = res.json()["routes"]
    assert routes and routes[0]["stops"], res.json()
    return routes[0]  # type: ignore[no-any-return]


# The map as the rep sees it, checked at once: n numbered stops in route order, the route
# line, the note about the missing background, and the tiles' state.
SHOWN = """({n, tiles}) => {
  const box = document.querySelector("#today-map[data-ready='1']");
  if (!box || box.dataset.tiles !== tiles || box.dataset.stops !== String(n)) return false;
  const labels = [...box.querySelectorAll('[data-stop]')].map((e) => e.textContent);
  const note = box.querySelector('.map-note');
  return labels.join() === Array.from({length: n}, (_, i) => String(i + 1)).join()
    && box.querySelectorAll('path.leaflet-interactive').length >= 1
    && Boolean(box.dataset.position) && Boolean(note) && !note.hidden
    && note.offsetParent !== null;
}"""


def open_map(page: Any) -> Any:
    page.goto("/#/today")
    page.click("#map-toggle")
    page.wait_for_selector("#today-map[data-ready='1']")
    return page.locator("#today-map")


def test_today_map_shows_numbered_stops_and_the_line_without_tiles(
    server: Server, new_phone: Any
) -> None:
    rep = new_rep(server)
    route = plan_today(server, server.seed["customers"][10:18], rep)
    ctx = new_phone()
    page = ctx.new_page()
    logged_in_and_synced(page, rep["email"])

    # No tile URL configured: a plain background, every stop numbered in route order.
    open_map(page)
    n = len(route["stops"])
    page.wait_for_function(SHOWN, arg={"n": n, "tiles": "none"})
    page.screenshot(path="/tmp/pwa-today-map.png")

    # A tile URL whose server cannot be reached: the same stops and line, and a note.
    page.route(
        "**/api/config",
        lambda r: r.fulfill(json={"tile_url": DEAD_TILES}, headers={"cache-control": "no-store"}),
    )
    page.reload()
    # Everything the rep sees is checked in one look at the page: a map drawn again in
    # between (a start-up sync that brought news) cannot split the checks across two maps.
    page.wait_for_function(SHOWN, arg={"n": n, "tiles": "failed"})

    # Back to the list: the map closes and the stops are listed in the same order.
    page.click("#map-toggle")
    page.wait_for_selector("#today-map", state="hidden")
    listed = page.eval_on_selector_all("#stops [data-stop-id]", IDS)
    assert listed == [s["customer_id"] for s in route["stops"]]
