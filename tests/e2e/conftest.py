"""End-to-end fixtures: a real `rounds serve` on SQLite, seeded data, Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ROUNDS = str(Path(sys.executable).with_name("rounds"))
PASSWORD = "field-sales-2026"
# Tallinn old town: customers are spread around it.
BASE_LAT, BASE_LNG = 59.437, 24.745

pytestmark = pytest.mark.e2e


# The phones live where the reps work: the server plans a rep's day in the rep's time zone
# (Europe/Tallinn by default), so "today" on the phone and in the tests is Tallinn's today,
# also between 22:00 and 24:00 UTC when it is already tomorrow there.
PHONE_TZ = "Europe/Tallinn"


def local_today() -> date:
    """Today where the phones and the reps are."""
    return datetime.now(ZoneInfo(PHONE_TZ)).date()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running server, its URL and the seeded records the tests use."""

    url: str
    data_dir: Path
    proc: subprocess.Popen[bytes]
    seed: dict[str, Any] = field(default_factory=dict)

    def client(self, email: str = "admin@example.com") -> httpx.Client:
        c = httpx.Client(base_url=self.url, timeout=30)
        r = c.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        r.raise_for_status()
        c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        return c

    def has(self, path: str) -> bool:
        """Whether the API has a route (sync lands in parallel with the PWA)."""
        spec = httpx.get(f"{self.url}/schema/openapi.json", timeout=10).json()
        return path in spec.get("paths", {})


def page_items(response: httpx.Response) -> list[dict[str, Any]]:
    """The items of a listing, which answers one page: {items, next_cursor, total}."""
    body = response.raise_for_status().json()
    assert isinstance(body, dict) and set(body) == {"items", "next_cursor", "total"}, body
    assert isinstance(body["items"], list)
    return body["items"]


_DRAFT_HOLDS = """async ([prefix, text]) => {
  const open = indexedDB.open('rounds');
  const db = await new Promise((ok, fail) => { open.onsuccess = () => ok(open.result);
                                               open.onerror = () => fail(open.error); });
  try {
    const all = db.transaction('drafts').objectStore('drafts').getAll();
    const rows = await new Promise((ok, fail) => { all.onsuccess = () => ok(all.result);
                                                   all.onerror = () => fail(all.error); });
    return rows.some((r) => r.key.startsWith(prefix) && JSON.stringify(r.values).includes(text));
  } finally { db.close(); }
}"""


def wait_for_draft(page: Any, key_prefix: str, text: str, timeout: float = 10.0) -> None:
    """Wait until a form draft in IndexedDB holds text (drafts are written on a short debounce).

    Polled with page.evaluate, which awaits the IndexedDB read: wait_for_function with this
    async check returned before the draft was written.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(_DRAFT_HOLDS, [key_prefix, text]):
        if time.monotonic() > deadline:
            raise AssertionError(f"no draft {key_prefix}* holding {text!r} after {timeout} s")
        page.wait_for_timeout(50)


def _env(data_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "ROUNDS_DATA_DIR": str(data_dir),
            "ROUNDS_DATABASE_URL": f"sqlite:///{data_dir}/rounds.sqlite3",
            "ROUNDS_HOST": "127.0.0.1",
            "ROUNDS_LOG_LEVEL": "WARNING",
            "ROUNDS_IN_PROCESS_WORKER": "false",
            "ROUNDS_SECRET_KEY": "e2e-secret-key-that-is-long-enough-0123456789",
        }
    )
    if port:
        env["ROUNDS_PORT"] = str(port)
    return env


def start_server(data_dir: Path, pwa_dir: Path | None = None) -> Server:
    """Start `rounds serve` (or, to test updates, the same app serving a copy of pwa/)."""
    port = _free_port()
    env = _env(data_dir, port)
    if pwa_dir is None:
        cmd = [ROUNDS, "serve", "--port", str(port)]
    else:
        code = (
            "import sys, pathlib, backend.app as a; a.PWA_DIR = pathlib.Path(sys.argv[1]); "
            "from backend.cli import main; raise SystemExit(main(['serve', '--port', sys.argv[2]]))"
        )
        cmd = [sys.executable, "-c", code, str(pwa_dir), str(port)]
    log = open(data_dir / "server.log", "ab")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError((data_dir / "server.log").read_text()[-3000:])
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code < 500:
                return Server(url=url, data_dir=data_dir, proc=proc)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("rounds serve did not start")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


def _prepare_database(data_dir: Path) -> None:
    env = _env(data_dir, 0)
    try:
        import backend.demo as demo

        has_demo = hasattr(demo, "load_demo")
    except ImportError:
        has_demo = False
    if has_demo:
        # The demo set makes the replica realistic; the tests' own records are seeded below,
        # so a demo loader that fails is reported, not fatal.
        done = subprocess.run(
            [ROUNDS, "demo", "--customers", "60"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            print("rounds demo failed:", done.stderr.decode()[-500:], file=sys.stderr)
    done = subprocess.run(
        [ROUNDS, "create-admin", "admin@example.com", "--password", PASSWORD],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"rounds create-admin failed: {done.stderr.decode()[-2000:]}")


def seed(server: Server, customers: int = 60) -> dict[str, Any]:
    """Known users, customers, catalogue and price list, created through the public API."""
    c = server.client()
    region = (
        c.post("/api/regions", json={"name": "E2E North", "code": "E2EN"}).raise_for_status().json()
    )
    terr = (
        c.post(
            "/api/territories",
            json={"region_id": region["id"], "name": "E2E Tallinn", "code": "E2ET"},
        )
        .raise_for_status()
        .json()
    )
    rep = (
        c.post(
            "/api/users",
            json={
                "email": "rep@example.com",
                "password": PASSWORD,
                "name": "Riina Rep",
                "role": "rep",
                "region_id": region["id"],
                "territory_ids": [terr["id"]],
            },
        )
        .raise_for_status()
        .json()
    )
    manager = (
        c.post(
            "/api/users",
            json={
                "email": "manager@example.com",
                "password": PASSWORD,
                "name": "Mart Manager",
                "role": "manager",
                "region_id": region["id"],
            },
        )
        .raise_for_status()
        .json()
    )
    pl = (
        c.post("/api/price-lists", json={"code": "E2E-PL", "name": "E2E list"})
        .raise_for_status()
        .json()
    )
    products = []
    for i, (name, rate, price) in enumerate(
        [
            ("Rye bread 500 g", "9", "1.89"),
            ("Kefir 1 l", "9", "1.35"),
            ("Coffee beans 1 kg", "24", "14.90"),
            ("Sparkling water 6×1.5 l", "24", "4.79"),
            ("Cheese Eesti 400 g", "9", "5.55"),
            ("Dish soap 750 ml", "24", "2.49"),
            ("Sprats in oil", "9", "2.15"),
        ]
    ):
        p = (
            c.post(
                "/api/products",
                json={
                    "sku": f"E2E-{i + 1:03}",
                    "name": name,
                    "tax_rate": rate,
                    "category": "grocery",
                },
            )
            .raise_for_status()
            .json()
        )
        c.put(
            f"/api/price-lists/{pl['id']}/items/{p['id']}", json={"price": price}
        ).raise_for_status()
        products.append(p | {"price": price})
    rows = []
    streets = ["Narva mnt", "Pärnu mnt", "Tartu mnt", "Viru", "Suur-Karja", "Kopli", "Mustamäe tee"]
    for i in range(customers):
        lat = BASE_LAT + ((i * 37) % 41 - 20) * 0.0012
        lng = BASE_LNG + ((i * 53) % 43 - 21) * 0.0021
        row = (
            c.post(
                "/api/customers",
                json={
                    "code": f"E2E{i + 1:04}",
                    "name": f"{['Kohvik', 'Pood', 'Baar', 'Turg'][i % 4]} {i + 1} Õun",
                    "street": f"{streets[i % len(streets)]} {i + 3}",
                    "city": "Tallinn",
                    "postal_code": "10111",
                    "lat": round(lat, 6),
                    "lng": round(lng, 6),
                    "region_id": region["id"],
                    "territory_id": terr["id"],
                    "price_list_id": pl["id"],
                    "phone": f"+372 5555 {i:04}",
                    "visit_frequency_days": 14,
                },
            )
            .raise_for_status()
            .json()
        )
        rows.append(row)
    c.post(
        f"/api/customers/{rows[0]['id']}/contacts",
        json={
            "name": "Olga Owner",
            "phone": "+372 5000 0001",
            "email": "olga@example.com",
            "is_primary": True,
        },
    ).raise_for_status()
    return {
        "region": region,
        "territory": terr,
        "rep": rep,
        "manager": manager,
        "price_list": pl,
        "products": products,
        "customers": rows,
    }


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    data_dir = Path(tempfile.mkdtemp(prefix="rounds-e2e-"))
    try:
        _prepare_database(data_dir)
        srv = start_server(data_dir)
        try:
            srv.seed = seed(srv)
            yield srv
        finally:
            stop_server(srv)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def phone_context(
    browser: Any,
    base_url: str,
    *,
    size: tuple[int, int] = (360, 640),
    scale: int = 2,
    lat: float = BASE_LAT,
    lng: float = BASE_LNG,
    locale: str = "en-GB",
    bypass_csp: bool = True,
) -> Any:
    """A fresh phone (360×640 unless `size` says otherwise): touch, geolocation allowed, the
    reps' time zone, its own storage.

    Playwright's wait_for_function evaluates its predicate with eval, which the app's CSP
    forbids; so the flows bypass the CSP, and tests/e2e/test_csp.py checks the app under it.
    """
    ctx = browser.new_context(
        bypass_csp=bypass_csp,
        base_url=base_url,
        viewport={"width": size[0], "height": size[1]},
        device_scale_factor=scale,
        is_mobile=True,
        has_touch=True,
        locale=locale,
        timezone_id=PHONE_TZ,
        service_workers="allow",
        geolocation={"latitude": lat, "longitude": lng, "accuracy": 25},
        permissions=["geolocation"],
    )
    ctx.set_default_timeout(15000)
    return ctx


def login(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.tabs")


def wait_controlled(page: Any) -> None:
    """Until the service worker controls the page (the shell is cached)."""
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)


@pytest.fixture
def new_phone(browser: Any, server: Server) -> Iterator[Any]:
    made: list[Any] = []

    def make(**kw: Any) -> Any:
        ctx = phone_context(browser, server.url, **kw)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


# The app has synced and has drawn what the sync brought (pwa/app.js marks <html
# data-drawing> while a screen is being drawn; a sync's redraw starts in the same tick as 'ok').
SYNCED_AND_DRAWN = (
    "window.rounds && window.rounds.sync.status.state === 'ok'"
    " && !document.documentElement.dataset.drawing"
)


def settled(page: Any) -> None:
    """Wait until no screen is being drawn (after a sync or a navigation)."""
    page.wait_for_function("!document.documentElement.dataset.drawing")


def sync_now(page: Any) -> str:
    """Run one sync in the page, let the screen show it, and return its state (ok, offline,
    retrying, error)."""
    state = str(
        page.evaluate("window.rounds.sync.run().then(() => window.rounds.sync.status.state)")
    )
    settled(page)
    return state


def logged_in_and_synced(page: Any, email: str) -> None:
    """Log in, wait for the first full sync, the screen that shows it, and for the service
    worker to hold the shell."""
    login(page, email)
    page.wait_for_function(SYNCED_AND_DRAWN, timeout=30000)
    wait_controlled(page)


@pytest.fixture
def tall_phone(browser: Any, server: Server) -> Iterator[Any]:
    """A 390×844 phone (an iPhone 12-14's viewport) with its own storage."""
    made: list[Any] = []

    def make(locale: str = "en-GB") -> Any:
        # device_scale_factor 1 keeps the README's screenshots small
        ctx = phone_context(browser, server.url, size=(390, 844), scale=1, locale=locale)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()
