"""Re-ordering on the road: the phone's JS heuristic is geo/reorder.py, and an offline
re-order reaches the server as the device left it."""

from __future__ import annotations

import random
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from geo.matrix import GreatCircleMatrix
from geo.reorder import Visit, reorder

from .conftest import (
    BASE_LAT,
    BASE_LNG,
    PHONE_TZ,
    Server,
    local_today,
    logged_in_and_synced,
    sync_now,
    wait_controlled,
)
from .test_pwa_route_map import new_rep, plan_today

pytestmark = pytest.mark.e2e

IDS = "els => els.map(e => e.dataset.stopId)"
TEXTS = "els => els.map(e => e.textContent)"

JS_REORDER = """async ([visits, durations, position, now, end, endBy]) => {
  const m = await import('/lib/reorder.js');
  return { order: m.reorder(visits, durations, position, now, end, endBy),
           matrix: m.durationMatrix(window.__points || []) };
}"""


def _instance(seed: int) -> dict[str, Any]:
    """Points around Tallinn, visits with service times and (some) windows, and a matrix."""
    rng = random.Random(seed)
    n = rng.randint(5, 11)
    points = [
        (BASE_LAT + rng.uniform(-0.05, 0.05), BASE_LNG + rng.uniform(-0.1, 0.1))
        for _ in range(n + 2)
    ]
    durations = GreatCircleMatrix().table(points).durations.tolist()
    visits = []
    for i in range(1, n + 1):
        windows: list[list[int]] = []
        if rng.random() < 0.5:
            lo = rng.randint(0, 4000)
            windows = [[lo, lo + rng.randint(600, 5000)]]
            if rng.random() < 0.3:
                windows.append([lo + 8000, lo + 12000])
        visits.append(
            {
                "key": f"c{i}",
                "index": i,
                "service_s": rng.choice([300, 900, 1200]),
                "windows": windows,
            }
        )
    end = n + 1 if seed % 2 else None
    return {"points": points, "visits": visits, "durations": durations, "end": end}


def test_js_reorder_gives_the_python_order_on_fixed_instances(
    server: Server, new_phone: Any
) -> None:
    page = new_phone().new_page()
    page.goto("/")
    wait_controlled(page)
    for seed in range(8):
        inst = _instance(seed)
        py = reorder(
            [
                Visit(v["key"], v["index"], v["service_s"], tuple(map(tuple, v["windows"])))
                for v in inst["visits"]
            ],
            inst["durations"],
            0,
            0,
            inst["end"],
            None,
        )
        page.evaluate("(p) => { window.__points = p; }", [list(p) for p in inst["points"]])
        js = page.evaluate(JS_REORDER, [inst["visits"], inst["durations"], 0, 0, inst["end"], None])
        assert [t["key"] for t in js["order"]] == [t.key for t in py], f"seed {seed}"
        assert [(t["arrival"], t["start"], t["late"]) for t in js["order"]] == [
            (t.arrival, t.start, t.late) for t in py
        ]
        # The device's own matrix is the server's great-circle matrix, second for second.
        assert js["matrix"] == inst["durations"]


def test_offline_reorder_then_sync_leaves_the_devices_order_on_the_server(
    server: Server, new_phone: Any
) -> None:
    rep = new_rep(server)
    route = plan_today(server, server.seed["customers"][20:28], rep)
    planned = [s["customer_id"] for s in route["stops"]]
    # The rep stands at the planned last stop: starting there is the sensible new order.
    last = route["stops"][-1]
    ctx = new_phone(lat=last["lat"], lng=last["lng"])
    page = ctx.new_page()
    logged_in_and_synced(page, rep["email"])
    # Early in the working day, so every stop fits before the work end (late in the day the
    # phone lists what cannot fit instead: tests/e2e/test_pwa_rep_day.py).
    page.clock.set_fixed_time(datetime.combine(local_today(), time(7, 0), ZoneInfo(PHONE_TZ)))
    page.goto("/#/today")
    page.wait_for_selector("#replan")

    ctx.set_offline(True)
    page.click("#replan")
    page.wait_for_function(
        f"window.rounds.store.get('routes', '{route['id']}').then(r => r._status === 'pending')"
    )
    page.wait_for_selector("#replan ~ [data-status=pending]")
    local = page.evaluate(
        f"window.rounds.store.get('routes', '{route['id']}')"
        ".then(r => ({order: r.stops.map(s => s.customer_id),"
        " status: r._status, source: r.source}))"
    )
    assert local["status"] == "pending" and local["source"] == "reordered"
    assert sorted(local["order"]) == sorted(planned)
    assert local["order"] != planned and local["order"][0] == last["customer_id"]
    listed = page.eval_on_selector_all("#stops [data-stop-id]", IDS)
    assert listed == local["order"]
    assert page.locator("#replan ~ [data-status]").get_attribute("data-status") == "pending"
    page.screenshot(path="/tmp/pwa-today-reordered.png")

    ctx.set_offline(False)
    assert sync_now(page) == "ok"
    stored = server.client().get(f"/api/routes/{route['id']}").raise_for_status().json()
    assert stored["source"] == "reordered"
    assert [s["customer_id"] for s in stored["stops"]] == local["order"]
    page.goto("/#/sync")
    page.goto("/#/today")
    # Today is drawn anew, but the screen before it also had #replan (then pending): wait for
    # the route's badge to say synced rather than reading whichever screen is up.
    page.wait_for_selector("#replan ~ [data-status=synced]", timeout=10000)
