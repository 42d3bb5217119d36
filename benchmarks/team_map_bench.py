"""The team map with 10,000 customers in headless Chromium: time from opening the screen to
every customer drawn (target from issue 17: <= 1 s on this machine).

Run: python benchmarks/team_map_bench.py  (needs /usr/bin/chromium; starts its own server,
imports 10,000 customers in 8 territories of one region through the customer import, then
opens #/office/team as that region's manager several times). Prints figures; asserts nothing.
"""

from __future__ import annotations

import csv
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import conftest as e2e  # noqa: E402  (the e2e helpers start and seed a real server)

CUSTOMERS = 10_000
TERRITORIES = 8
RUNS = 7


def seed_region(server: Any) -> str:
    """A region with 8 territories, a rep each, a manager and 10,000 customers; its email."""
    c = server.client()
    region = c.post("/api/regions", json={"name": "Bench", "code": "BENCH"}).json()
    codes = []
    for i in range(TERRITORIES):
        code = f"BT{i}"
        terr = c.post(
            "/api/territories",
            json={"region_id": region["id"], "name": f"Bench {i}", "code": code},
        ).json()
        codes.append(code)
        c.post(
            "/api/users",
            json={
                "email": f"bench-rep{i}@example.com",
                "password": e2e.PASSWORD,
                "name": f"Bench rep {i}",
                "role": "rep",
                "region_id": region["id"],
                "territory_ids": [terr["id"]],
            },
        ).raise_for_status()
    c.post(
        "/api/users",
        json={
            "email": "bench-manager@example.com",
            "password": e2e.PASSWORD,
            "name": "Bench manager",
            "role": "manager",
            "region_id": region["id"],
        },
    ).raise_for_status()
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["code", "name", "lat", "lng", "region", "territory", "visit_frequency_days"])
    for i in range(CUSTOMERS):
        col, row = i % 100, i // 100
        w.writerow(
            [
                f"BC{i:05}",
                f"Bench customer {i}",
                f"{59.30 + row * 0.0025:.5f}",
                f"{24.50 + col * 0.005:.5f}",
                "BENCH",
                codes[(col * TERRITORIES) // 100],
                14,
            ]
        )
    r = c.post(
        "/api/customers/import?dry_run=false",
        content=out.getvalue().encode(),
        headers={"content-type": "text/csv"},
        timeout=600,
    )
    r.raise_for_status()
    return "bench-manager@example.com"


def open_map_ms(browser: Any, url: str, email: str, cold: bool) -> list[dict[str, float]]:
    """Log in once, then open the team map RUNS times: ms to all customers drawn. Cold: the
    page is reloaded before each open, so the screen keeps no earlier answer (no ETag to send
    back); warm: the manager comes back to the map in the same page (a 304 if unchanged)."""
    ctx = browser.new_context(base_url=url, viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(60000)
    page = ctx.new_page()
    page.goto("/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", e2e.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f"#team-map[data-customers='{CUSTOMERS}']")
    runs = []
    for _ in range(RUNS):
        page.goto("/#/office/users")
        if cold:
            page.reload()
        page.wait_for_selector("#users")
        # The manager's device first copies its region (10,000 customers) into IndexedDB, and
        # each open asks for the workload afterwards: measure the open alone, on a quiet
        # server, as a manager who comes back to the map sees it.
        page.wait_for_load_state("networkidle")
        page.evaluate("() => { window.__t0 = performance.now(); location.hash = '#/office/team'; }")
        page.wait_for_function(
            f"() => document.getElementById('team-map')?.dataset.customers === '{CUSTOMERS}'"
            " && document.getElementById('team-map').dataset.ready === 'true'",
            polling="raf",
        )
        # One more frame: the canvas has painted what the layer holds.
        total = page.evaluate(
            "() => new Promise((r) => requestAnimationFrame("
            "() => r(performance.now() - window.__t0)))"
        )
        attr = {
            k: float(page.get_attribute("#team-map", f"data-{k}-ms") or 0)
            for k in ("draw", "fetch", "ready")
        }
        runs.append({"total": total, "layer": attr["draw"], "fetch": attr["fetch"]})
    ctx.close()
    return runs


def main() -> None:
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="rounds-bench-"))
    e2e._prepare_database(data_dir)
    server = e2e.start_server(data_dir)
    try:
        t0 = time.perf_counter()
        email = seed_region(server)
        print(f"seeded {CUSTOMERS} customers in {time.perf_counter() - t0:.1f} s")
        api = server.client(email)
        api_ms, not_modified_ms = [], []
        for _ in range(RUNS):
            t1 = time.perf_counter()
            r = api.get("/api/territories/map", headers={"Accept-Encoding": "gzip"})
            api_ms.append((time.perf_counter() - t1) * 1000)
            r.raise_for_status()
            if "etag" in r.headers:
                t1 = time.perf_counter()
                tag = {"If-None-Match": r.headers["etag"]}
                again = api.get("/api/territories/map", headers=tag)
                not_modified_ms.append((time.perf_counter() - t1) * 1000)
                assert again.status_code == 304, again.status_code
        revalidated = (
            f"a 304 with its ETag: median {statistics.median(not_modified_ms):.0f} ms"
            if not_modified_ms
            else "no ETag"
        )
        print(
            f"GET /api/territories/map ({CUSTOMERS} customers) alone: median "
            f"{statistics.median(api_ms):.0f} ms, max {max(api_ms):.0f} ms; "
            f"{r.num_bytes_downloaded:,} bytes over the wire "
            f"({r.headers.get('content-encoding', 'identity')}), {len(r.content):,} bytes of JSON; "
            f"{revalidated}"
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=e2e.CHROMIUM, args=e2e.CHROMIUM_ARGS)
            for cold in (True, False):
                runs = open_map_ms(browser, server.url, email, cold)
                totals = sorted(r["total"] for r in runs)
                layers = sorted(r["layer"] for r in runs)
                fetches = sorted(r["fetch"] for r in runs)
                print(
                    f"team map, {CUSTOMERS} customers, {'cold' if cold else 'warm'} open to all "
                    f"drawn: median {statistics.median(totals):.0f} ms, max {totals[-1]:.0f} ms "
                    f"over {RUNS} opens (target <= 1000 ms); of which building the canvas "
                    f"layer: median {statistics.median(layers):.0f} ms, waiting for the "
                    f"customers: median {statistics.median(fetches):.0f} ms"
                )
                print("  every open (ms):", [round(r["total"]) for r in runs])
            browser.close()
    finally:
        e2e.stop_server(server)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
