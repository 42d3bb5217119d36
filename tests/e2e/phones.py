"""A 390×844 phone for the partner apps' browser tests, and screenshots for pwa/README.md."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from .conftest import ROOT, SYNCED_AND_DRAWN, wait_controlled

# The README's screenshots are rewritten only when asked (ROUNDS_DOCS_SCREENSHOTS=1), so an
# ordinary run leaves the work tree clean; otherwise they go to a temporary folder.
DOCS = (
    ROOT / "pwa" / "docs"
    if os.environ.get("ROUNDS_DOCS_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "rounds-e2e-screens"
)


def open_app(ctx: Any, email: str, password: str) -> Any:
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.tabs")
    page.wait_for_function(SYNCED_AND_DRAWN, timeout=30000)
    wait_controlled(page)
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


def shot(page: Any, name: str) -> None:
    """A screenshot for pwa/README.md, from the top of the screen."""
    DOCS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(DOCS / f"{name}.png"))
