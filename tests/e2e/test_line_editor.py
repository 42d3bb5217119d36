"""One line editor for orders and quotes (ui/line-editor.js): the same steps on a 320×480
phone give the same lines and the same totals on both screens, by thumb and by keyboard,
with 44 px targets, nothing sideways, and no axe violations with lines on the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Server, logged_in_and_synced
from .test_a11y import _axe

pytestmark = pytest.mark.e2e

# The prices of tests/e2e/conftest.py's seed: coffee 14.90 at 24 %, sprats 2.15 at 9 %.
COFFEE = "Coffee beans 1 kg"
SPRATS = "Sprats in oil"

_TARGETS = """() => [...document.querySelectorAll('[data-line] button, [data-line] input')]
  .map((e) => { const r = e.getBoundingClientRect(); return [e.getAttribute('aria-label'),
  Math.round(r.width), Math.round(r.height)]; })"""


@pytest.mark.parametrize("screen", ["order", "quote"])
def test_the_same_line_editing_gives_the_same_total_on_orders_and_quotes(
    server: Server, new_phone: Any, screen: str
) -> None:
    # A customer no other browser test uses: its drafts and lines are this test's own.
    shop = server.seed["customers"][50 if screen == "order" else 51]
    ctx = new_phone()
    page = ctx.new_page()
    page.set_viewport_size({"width": 320, "height": 480})
    logged_in_and_synced(page, "rep@example.com")
    page.goto(f"/#/{screen}/{shop['id']}")
    lines = page.locator(f"#{screen}-lines [data-line]")
    for word in ("coffee", "sprats"):
        page.fill("input.search", word)
        page.click("#catalogue button")
        # The found product says it is in the document, where the thumb is.
        expect(page.locator("#catalogue .in-order")).to_have_text("✓ 1 added")
    expect(lines).to_have_count(2)
    expect(page.locator("#line-added")).to_have_text(f"Added: {SPRATS} (1)")

    # By thumb: + twice on the coffee's quantity; the sprats' quantity typed.
    page.click(f"[aria-label='Increase: Qty {COFFEE}']")
    page.click(f"[aria-label='Increase: Qty {COFFEE}']")
    page.fill(f"[aria-label='Qty {SPRATS}']", "4")
    # By keyboard: the arrow keys step the focused field, one up and one down.
    page.focus(f"[aria-label='Qty {COFFEE}']")
    page.keyboard.press("ArrowUp")
    expect(page.locator(f"[aria-label='Qty {COFFEE}']")).to_have_value("4")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"[aria-label='Qty {COFFEE}']")).to_have_value("3")
    # − takes one off (it stops at one: a line goes with its ✕).
    page.click(f"[aria-label='Decrease: Qty {SPRATS}']")
    expect(page.locator(f"[aria-label='Qty {SPRATS}']")).to_have_value("3")
    # 3 × 14.90 = 44.70 + 24 % and 3 × 2.15 = 6.45 + 9 %: 51.15 + 10.73 + 0.58 = 62.46.
    expect(page.locator("#totals [data-total]")).to_have_attribute("data-total", "62.46")
    page.screenshot(path=f"/tmp/pwa-line-editor-{screen}.png", full_page=True)

    page.click(f"[aria-label='Remove {SPRATS}']")
    expect(lines).to_have_count(1)
    # Focus stays on the editor (the coffee's ✕ now), not lost to the page.
    page.wait_for_function(
        "document.activeElement && document.activeElement.matches('[data-line] button.remove')"
        " && document.querySelector('#totals [data-total]').dataset.total === '55.43'"
        " && document.querySelector('#totals [data-subtotal]').dataset.subtotal === '44.70'"
    )
    # Lines are net on both screens, so they add up to the subtotal above the tax.
    expect(page.locator("[data-line-total]")).to_contain_text("44.70")

    targets = page.evaluate(_TARGETS)
    assert len(targets) == 7, targets  # − qty +, − discount +, ✕
    assert all(w >= 44 and h >= 44 for _, w, h in targets), targets
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0, sideways
    assert _axe(page) == []

    # The draft kept every change: the screen drawn again shows the same line and total.
    page.reload()
    expect(lines).to_have_count(1)
    expect(page.locator(f"[aria-label='Qty {COFFEE}']")).to_have_value("3")
    expect(page.locator("#totals [data-total]")).to_have_attribute("data-total", "55.43")
