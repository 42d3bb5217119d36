"""The team map in Chromium at 1280×800 as a manager: customers coloured by territory, a
territory shape drawn with the mouse (Leaflet-Geoman), the preview of who moves, apply and
see them recoloured, undo; a rebalance applied and undone; a rep's route of the day."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, PHONE_TZ, Server, local_today

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("ROUNDS_TEAM_SHOTS", "/tmp/shots"))


def map_world(server: Server) -> dict[str, Any]:
    """A region of its own (other tests use the seeded one): two territories, two reps, a
    manager and 40 customers, 30 of them in the east territory."""
    c = server.client()
    tag = uuid.uuid4().hex[:6].upper()
    region = c.post("/api/regions", json={"name": f"Map {tag}", "code": f"M{tag}"}).json()
    east, west = (
        c.post(
            "/api/territories",
            json={"region_id": region["id"], "name": name, "code": f"{code}{tag}"},
        )
        .raise_for_status()
        .json()
        for name, code in (("East side", "E"), ("West side", "W"))
    )
    users = {}
    for key, role, terr in (
        ("manager", "manager", None),
        ("east", "rep", east),
        ("west", "rep", west),
    ):
        body = {
            "email": f"map-{key}-{tag.lower()}@example.com",
            "password": PASSWORD,
            "name": f"{key.title()} {tag}",
            "role": role,
            "region_id": region["id"],
        }
        if terr:
            body["territory_ids"] = [terr["id"]]
        users[key] = c.post("/api/users", json=body).raise_for_status().json() | {
            "email": body["email"]
        }
    customers = []
    for i in range(40):
        in_east = i < 30
        lng = 24.70 + (i % 30) * 0.003 if in_east else 24.60 + (i - 30) * 0.004
        lat = 59.40 + (i % 5) * 0.01
        customers.append(
            c.post(
                "/api/customers",
                json={
                    "code": f"M{tag}{i:03}",
                    "name": f"Map {i} {tag}",
                    "lat": lat,
                    "lng": round(lng, 5),
                    "region_id": region["id"],
                    "territory_id": (east if in_east else west)["id"],
                    "visit_frequency_days": 7,
                },
            )
            .raise_for_status()
            .json()
        )
    route = c.post(
        "/api/routes/plan",
        json={
            "rep_id": users["east"]["id"],
            "days": [local_today().isoformat()],
            "customer_ids": [x["id"] for x in customers[:6]],
        },
    )
    route.raise_for_status()
    return {"east": east, "west": west, "users": users, "customers": customers}


def colour(page: Any, customer_id: str) -> str:
    return page.evaluate(
        "id => document.getElementById('team-map').teamMap.colourOf(id)", customer_id
    )


def click_at(page: Any, lat: float, lng: float) -> None:
    box = page.locator("#team-map").bounding_box()
    pt = page.evaluate(
        "([lat, lng]) => document.getElementById('team-map').teamMap.map"
        ".latLngToContainerPoint([lat, lng])",
        [lat, lng],
    )
    page.mouse.click(box["x"] + pt["x"], box["y"] + pt["y"])


def test_manager_draws_a_territory_sees_who_moves_applies_and_undoes(
    server: Server, browser: Any
) -> None:
    w = map_world(server)
    ctx = browser.new_context(
        base_url=server.url,
        viewport={"width": 1280, "height": 800},
        locale="en-GB",
        timezone_id=PHONE_TZ,  # the manager's "today" is the reps' (the routes' day)
    )
    ctx.set_default_timeout(20000)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/")
    page.fill("input[name=email]", w["users"]["manager"]["email"])
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#team-map[data-ready=true]")
    assert page.get_attribute("#team-map", "data-customers") == "40"
    assert "40 of 40 customers shown" in page.inner_text("#team-counts")
    # The east rep's planned route of today is on the map.
    page.wait_for_selector("#team-map[data-routes='1']")

    east_c, west_c = w["east"], w["west"]
    first = w["customers"][0]["id"]  # east, lng 24.700
    east_colour = colour(page, first)
    assert east_colour != colour(page, w["customers"][35]["id"])

    # Draw the west territory's new shape around the first eight east customers (24.700 …
    # 24.721) with mouse clicks, closing it on the first corner.
    page.click(f"[data-territory='{west_c['id']}'] [data-action=draw]")
    corners = [(59.395, 24.595), (59.395, 24.7225), (59.445, 24.7225), (59.445, 24.595)]
    for lat, lng in corners:
        click_at(page, lat, lng)
    click_at(page, *corners[0])
    page.wait_for_selector("#assign-preview:not([hidden]) #moves")
    rows = page.locator("#moves tbody tr")
    assert rows.count() == 8
    moved = {rows.nth(i).get_attribute("data-customer") for i in range(8)}
    assert moved == {c["id"] for c in w["customers"][:8]}
    assert "East side" in rows.first.inner_text() and "West side" in rows.first.inner_text()
    assert page.get_attribute("#team-map", "data-highlighted") == "8"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "console-team-map.png"))
    # Nothing moved yet: a preview.
    assert colour(page, first) == east_colour

    page.click("#apply-moves")
    page.wait_for_selector("#applied")
    assert "8 customers moved" in page.inner_text("#applied")
    page.wait_for_function(
        "([id, c]) => document.getElementById('team-map').teamMap.colourOf(id) !== c",
        arg=[first, east_colour],
    )
    west_colour = colour(page, w["customers"][35]["id"])
    assert all(colour(page, c) == west_colour for c in moved)
    assert colour(page, w["customers"][8]["id"]) == east_colour
    page.click("#undo-moves")
    page.wait_for_selector("#undone")
    page.wait_for_function(
        "([id, c]) => document.getElementById('team-map').teamMap.colourOf(id) === c",
        arg=[first, east_colour],
    )
    assert all(colour(page, c) == east_colour for c in moved)

    # Workload: 30 weekly customers for the east rep, 10 for the west one. Undo reloads the
    # workload table after the map, so wait for it rather than read it at once.
    cell = f"#workload tr[data-territory='{east_c['id']}'] td:nth-child(2)"
    page.wait_for_selector(f"{cell}:text-is('30')")
    page.click("#rebalance")
    page.wait_for_selector("#assign-preview:not([hidden]) #moves")
    proposal = page.locator("#moves tbody tr").count()
    assert proposal > 0
    ids = [
        page.locator("#moves tbody tr").nth(i).get_attribute("data-customer")
        for i in range(proposal)
    ]
    page.screenshot(path=str(SHOTS / "console-team-rebalance.png"))
    page.click("#apply-moves")
    page.wait_for_selector("#applied")
    page.wait_for_function(
        "([id, c]) => document.getElementById('team-map').teamMap.colourOf(id) !== c",
        arg=[ids[0], east_colour],
    )
    page.wait_for_selector(f"{cell}:text-is('{30 - proposal}')")
    page.click("#undo-moves")
    page.wait_for_selector("#undone")
    page.wait_for_function(
        "([id, c]) => document.getElementById('team-map').teamMap.colourOf(id) === c",
        arg=[ids[0], east_colour],
    )
    page.wait_for_selector(f"{cell}:text-is('30')")  # the workload is back as it was

    # Export the shapes as GeoJSON, give the east territory a shape in the file, import it.
    with page.expect_download() as dl:
        page.click("#export-geojson")
    fc = json.loads(Path(dl.value.path()).read_text())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 2
    for f in fc["features"]:
        if f["properties"]["code"] == east_c["code"]:
            f["geometry"] = {
                "type": "Polygon",
                "coordinates": [[[24.7, 59.39], [24.8, 59.39], [24.8, 59.45], [24.7, 59.39]]],
            }
    page.set_input_files(
        "#geojson-file",
        files=[
            {"name": "t.geojson", "mimeType": "application/json", "buffer": json.dumps(fc).encode()}
        ],
    )
    page.wait_for_selector("#team-status:has-text('Imported: 1 changed, 1 unchanged')")
    page.wait_for_selector("#team-map[data-shapes='2']")

    # Edit the east shape: drag its corner at (59.45, 24.8) north-east, then save.
    page.click("#edit-shapes")
    page.wait_for_selector("#team-map[data-editing=on]")
    box = page.locator("#team-map").bounding_box()
    corner = page.evaluate(
        "() => document.getElementById('team-map').teamMap.map"
        ".latLngToContainerPoint([59.45, 24.8])"
    )
    x, y = box["x"] + corner["x"], box["y"] + corner["y"]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 15, y - 15, steps=5)
    page.mouse.up()
    page.click("#edit-shapes")
    page.wait_for_selector("#team-status:has-text('Shape of East side saved.')")
    saved = server.client().get(f"/api/territories/{east_c['id']}").json()["geometry"]
    lngs = [p[0] for p in saved["coordinates"][0]]
    assert max(lngs) > 24.8  # the corner moved east and the server has it

    # The map's answer carries no names: tapping a customer shows theirs all the same.
    lone = w["customers"][9]  # on no route, inside no shape (a shape takes the pointer)
    click_at(page, lone["lat"], lone["lng"])
    expect(page.locator(".leaflet-tooltip")).to_have_text(lone["name"])
    assert errors == []
    ctx.close()
