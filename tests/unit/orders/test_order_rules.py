"""Order status transitions, number formats and device mismatch detection."""

from __future__ import annotations

from decimal import Decimal

from backend.documents.pricing import device_document, price_mismatches
from backend.orders.core import can_move, is_device_number, server_number
from backend.quotes.pricing import LineInput, price_document


def test_transitions():
    assert can_move("submitted", "confirmed") and can_move("confirmed", "cancelled")
    assert not can_move("submitted", "shipped") and not can_move("shipped", "cancelled")
    assert not can_move("delivered", "submitted") and not can_move("cancelled", "confirmed")


def test_device_numbers_never_look_like_server_numbers():
    assert server_number(2026, 7) == "SO-2026-000007"
    assert not is_device_number(server_number(2026, 7))
    assert is_device_number("K7Q2-15") and is_device_number("AB-1")
    assert not is_device_number("SO-1") and not is_device_number("K7Q2-015")
    assert not is_device_number("k7q2-1") and not is_device_number("K7Q2")


def test_only_sent_figures_that_differ_are_mismatches():
    doc = price_document([LineInput("p", "S", "N", Decimal(2), Decimal("10"), Decimal(22))])
    same = device_document(
        [{"unit_price": Decimal("10.0"), "tax_rate": None}], {"total": Decimal("24.40")}
    )
    assert price_mismatches(same, doc) == []
    off = device_document(
        [{"unit_price": Decimal("9"), "tax_rate": Decimal(22)}],
        {"total": Decimal("21.96"), "subtotal": None},
    )
    found = {(m["field"], m["line_index"]) for m in price_mismatches(off, doc)}
    assert found == {("unit_price", 0), ("total", None)}
