"""What the server exposes: security headers on every answer, only the app's own files from
pwa/, the API docs from local files, and no notification read without a session."""

from __future__ import annotations

import re

from notifications.tables import Notification
from tests.factories import make_inbox_entry, make_world_fast


async def test_every_answer_carries_the_security_headers(client):
    for path in ("/", "/app.js", "/api/health", "/api/no-such-thing", "/package.json", "/schema"):
        r = await client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "same-origin", path
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, path
    app_csp = (await client.get("/")).headers["content-security-policy"]
    assert "'unsafe-inline'" not in app_csp.replace("style-src-attr 'unsafe-inline'", "")


async def test_only_the_shell_and_vendor_assets_are_served(client):
    for path in (
        "/",
        "/index.html",
        "/app.js",
        "/sw.js",
        "/sw/push.js",
        "/ui/today.js",
        "/vendor/leaflet/leaflet.js",
        "/manifest.webmanifest",
    ):
        assert (await client.get(path)).status_code == 200, path
    for path in (
        "/package.json",
        "/package-lock.json",
        "/scripts/icons.py",
        "/README.md",
        "/node_modules/pyodide/package.json",
        "/sw",
        "/vendor",
        "/%00",
        "/..%2fpyproject.toml",
        "/lib/../package.json",
    ):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("application/problem+json")


async def test_api_docs_load_nothing_from_another_origin(client):
    html = (await client.get("/schema")).text
    sources = re.findall(r'(?:src|href)=["\']([^"\']+)', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    for s in sources:
        if s.startswith("/vendor/"):
            assert (await client.get(s)).status_code == 200, s
    assert "swagger-ui-bundle.js" in html


async def test_a_report_without_a_session_reveals_nothing(client):
    w = await make_world_fast()
    nid = await make_inbox_entry(w.rep1, title="Secret price for you")
    for what in ("displayed", "clicked"):
        r = await client.post(f"/api/notifications/{nid}/{what}")
        assert r.status_code == 204 and r.content == b""
    row = (
        await Notification.select(Notification.displayed_at, Notification.clicked_at)
        .where(Notification.id == nid)
        .first()
    )
    assert row["displayed_at"] is not None and row["clicked_at"] is not None
    # The owner still reads it, with a session.
    inbox = (await client.get("/api/notifications", headers=w.headers["rep1"])).json()
    assert inbox[0]["title"] == "Secret price for you"
