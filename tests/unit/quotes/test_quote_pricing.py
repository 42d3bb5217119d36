"""Pricing: hand-checked figures, invariants for any input, and clear errors for bad input."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.quotes.pricing import (
    LineInput,
    PricingError,
    PricingPolicy,
    compare,
    document_to_dict,
    price_document,
)

D = Decimal


def line(qty: str, price: str, rate: str, disc: str = "0", sku: str = "S") -> LineInput:
    return LineInput(
        product_id=f"p-{sku}",
        sku=sku,
        name=f"Product {sku}",
        quantity=D(qty),
        unit_price=D(price),
        tax_rate=D(rate),
        discount_pct=D(disc),
    )


# ---- examples computed by hand ---------------------------------------------------------


def test_two_rates_with_line_and_document_discount() -> None:
    doc = price_document(
        [line("3", "19.99", "22", "10", "A"), line("1.5", "4.10", "9", sku="B")],
        document_discount_pct=D("5"),
    )
    a, b = doc.lines
    # 3 x 19.99 = 59.97; 10 % = 5.997 -> 6.00; net 53.97; 22 % tax = 11.8734 -> 11.87
    assert (a.gross, a.discount_amount, a.net, a.tax_amount, a.total) == (
        D("59.97"),
        D("6.00"),
        D("53.97"),
        D("11.87"),
        D("65.84"),
    )
    # 1.5 x 4.10 = 6.15; 9 % tax = 0.5535 -> 0.55
    assert (b.net, b.tax_amount, b.total) == (D("6.15"), D("0.55"), D("6.70"))
    assert doc.subtotal == D("60.12")
    # 5 % of 60.12 = 3.006 -> 3.01, split 53.97 : 6.15 -> 2.702.. : 0.307..; floors 2.70 + 0.30,
    # the last cent goes to the larger remainder (the 9 % bucket).
    assert doc.document_discount_amount == D("3.01")
    nine, twenty_two = doc.tax_breakdown
    assert (nine.rate, nine.base, nine.tax) == (D("9"), D("5.84"), D("0.53"))
    assert (twenty_two.rate, twenty_two.base, twenty_two.tax) == (D("22"), D("51.27"), D("11.28"))
    assert (doc.net_total, doc.tax_total, doc.total) == (D("57.11"), D("11.81"), D("68.92"))
    assert doc.currency == "EUR"


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [("half_up", D("0.13")), ("half_even", D("0.12"))],
)
def test_ties_follow_the_configured_rounding(rounding: str, expected: Decimal) -> None:
    doc = price_document([line("1", "0.125", "0")], policy=PricingPolicy(rounding=rounding))  # type: ignore[arg-type]
    assert doc.lines[0].gross == expected
    assert doc.total == expected


def test_tax_inclusive_prices_split_into_net_and_tax() -> None:
    doc = price_document([line("2", "12.20", "22")], policy=PricingPolicy(prices_include_tax=True))
    priced = doc.lines[0]
    # 24.40 includes 22 %: net 24.40 / 1.22 = 20.00, tax 4.40
    assert (priced.gross, priced.net, priced.tax_amount, priced.total) == (
        D("24.40"),
        D("20.00"),
        D("4.40"),
        D("24.40"),
    )
    assert (doc.net_total, doc.tax_total, doc.total) == (D("20.00"), D("4.40"), D("24.40"))


def test_tax_inclusive_document_discount_comes_off_what_the_customer_pays() -> None:
    doc = price_document(
        [line("1", "122.00", "22")],
        document_discount_pct=D("10"),
        policy=PricingPolicy(prices_include_tax=True),
    )
    # 10 % of 122.00 = 12.20 -> 109.80 incl. tax = 90.00 + 19.80
    assert doc.document_discount_amount == D("12.20")
    assert (doc.net_total, doc.tax_total, doc.total) == (D("90.00"), D("19.80"), D("109.80"))


def test_zero_decimal_currency_rounds_to_whole_units() -> None:
    doc = price_document(
        [line("3", "333.5", "10")], policy=PricingPolicy(currency="JPY", money_places=0)
    )
    # 1000.5 -> 1001 (half up); tax 100.1 -> 100
    assert (doc.lines[0].gross, doc.tax_total, doc.total) == (D("1001"), D("100"), D("1101"))
    assert doc.currency == "JPY"


def test_full_line_discount_makes_the_line_free_not_negative() -> None:
    doc = price_document([line("2", "9.99", "22", "100")])
    assert doc.lines[0].net == 0
    assert doc.total == 0


def test_empty_document_totals_zero() -> None:
    doc = price_document([], document_discount_pct=D("10"))
    assert doc.total == D("0.00")
    assert doc.tax_breakdown == ()


# ---- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (line("-1", "1", "22"), "line 2: quantity: must not be negative"),
        (line("1.2345", "1", "22"), "line 2: quantity: has more than 3 decimal places"),
        (line("1", "-0.01", "22"), "line 2: unit_price: must not be negative"),
        (line("1", "1", "22", "100.5"), "line 2: discount_pct: must be at most 100"),
        (line("1", "1", "-5"), "line 2: tax_rate: must not be negative"),
        (line("1", "NaN", "22"), "line 2: unit_price: must be a finite number"),
        (
            dataclasses.replace(line("1", "1", "22"), unit_price=1.5),  # type: ignore[arg-type]
            "line 2: unit_price: must be a Decimal",
        ),
    ],
)
def test_bad_line_is_named_by_line_and_field(bad: LineInput, message: str) -> None:
    with pytest.raises(PricingError) as err:
        price_document([line("1", "1", "22"), bad])
    assert str(err.value).startswith(message)
    assert err.value.line_index == 1


def test_bad_document_discount_and_policy_are_refused() -> None:
    with pytest.raises(PricingError, match="document_discount_pct: must be at most 100"):
        price_document([line("1", "1", "22")], document_discount_pct=D("101"))
    with pytest.raises(PricingError, match="currency"):
        price_document([line("1", "1", "22")], policy=PricingPolicy(currency="euro"))
    with pytest.raises(PricingError, match="rounding"):
        price_document([line("1", "1", "22")], policy=PricingPolicy(rounding="up"))  # type: ignore[arg-type]


# ---- properties for any input -----------------------------------------------------------


def decimals(max_value: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, max_value * 10**places).map(lambda n: Decimal(n).scaleb(-places))


quantities = st.integers(0, 3).flatmap(lambda p: decimals(10_000, p))
prices = st.integers(0, 4).flatmap(lambda p: decimals(50_000, p))
rates = st.one_of(st.sampled_from([D(0), D(5), D(9), D(20), D(22), D(24)]), decimals(30, 1))
percents = st.integers(0, 2).flatmap(lambda p: decimals(100, p))
lines_strategy = st.lists(
    st.builds(
        LineInput,
        product_id=st.just("p"),
        sku=st.just("s"),
        name=st.just("n"),
        quantity=quantities,
        unit_price=prices,
        tax_rate=rates,
        discount_pct=st.one_of(st.just(D(0)), percents),
    ),
    max_size=12,
)
policies = st.builds(
    PricingPolicy,
    rounding=st.sampled_from(["half_up", "half_even"]),
    money_places=st.integers(0, 3),
    prices_include_tax=st.booleans(),
)


@pytest.mark.slow  # 300 examples: 14-20 s under load
@settings(max_examples=300, deadline=None)
@given(lines=lines_strategy, doc_pct=st.one_of(st.just(D(0)), percents), policy=policies)
def test_totals_are_exactly_the_sum_of_their_rounded_parts(
    lines: list[LineInput], doc_pct: Decimal, policy: PricingPolicy
) -> None:
    doc = price_document(lines, document_discount_pct=doc_pct, policy=policy)
    unit = Decimal(1).scaleb(-policy.money_places)
    assert doc.total == doc.net_total + doc.tax_total
    assert doc.net_total == sum((b.base for b in doc.tax_breakdown), D(0))
    assert doc.tax_total == sum((b.tax for b in doc.tax_breakdown), D(0))
    assert doc.subtotal == sum((p.net for p in doc.lines), D(0))
    # The document discount is allocated across the rates without losing or adding a cent.
    if policy.prices_include_tax:
        assert doc.total == sum((p.total for p in doc.lines), D(0)) - doc.document_discount_amount
    else:
        assert doc.net_total == doc.subtotal - doc.document_discount_amount
    for priced in doc.lines:
        assert priced.total == priced.net + priced.tax_amount
        assert priced.gross - priced.discount_amount == (
            priced.total if policy.prices_include_tax else priced.net
        )
    # Every amount sits on the currency's grid.
    amounts = [doc.total, doc.net_total, doc.tax_total, doc.document_discount_amount, doc.subtotal]
    amounts += [a for p in doc.lines for a in (p.gross, p.discount_amount, p.net, p.tax_amount)]
    amounts += [a for b in doc.tax_breakdown for a in (b.base, b.tax)]
    assert all(a == a.quantize(unit) for a in amounts)
    assert [b.rate for b in doc.tax_breakdown] == sorted({p.tax_rate for p in doc.lines})


@pytest.mark.slow  # 300 examples: 14-20 s under load
@settings(max_examples=300, deadline=None)
@given(lines=lines_strategy, doc_pct=percents, policy=policies)
def test_discounts_never_push_a_price_below_zero(
    lines: list[LineInput], doc_pct: Decimal, policy: PricingPolicy
) -> None:
    doc = price_document(lines, document_discount_pct=doc_pct, policy=policy)
    for priced in doc.lines:
        assert D(0) <= priced.discount_amount <= priced.gross
        assert priced.net >= 0 and priced.tax_amount >= 0
    for bucket in doc.tax_breakdown:
        assert bucket.base >= 0 and bucket.tax >= 0
    assert doc.total >= 0


@settings(max_examples=300, deadline=None)
@given(
    qty=quantities,
    price=prices,
    rate=rates,
    disc=percents,
    rounding=st.sampled_from(["half_up", "half_even"]),
    places=st.integers(0, 3),
)
def test_each_line_amount_is_its_exact_value_rounded_once(
    qty: Decimal, price: Decimal, rate: Decimal, disc: Decimal, rounding: str, places: int
) -> None:
    doc = price_document(
        [LineInput("p", "s", "n", qty, price, rate, disc)],
        policy=PricingPolicy(rounding=rounding, money_places=places),  # type: ignore[arg-type]
    )
    priced = doc.lines[0]
    unit = Decimal(1).scaleb(-places)
    exact = qty * price  # exact: inputs have few digits
    error = priced.gross - exact
    assert abs(error) <= unit / 2
    if abs(error) == unit / 2:  # a tie: the mode decides which way
        if rounding == "half_up":
            assert priced.gross > exact
        else:
            assert (priced.gross / unit) % 2 == 0
    mode = ROUND_HALF_UP if rounding == "half_up" else ROUND_HALF_EVEN
    assert priced.tax_amount == (priced.net * rate / 100).quantize(unit, rounding=mode)


@settings(max_examples=200, deadline=None)
@given(lines=lines_strategy.filter(bool), doc_pct=percents, policy=policies)
def test_document_discount_share_per_rate_is_proportional_within_a_cent(
    lines: list[LineInput], doc_pct: Decimal, policy: PricingPolicy
) -> None:
    doc = price_document(lines, document_discount_pct=doc_pct, policy=policy)
    plain = price_document(lines, policy=policy)
    unit = Decimal(1).scaleb(-policy.money_places)
    field = "total" if policy.prices_include_tax else "net"
    before = {
        r: sum((getattr(p, field) for p in plain.lines if p.tax_rate == r), D(0))
        for r in {p.tax_rate for p in plain.lines}
    }
    whole = sum(before.values(), D(0))
    if whole == 0:
        return
    for bucket in doc.tax_breakdown:
        after = bucket.base + bucket.tax if policy.prices_include_tax else bucket.base
        share = before[bucket.rate] - after
        exact = doc.document_discount_amount * before[bucket.rate] / whole
        assert 0 <= share <= before[bucket.rate]
        assert abs(share - exact) < unit


# ---- device/server comparison -----------------------------------------------------------


def test_compare_finds_nothing_when_device_and_server_agree() -> None:
    server = price_document([line("3", "19.99", "22", "10")], document_discount_pct=D("5"))
    sent = document_to_dict(server)
    sent["total"] = f"{server.total}00"  # same number, other spelling
    assert compare(sent, server) == []
    assert compare(server, server) == []


def test_compare_names_the_figures_that_differ() -> None:
    server = price_document([line("3", "19.99", "22", "10"), line("1", "5", "9", sku="B")])
    device = document_to_dict(server)
    device["lines"][1]["net"] = "5.01"
    device["tax_breakdown"][0]["tax"] = "0.46"
    device["total"] = "0.00"
    found = {(m.field, m.line_index, m.device, str(m.server)) for m in compare(device, server)}
    assert found == {
        ("net", 1, "5.01", "5.00"),
        ("tax_breakdown[9].tax", None, "0.46", "0.45"),
        ("total", None, "0.00", str(server.total)),
    }


def test_compare_reports_missing_lines_and_unknown_rates() -> None:
    server = price_document([line("1", "5", "9")])
    device = document_to_dict(server)
    device["lines"] = []
    device["tax_breakdown"].append({"rate": "20", "base": "1.00", "tax": "0.20"})
    fields = {m.field for m in compare(device, server)}
    assert {"lines", "tax_breakdown[20]"} <= fields
