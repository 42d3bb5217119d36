"""The quote as the PDF shows it, and its fingerprint: SHA-256 of its canonical content.

The fingerprint is over the content, not the PDF bytes (a file cannot contain its own hash);
``pdf_sha256`` hashes the bytes, to compare the device's file with the server's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from reportlab.pdfbase import pdfutils

from backend.quotes.labels import LABELS
from backend.quotes.pricing import (
    LineInput,
    PricedDocument,
    PricedLine,
    PricingPolicy,
    price_document,
)

_FINGERPRINT_VERSION = 1


@dataclass(frozen=True)
class Company:
    """The seller as printed in the header; the logo, if any, must be a JPEG."""

    name: str
    address: str = ""
    vat_no: str = ""
    reg_no: str = ""
    phone: str = ""
    email: str = ""
    logo_jpeg: bytes | None = None


@dataclass(frozen=True)
class Customer:
    """The buyer the quote is addressed to."""

    name: str
    address: str = ""
    code: str = ""


@dataclass(frozen=True)
class Contact:
    """The person at the customer the quote is for."""

    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class QuoteDocument:
    """Everything a quote PDF shows; the figures are always (re)computed by the pricing module."""

    number: str
    issue_date: date
    valid_until: date
    company: Company
    customer: Customer
    lines: Sequence[LineInput | PricedLine]
    contact: Contact | None = None
    currency: str = "EUR"
    locale: str = "en"
    document_discount_pct: Decimal = Decimal("0")
    terms: str = ""
    notes: str = ""
    policy: PricingPolicy = field(default_factory=PricingPolicy)

    def __post_init__(self) -> None:
        if self.locale not in LABELS:
            raise ValueError(f"locale: must be one of {', '.join(LABELS)}, got {self.locale!r}")
        logo = self.company.logo_jpeg
        if logo is not None:
            try:
                pdfutils.readJPEGInfo(BytesIO(logo))
            except Exception as exc:  # reportlab raises struct/PDF errors on non-JPEG bytes
                raise ValueError(
                    "company.logo_jpeg: must be baseline or progressive JPEG bytes "
                    "(other formats would need Pillow, which the device lacks)"
                ) from exc

    def line_inputs(self) -> tuple[LineInput, ...]:
        """The lines as pricing inputs, whether they were given priced or not."""
        return tuple(
            LineInput(
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                tax_rate=line.tax_rate,
                discount_pct=line.discount_pct,
                unit=line.unit,
            )
            for line in self.lines
        )

    def priced(self) -> PricedDocument:
        """The quote's figures under its policy, in its currency."""
        return price_document(
            self.line_inputs(),
            document_discount_pct=self.document_discount_pct,
            policy=dataclasses.replace(self.policy, currency=self.currency),
        )


def _canonical_decimal(value: Decimal) -> str:
    # 1.50 and 1.5 price and print the same, so they must fingerprint the same.
    return format(Decimal(value).normalize(), "f")


def canonical_content(quote: QuoteDocument) -> bytes:
    """The quote's content as canonical JSON (sorted keys, normalised decimals, UTF-8)."""
    company = dataclasses.asdict(quote.company)
    logo = company.pop("logo_jpeg")
    company["logo_sha256"] = hashlib.sha256(logo).hexdigest() if logo is not None else None
    content: dict[str, Any] = {
        "version": _FINGERPRINT_VERSION,
        "number": quote.number,
        "issue_date": quote.issue_date.isoformat(),
        "valid_until": quote.valid_until.isoformat(),
        "currency": quote.currency,
        "locale": quote.locale,
        "company": company,
        "customer": dataclasses.asdict(quote.customer),
        "contact": dataclasses.asdict(quote.contact) if quote.contact is not None else None,
        "lines": [
            {
                "product_id": line.product_id,
                "sku": line.sku,
                "name": line.name,
                "quantity": _canonical_decimal(line.quantity),
                "unit_price": _canonical_decimal(line.unit_price),
                "tax_rate": _canonical_decimal(line.tax_rate),
                "discount_pct": _canonical_decimal(line.discount_pct),
                "unit": line.unit,
            }
            for line in quote.lines
        ],
        "document_discount_pct": _canonical_decimal(quote.document_discount_pct),
        "terms": quote.terms,
        "notes": quote.notes,
        "policy": {
            "rounding": quote.policy.rounding,
            "money_places": quote.policy.money_places,
            "prices_include_tax": quote.policy.prices_include_tax,
        },
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def quote_fingerprint(quote: QuoteDocument) -> str:
    """SHA-256 (hex) of the quote's canonical content; printed in the PDF footer."""
    return hashlib.sha256(canonical_content(quote)).hexdigest()


def pdf_sha256(data: bytes) -> str:
    """SHA-256 (hex) of rendered PDF bytes, to compare a device's file with the server's."""
    return hashlib.sha256(data).hexdigest()
