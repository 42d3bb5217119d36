"""The app runs under its Content-Security-Policy: no violation on the login and main
screens, the route map, the PDF engine's worker, nor the API docs."""

from __future__ import annotations

from typing import Any

import pytest

from backend.quotes.pdf import pdf_sha256, render_quote_pdf
from backend.quotes.wire import compose_quote_json, quote_document_from_json

from .conftest import PASSWORD, Server, phone_context
from .test_pwa_route_map import new_rep

pytestmark = pytest.mark.e2e

_LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def _watch(page: Any) -> list[str]:
    seen: list[str] = []
    page.add_init_script(_LISTEN)
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return seen


def _violations(page: Any, console: list[str]) -> list[str]:
    return [*console, *page.evaluate("window.__csp || []")]


def _until(page: Any, expression: str, timeout_ms: int = 30000) -> None:
    """Poll with evaluate: wait_for_function needs eval, which the policy forbids."""
    waited = 0
    while not page.evaluate(expression):
        assert waited < timeout_ms, f"timed out waiting for {expression}"
        page.wait_for_timeout(200)
        waited += 200


@pytest.fixture
def strict_phone(browser: Any, server: Server) -> Any:
    ctx = phone_context(browser, server.url, bypass_csp=False)
    yield ctx
    ctx.close()


def test_login_and_main_screens_pass_the_csp(server: Server, strict_phone: Any) -> None:
    rep = new_rep(server)
    page = strict_phone.new_page()
    console = _watch(page)
    page.goto("/")
    page.wait_for_selector("input[name=email]")
    assert _violations(page, console) == []
    page.fill("input[name=email]", rep["email"])
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.tabs")
    _until(page, "() => window.rounds && window.rounds.sync.status.state === 'ok'")
    _until(page, "() => navigator.serviceWorker.controller !== null")
    for screen, selector in (
        ("#/today", "nav.tabs"),
        ("#/customers", "[data-customer]"),
        ("#/planning", "nav.tabs"),
        ("#/sync", "nav.tabs"),
        ("#/settings", "nav.tabs"),
    ):
        page.goto(f"/{screen}")
        page.wait_for_selector(selector)
        page.wait_for_timeout(300)
        assert _violations(page, console) == [], screen
    # The map library (lazy) and the PDF engine's worker start under the same policy.
    page.evaluate("import('/vendor/leaflet/leaflet.js')")
    page.evaluate("import('/pdf/client.js').then((m) => m.prefetchEngine())")
    # Pyodide compiles WebAssembly in the worker: it must run, and print the server's bytes.
    doc = compose_quote_json(
        {"number": "CSP-1", "issue_date": "2026-01-05", "valid_until": "2026-02-04"},
        [
            {
                "product_id": "p",
                "sku": "S-1",
                "name": "Tea",
                "quantity": "2",
                "unit_price": "3.50",
                "tax_rate": "22",
            }
        ],
        {"name": "Kohvik"},
        None,
        {"name": "Rounds"},
    )
    sha = page.evaluate(
        "(doc) => import('/pdf/client.js')"
        ".then((m) => m.renderQuotePdf(doc)).then((r) => r.sha256)",
        doc,
    )
    assert sha == pdf_sha256(render_quote_pdf(quote_document_from_json(doc)))
    assert _violations(page, console) == []


def test_api_docs_pass_their_csp_offline_of_any_cdn(server: Server, strict_phone: Any) -> None:
    page = strict_phone.new_page()
    console = _watch(page)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None,
    )
    page.goto("/schema", wait_until="domcontentloaded", timeout=90000)
    page.wait_for_selector(".swagger-ui .info", timeout=90000)
    assert _violations(page, console) == []
    assert outside == [], outside
