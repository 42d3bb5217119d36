"""Quote wording and number formats: complete in every language, grouped the local way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.quotes.labels import LABELS, format_date, format_decimal


def test_every_language_has_every_label() -> None:
    english = set(LABELS["en"])
    for locale, labels in LABELS.items():
        assert set(labels) == english, locale
        assert all(text.strip() for text in labels.values()), locale


@pytest.mark.parametrize(
    ("locale", "value", "places", "expected"),
    [
        ("en", Decimal("1234567.5"), 2, "1,234,567.50"),
        ("ru", Decimal("1234567.5"), 2, "1\u00a0234\u00a0567,50"),
        ("et", Decimal("999.00"), 2, "999,00"),
        ("uk", Decimal("1000"), 0, "1\u00a0000"),
        ("et", Decimal("1.500"), None, "1,5"),  # quantities: as many places as they need
        ("en", Decimal("22.0"), None, "22"),
        ("en", Decimal("0.125"), None, "0.125"),
    ],
)
def test_numbers_are_grouped_the_local_way(
    locale: str, value: Decimal, places: int | None, expected: str
) -> None:
    assert format_decimal(value, locale, places=places) == expected


def test_dates_are_iso_in_english_and_day_first_elsewhere() -> None:
    assert format_date(date(2026, 3, 9), "en") == "2026-03-09"
    assert format_date(date(2026, 3, 9), "et") == "09.03.2026"
