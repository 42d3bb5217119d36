"""Upgrades: a new service-worker version waits for the user; IndexedDB climbs its ladder."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import (
    ROOT,
    Server,
    _prepare_database,
    login,
    phone_context,
    start_server,
    stop_server,
    wait_controlled,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def own_pwa_server() -> Iterator[tuple[Server, Path]]:
    """A server whose PWA files are a copy the test may change, like a deploy would."""
    data_dir = Path(tempfile.mkdtemp(prefix="rounds-e2e-sw-"))
    pwa = data_dir / "pwa"
    try:
        # The shell with the vendored libraries (the phone keeps the Pyodide runtime after
        # its first sync; the test checks an update does not fetch it again).
        shutil.copytree(ROOT / "pwa", pwa, ignore=shutil.ignore_patterns("node_modules", "dist"))
        _prepare_database(data_dir)
        srv = start_server(data_dir, pwa_dir=pwa)
        try:
            yield srv, pwa
        finally:
            stop_server(srv)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _cache_names(page: Any) -> list[str]:
    return sorted(page.evaluate("caches.keys()"))


def test_new_version_waits_for_the_user_then_replaces_the_old_cache(
    browser: Any, own_pwa_server: tuple[Server, Path]
) -> None:
    srv, pwa = own_pwa_server
    ctx = phone_context(browser, srv.url)
    try:
        page = ctx.new_page()
        login(page, "admin@example.com")
        wait_controlled(page)
        sw = (pwa / "sw.js").read_text()
        old = int(re.search(r"const VERSION = (\d+);", sw).group(1))  # type: ignore[union-attr]
        # After the first sync the phone keeps the PDF engine, in caches of its own.
        page.wait_for_selector("html[data-quote-kit=ready]", state="attached", timeout=120000)
        runtime = page.evaluate("import('/sw/shell.js').then((m) => m.ENGINE_RUNTIME_CACHE)")
        assert _cache_names(page) == sorted(
            [f"rounds-shell-v{old}", runtime, "rounds-pdf-engine-v1"]
        )

        (pwa / "sw.js").write_text(
            sw.replace(f"const VERSION = {old};", f"const VERSION = {old + 1};")
        )
        page.evaluate("window.rounds.bridge.update()")
        page.wait_for_selector("#update-accept")
        # Until the user agrees the old version keeps serving.
        assert page.evaluate("window.rounds.bridge.version()") == old

        with page.expect_navigation():
            page.click("#update-accept")
        page.wait_for_function("window.rounds && navigator.serviceWorker.controller")
        page.wait_for_function(f"window.rounds.bridge.version().then((v) => v === {old + 1})")
        page.wait_for_function(
            f"caches.keys().then((k) => !k.includes('rounds-shell-v{old}')"
            f" && k.includes('rounds-shell-v{old + 1}'))"
        )
        # The 13 MB engine is not downloaded again with the new version: its cache stays.
        assert _cache_names(page) == sorted(
            [f"rounds-shell-v{old + 1}", runtime, "rounds-pdf-engine-v1"]
        )
        assert page.evaluate(
            f"caches.open('{runtime}').then((c) => c.match('/vendor/pyodide/pyodide.asm.wasm'))"
            ".then((r) => Boolean(r))"
        )
        page.wait_for_selector("nav.tabs")  # still logged in, the app works on the new version
    finally:
        ctx.close()


def test_storage_upgrade_keeps_data_and_adds_what_the_new_version_needs(
    server: Server, new_phone: Any
) -> None:
    page = new_phone().new_page()
    page.goto("/")
    page.wait_for_selector("input[name=email]")
    result = page.evaluate(
        """async () => {
          const { openDb, DB_VERSION, Store } = await import('/lib/db.js');
          // A device still on version 1 of the schema, with a replica and an unsent change.
          const v1 = new Store(await openDb('upgrade-test', 1));
          await v1.put('customers', { id: 'c1', name: 'Old Shop', version: 3 });
          await v1.put('visits', { id: 'v1', customer_id: 'c1', status: 'done' });
          await v1.put('outbox',
            { mid: 7, collection: 'visits', op: 'create', id: 'v1', state: 'pending' });
          await v1.setMeta('cursor', 'abc');
          const before = [...v1.db.objectStoreNames];
          v1.close();
          const now = new Store(await openDb('upgrade-test'));
          const out = {
            before, version: now.db.version, latest: DB_VERSION,
            after: [...now.db.objectStoreNames],
            customer: await now.get('customers', 'c1'), outbox: await now.all('outbox'),
            cursor: await now.meta('cursor'),
            byCustomer: await now.byIndex('visits', 'customer_id', 'c1'),
          };
          now.close();
          indexedDB.deleteDatabase('upgrade-test');
          return out;
        }"""
    )
    assert result["version"] == result["latest"] > 1
    assert "journal" not in result["before"] and "journal" in result["after"]
    assert result["customer"]["name"] == "Old Shop"
    assert [e["mid"] for e in result["outbox"]] == [7]
    assert result["cursor"] == "abc"
    assert [v["id"] for v in result["byCustomer"]] == ["v1"]
