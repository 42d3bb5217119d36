"""The priced-document core (backend.documents) that orders and quotes share."""

from __future__ import annotations

from decimal import Decimal as D
from uuid import uuid4

import msgspec
import pytest

from backend.documents import pricing
from backend.documents.columns import PricedDocumentColumns, PricedLineColumns
from backend.errors import FieldError
from backend.orders import core as order_core
from backend.orders.schemas import OrderLineCreate, OrderLineRead
from backend.orders.tables import Order, OrderLine
from backend.quotes.pricing import LineInput, price_document
from backend.quoting import core as quote_core
from backend.quoting.schemas import QuoteLineCreate, QuoteLineRead
from backend.quoting.tables import Quote, QuoteLine

LINE_TYPES = (OrderLineCreate, QuoteLineCreate)


def _decode(kind: type, fields: dict[str, object]) -> object:
    return msgspec.json.decode(msgspec.json.encode(fields), type=kind)


@pytest.mark.parametrize(
    "fields",
    [
        {"quantity": "1", "surprise": 1},  # unknown field
        {"quantity": "one"},  # not a number
        {},  # quantity missing
    ],
)
def test_order_and_quote_lines_refuse_the_same_malformed_input_alike(fields) -> None:
    body = {"product_id": str(uuid4()), **fields}
    messages = []
    for kind in LINE_TYPES:
        with pytest.raises(msgspec.ValidationError) as refused:
            _decode(kind, body)
        messages.append(str(refused.value))
    assert messages[0] == messages[1]


def test_order_and_quote_lines_read_the_same_input_to_the_same_figures() -> None:
    body = {"product_id": str(uuid4()), "quantity": "2.5", "discount_pct": "5", "net": "9.99"}
    order_line, quote_line = (_decode(kind, body) for kind in LINE_TYPES)
    assert msgspec.structs.asdict(order_line) == msgspec.structs.asdict(quote_line)
    assert msgspec.structs.asdict(order_line)["quantity"] == D("2.5")


def test_line_figures_outside_their_digits_are_named_for_both() -> None:
    lines = [
        OrderLineCreate(product_id=uuid4(), quantity=D("1.0001")),
        OrderLineCreate(product_id=uuid4(), quantity=D("1"), discount_pct=D("100.01")),
        OrderLineCreate(product_id=uuid4(), quantity=D("1"), unit_price=D("0.00001")),
        OrderLineCreate(product_id=uuid4(), quantity=D("1"), tax_rate=D("-1")),
        OrderLineCreate(product_id=uuid4(), quantity=D("0")),
        OrderLineCreate(product_id=uuid4(), quantity=D("99999999999"), unit_price=D("10")),
    ]
    as_quote = [QuoteLineCreate(**msgspec.structs.asdict(line)) for line in lines]
    found: list[list[FieldError]] = []
    for sent in (lines, as_quote):
        errors: list[FieldError] = []
        pricing.check_lines(errors, sent)
        found.append(errors)
    assert found[0] == found[1]
    assert [e.field for e in found[0]] == [
        "lines[0].quantity",
        "lines[1].discount_pct",
        "lines[2].unit_price",
        "lines[3].tax_rate",
        "lines[4].quantity",
    ]
    assert {e.code for e in found[0]} == {"out_of_range"}


def test_discounts_above_a_price_lists_limit_are_named() -> None:
    lines = [
        QuoteLineCreate(product_id=uuid4(), quantity=D("1"), discount_pct=D("12")),
        QuoteLineCreate(product_id=uuid4(), quantity=D("1"), discount_pct=D("10")),
    ]
    errors = pricing.discount_errors(lines, D("10.5"), D("10.00"), "RETAIL")
    assert [(e.field, e.code) for e in errors] == [
        ("lines[0].discount_pct", "over_limit"),
        ("document_discount_pct", "over_limit"),
    ]
    assert errors[0].message == "at most 10 % with price list RETAIL"
    assert pricing.discount_errors(lines, D("50"), None, "RETAIL") == []


def _priced(*lines: tuple[str, str, str, str], discount: str = "0"):
    return price_document(
        [
            LineInput(
                product_id=str(uuid4()),
                sku=f"S{i}",
                name=f"N{i}",
                quantity=D(q),
                unit_price=D(p),
                tax_rate=D(t),
                discount_pct=D(d),
            )
            for i, (q, p, t, d) in enumerate(lines)
        ],
        document_discount_pct=D(discount),
    )


def test_a_documents_stored_figures_count_both_kinds_of_discount() -> None:
    priced = _priced(("3", "10", "22", "10"), ("4", "2.50", "9", "0"), discount="5")
    figures = pricing.document_figures(priced)
    assert figures["subtotal"] == D("37.00") and figures["total"] == D("41.65")
    # 3.00 off the first line and 1.85 (5 % of 37.00) off the document.
    assert figures["discount_total"] == D("4.85")
    assert set(figures) <= {c._meta.name for c in Order._meta.columns}
    assert set(figures) <= {c._meta.name for c in Quote._meta.columns}


def test_figures_too_large_for_the_columns_are_refused_by_name() -> None:
    priced = _priced(("99999999999", "999999", "0", "0"))
    fields = {e.field for e in pricing.size_problems(priced)}
    assert {"lines[0].net", "lines[0].total", "subtotal", "total"} <= fields
    assert pricing.size_problems(_priced(("1", "1", "0", "0"))) == []


def test_the_device_figures_it_did_not_send_are_not_differences() -> None:
    priced = _priced(("2", "10", "22", "0"))
    same = [OrderLineCreate(product_id=uuid4(), quantity=D("2"), unit_price=D("10"))]
    assert pricing.device_mismatches(same, None, priced) == []
    off = [QuoteLineCreate(product_id=uuid4(), quantity=D("2"), net=D("19"))]
    assert [
        (m["field"], m["line_index"]) for m in pricing.device_mismatches(off, None, priced)
    ] == [("net", 0)]


def test_orders_and_quotes_store_the_same_priced_columns() -> None:
    def shape(table: type, names: set[str]) -> dict[str, tuple[str, object]]:
        return {
            c._meta.name: (type(c).__name__, getattr(c, "digits", None))
            for c in table._meta.columns
            if c._meta.name in names
        }

    document = {k for k, v in vars(PricedDocumentColumns).items() if not k.startswith("_")}
    line = {k for k, v in vars(PricedLineColumns).items() if not k.startswith("_")}
    assert shape(Order, document) == shape(Quote, document) and len(shape(Order, document)) == 9
    assert shape(OrderLine, line) == shape(QuoteLine, line) and len(shape(OrderLine, line)) == 12
    # Each table has its own copy of a mixin's column.
    assert Order.total is not Quote.total and Order.total._meta.table is Order
    assert set(OrderLineRead.__struct_fields__) == set(QuoteLineRead.__struct_fields__)


def test_order_and_quote_numbers_follow_one_rule_with_their_own_prefix() -> None:
    assert order_core.server_number(2026, 7) == "SO-2026-000007"
    assert quote_core.server_number(2026, 7) == "Q-2026-000007"
    assert order_core.series_name(2026) == "SO-2026" and quote_core.series_name(2026) == "Q-2026"
    assert order_core.NUMBERS.shape_error("K7Q2-15") is None
    assert quote_core.NUMBERS.shape_error("17-Q3") is None
    assert order_core.NUMBERS.shape_error(None) is None
    wrong = quote_core.NUMBERS.shape_error("SO-2026-000007")
    assert wrong is not None and (wrong.field, wrong.code) == ("number", "pattern")
    assert "'<client code>-Q<n>'" in wrong.message
    wrong = order_core.NUMBERS.shape_error("17-Q3")
    assert wrong is not None and "'<install code>-<n>'" in wrong.message
