"""Builds the sample quotes the PDF tests and the benchmark render; imports no test tooling."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

from backend.quotes.pdf import Company, Contact, Customer, QuoteDocument
from backend.quotes.pricing import LineInput

D = Decimal
# Made once with Pillow and kept as bytes, so a process without Pillow (the device) can use it.
_LOGO = Path(__file__).with_name("logo.jpg")


def jpeg_logo_bytes() -> bytes:
    """A 120x60 JPEG made once with Pillow."""
    return _LOGO.read_bytes()


def make_quote(
    n_lines: int = 3, locale: str = "en", *, with_logo: bool = False, **changes: object
) -> QuoteDocument:
    """A quote with Cyrillic and Estonian names, two tax rates and some discounts."""
    lines = [
        LineInput(
            product_id=f"prod-{i}",
            sku=f"SKU-{i:04d}",
            name="Õun Šokolaad Žürii" if i == 0 else f"Kohvioad {i} kg",
            quantity=D(i % 5 + 1),
            unit_price=D("12.345") if i % 2 else D("3.50"),
            tax_rate=D("22") if i % 3 else D("9"),
            discount_pct=D("5") if i % 4 == 0 else D("0"),
        )
        for i in range(n_lines)
    ]
    quote = QuoteDocument(
        number="Q-7F3A-0042",
        issue_date=date(2026, 3, 9),
        valid_until=date(2026, 4, 8),
        company=Company(
            name="Rounds Trade OÜ",
            address="Narva mnt 5\n10117 Tallinn",
            vat_no="EE101234567",
            reg_no="12345678",
            phone="+372 600 0000",
            email="sales@example.test",
            logo_jpeg=jpeg_logo_bytes() if with_logo else None,
        ),
        customer=Customer(name="Ёлкин Юрий", address="ул. Ленина 1, Нарва", code="C-0917"),
        contact=Contact(
            name="Їжак Ґанна Євгенівна", phone="+380 44 000 0000", email="h@example.test"
        ),
        lines=lines,
        locale=locale,
        document_discount_pct=D("2.5"),
        terms="Payment within 14 days. Delivery within 3 working days.",
        notes="Prices & terms <as agreed>.",
    )
    return dataclasses.replace(quote, **changes)  # type: ignore[arg-type]
