"""The server's own notification texts, in the recipient's language."""

from __future__ import annotations

import pytest

from notifications.texts import STATUS_WORDS, language, order_status_text, reorder_text


@pytest.mark.parametrize(
    ("locale", "title", "body"),
    [
        ("en", "Order 01-7: shipped", "It was confirmed."),
        ("ru-RU", "Заказ 01-7: отгружен", "Был: подтверждён."),
        ("uk", "Замовлення 01-7: відвантажено", "Було: підтверджено."),
        ("et-EE", "Tellimus 01-7: teele saadetud", "Enne: kinnitatud."),
        ("fi", "Order 01-7: shipped", "It was confirmed."),
        (None, "Order 01-7: shipped", "It was confirmed."),
    ],
)
def test_order_status_speaks_the_recipients_language(locale, title, body):
    assert order_status_text(locale, "01-7", "confirmed", "shipped") == (title, body)


def test_every_language_names_every_status():
    assert {frozenset(words) for words in STATUS_WORDS.values()} == {
        frozenset({"submitted", "confirmed", "shipped", "delivered", "cancelled"})
    }
    assert language("RU") == "ru" and language("") == "en"


def test_reorder_names_the_shop_the_order_and_its_lines():
    title, body = reorder_text("et", "Kohvik Õun", "SO-2026-000003", 4)
    assert title == "Kohvik Õun soovib uuesti tellida"
    assert "SO-2026-000003" in body and "4" in body
