"""The manager plans a rep's week from the phone and sees it on the map, one colour per day."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Server, logged_in_and_synced
from .test_pwa_route_map import new_rep

pytestmark = pytest.mark.e2e


def test_manager_plans_a_reps_week_and_sees_it_by_day(server: Server, new_phone: Any) -> None:
    rep = new_rep(server)
    page = new_phone().new_page()
    logged_in_and_synced(page, "manager@example.com")
    page.click("nav.tabs a[href='#/planning']")
    page.wait_for_selector("#plan-map[data-ready='1']")
    page.select_option("select[name=rep]", rep["id"])
    # The screen redraws for the chosen rep; until then its buttons still plan the first rep.
    shown = f"#plan-map[data-rep='{rep['id']}']"
    page.wait_for_selector(f"{shown}[data-week='0'][data-ready='1']")
    page.click("#plan-next-week")  # next week: days to plan whatever day the test runs
    page.wait_for_selector("#plan-status .progress")  # the progress line while it solves
    page.wait_for_selector(f"{shown}[data-week='1'][data-ready='1']", timeout=60000)
    page.wait_for_selector("[data-day]")

    days = page.eval_on_selector_all("[data-day]", "els => els.map(e => e.dataset.day)")
    stored = (
        server.client()
        .get(
            "/api/routes",
            params={"rep_id": rep["id"], "from": days[0], "to": days[-1]},
        )
        .json()
    )
    with_stops = {r["day"]: r for r in stored if r["stops"]}
    assert set(days) == set(with_stops), (days, list(with_stops))
    for day in days:
        listed = page.eval_on_selector_all(
            f"[data-day='{day}'] [data-plan-stop]", "els => els.map(e => e.dataset.planStop)"
        )
        assert listed == [s["customer_id"] for s in with_stops[day]["stops"]]
    total = sum(len(r["stops"]) for r in with_stops.values())
    assert page.locator("#plan-map [data-stop]").count() == total
    colours = page.eval_on_selector_all(
        "#plan-map [data-stop]", "els => [...new Set(els.map(e => e.style.background))]"
    )
    assert len(colours) == len(days)  # one colour per day
    page.screenshot(path="/tmp/pwa-planning.png", full_page=True)
