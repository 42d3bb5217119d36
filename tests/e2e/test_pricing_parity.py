"""The order screen's live totals equal the server's: pwa/lib/pricing.js vs backend pricing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.quotes.pricing import LineInput, price_document

from .conftest import Server

pytestmark = pytest.mark.e2e


def _dec(places: int, hi: int) -> st.SearchStrategy[str]:
    return st.integers(0, hi * 10**places).map(lambda n: str(Decimal(n).scaleb(-places)))


LINE = st.fixed_dictionaries(
    {
        "quantity": _dec(3, 500).filter(lambda q: Decimal(q) > 0),
        "unit_price": _dec(4, 2000),
        "discount_pct": _dec(2, 100),
        "tax_rate": st.sampled_from(["0", "5", "9", "13", "20", "22", "24", "7.7"]),
    }
)
DOCS = st.lists(st.lists(LINE, min_size=1, max_size=8), min_size=40, max_size=40)


@pytest.fixture(scope="module")
def pricing_page(browser: Any, server: Server) -> Any:
    ctx = browser.new_context(base_url=server.url, service_workers="block")
    page = ctx.new_page()
    page.goto("/manifest.webmanifest")
    yield page
    ctx.close()


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=DOCS)
def test_device_totals_match_the_server_to_the_cent(pricing_page: Any, docs: list[Any]) -> None:
    device = pricing_page.evaluate(
        "(docs) => import('/lib/pricing.js').then((m) => docs.map((d) => m.priceOrder(d)))", docs
    )
    for lines, mine in zip(docs, device, strict=True):
        server = price_document(
            [
                LineInput(
                    product_id=str(i),
                    sku="",
                    name="",
                    quantity=Decimal(x["quantity"]),
                    unit_price=Decimal(x["unit_price"]),
                    tax_rate=Decimal(x["tax_rate"]),
                    discount_pct=Decimal(x["discount_pct"]),
                )
                for i, x in enumerate(lines)
            ]
        )
        assert Decimal(mine["subtotal"]) == server.subtotal
        assert Decimal(mine["tax_total"]) == server.tax_total
        assert Decimal(mine["total"]) == server.total
        for got, want in zip(mine["lines"], server.lines, strict=True):
            assert (Decimal(got["net"]), Decimal(got["tax_amount"]), Decimal(got["total"])) == (
                want.net,
                want.tax_amount,
                want.total,
            )
