"""The manager's plan vs actual and device health screens at 1280×800: the numbers of a rep's
made week, a drawn chart, a CSV download whose content is checked, and the rep's phone that
synced listed with its version and times."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Server, logged_in_and_synced

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("ROUNDS_E2E_SHOTS", "/tmp/shots"))


@pytest.fixture
def desk(browser: Any, server: Server) -> Iterator[Any]:
    made: list[Any] = []

    def make() -> Any:
        ctx = browser.new_context(
            bypass_csp=True,  # wait_for_function evaluates; test_csp.py checks the CSP
            base_url=server.url,
            viewport={"width": 1280, "height": 800},
            locale="en-GB",
            service_workers="allow",
            accept_downloads=True,
        )
        ctx.set_default_timeout(15000)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def _made_rep(server: Server) -> dict[str, Any]:
    """A rep of the seeded region with: yesterday one planned visit never made (missed);
    today two planned (one checked in at the customer's pin: done and verified) and one
    check-in made on the spot without a GPS fix (unplanned)."""
    seed = server.seed
    admin = server.client()
    rep = (
        admin.post(
            "/api/users",
            json={
                "email": "rita.reports@example.com",
                "password": PASSWORD,
                "name": "Rita Reports",
                "role": "rep",
                "region_id": seed["region"]["id"],
                "territory_ids": [seed["territory"]["id"]],
            },
        )
        .raise_for_status()
        .json()
    )
    manager = server.client("manager@example.com")
    me = server.client("rita.reports@example.com")
    now = datetime.now(UTC).replace(microsecond=0)
    c = seed["customers"][40:44]

    def plan(customer: dict[str, Any], when: datetime) -> str:
        body = {
            "customer_id": customer["id"],
            "rep_id": rep["id"],
            "planned_start": when.isoformat(),
        }
        return str(manager.post("/api/visits", json=body).raise_for_status().json()["id"])

    # Later today, or earlier today near midnight: never on another UTC day, and never at
    # the moment it is put in (that would be a visit made on the spot).
    step = timedelta(minutes=10) if now.hour < 12 else -timedelta(minutes=10)
    plan(c[0], now - timedelta(days=1))
    done = plan(c[1], now + step)
    plan(c[2], now + 2 * step)
    at_pin = {"lat": c[1]["lat"], "lng": c[1]["lng"], "accuracy_m": 10}
    me.post(f"/api/visits/{done}/check-in", json=at_pin).raise_for_status()
    spot = me.post("/api/visits", json={"customer_id": c[3]["id"]}).raise_for_status().json()
    me.post(f"/api/visits/{spot['id']}/check-in", json={}).raise_for_status()  # no GPS fix
    return rep


def test_manager_reads_plan_vs_actual_downloads_csv_and_sees_the_reps_phone(
    server: Server, desk: Any, new_phone: Any
) -> None:
    rep = _made_rep(server)
    # The rep's phone syncs once (it reports its version and an empty outbox).
    phone = new_phone().new_page()
    logged_in_and_synced(phone, "rita.reports@example.com")
    phone.evaluate("window.rounds.sync.run()")

    page = desk().new_page()
    page.goto("/")
    page.fill("input[name=email]", "manager@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.console-nav")
    page.click("nav.console-nav a[data-nav=reports]")
    page.wait_for_selector("#pva-form")
    page.select_option("#pva-rep", rep["id"])
    page.click("#pva-show")
    # Rita's report, drawn (not the all-reps one the screen loads when it opens).
    shown = f"#pva-out[data-rep='{rep['id']}']:not([aria-busy])"
    page.wait_for_selector(f"{shown} #pva-table tr[data-rep='{rep['id']}']")
    page.wait_for_selector(f"{shown} #pva-charts[data-drawn=true]")
    kpi = {
        k: page.locator(f"[data-kpi={k}] strong").inner_text()
        for k in ("planned", "done", "missed", "unplanned")
    }
    assert kpi == {"planned": "3", "done": "1", "missed": "1", "unplanned": "1"}
    total = page.locator("#pva-table tfoot tr").inner_text()
    assert total.split("\t")[:5] == ["Total", "3", "1", "1", "1"], total
    # The chart is drawn: its canvas has pixels that are not blank.
    painted = page.evaluate(
        "(() => { const c = document.querySelector('#pva-chart-periods');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()"
    )
    assert painted > 1000
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "console-reports.png"))

    with page.expect_download() as dl:
        page.click("#pva-csv")
    download = dl.value
    assert download.suggested_filename.startswith("plan-vs-actual-")
    assert download.suggested_filename.endswith("-day.csv")
    target = SHOTS / download.suggested_filename
    download.save_as(str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    target.unlink()
    assert {r["rep_name"] for r in rows[:-1]} == {"Rita Reports"}
    assert rows[-1]["rep_name"] == "Total"
    figures = [int(rows[-1][k]) for k in ("planned", "done", "missed", "unplanned", "checkins")]
    assert figures == [3, 1, 1, 1, 2]
    assert int(rows[-1]["verified_checkins"]) == 1

    page.click("nav.console-nav a[data-nav=devices]")
    page.wait_for_selector("#devices-table")
    row = page.locator(f"#devices-table tr[data-user='{rep['id']}']")
    row.wait_for()
    assert row.count() == 1
    assert "Rita Reports" in row.inner_text()
    assert row.locator("[data-col=last_pull_at]").inner_text() != "never"
    assert row.locator("[data-col=pending]").inner_text() == "0"
    # Her phone has never had anything to send: not a failure to push.
    assert row.locator("[data-col=last_push_at]").inner_text() == "nothing to send yet"
    assert row.locator("[data-col=app_version]").inner_text() not in ("", "—")
    assert row.locator("[data-col=stale]").inner_text() == "In touch"
    # Sorting by user name puts the rows in name order, and again reversed.
    page.click("#devices-table button[data-sort=user]")
    names = page.locator("#devices-table tbody tr td[data-col=user] strong").all_inner_texts()
    assert names == sorted(names, key=str.lower)
    page.click("#devices-table button[data-sort=user]")
    again = page.locator("#devices-table tbody tr td[data-col=user] strong").all_inner_texts()
    assert again == sorted(names, key=str.lower, reverse=True)
    page.screenshot(path=str(SHOTS / "console-devices.png"))
