"""Wire contract of quotes and their lines (Decimals travel as strings)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from backend.documents.schemas import (
    Approval,
    DeviceTotals,
    PricedLineCreate,
    PricedLineRead,
    PriceMismatch,
)
from backend.schemas import Locale, ShortText

Status = Literal["draft", "sent", "accepted", "rejected", "expired"]
# What a writer may set; "expired" only ever follows from valid_until.
Transition = Literal["sent", "accepted", "rejected"]
QuoteNumber = Annotated[str, Meta(min_length=1, max_length=40)]
Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$")]
# Free text printed on the PDF: its render time grows faster than linearly with line breaks,
# so both its length and its breaks are bounded (CR and LF count one each; no ambiguity, so
# the pattern runs in linear time).
PdfText = Annotated[
    str,
    Meta(
        max_length=4000,
        pattern=r"^[^\r\n]*([\r\n][^\r\n]*){0,200}$",
        description="printed on the PDF: at most 4,000 characters and 200 line breaks",
    ),
]


class QuoteLineCreate(PricedLineCreate):
    """One line; unit_price/tax_rate/net/... are the device's figures, checked, not used."""


class QuoteCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    number: QuoteNumber | None = None  # a device number "<client code>-Q<n>", else assigned
    customer_id: UUID
    contact_id: UUID | None = None
    lines: Annotated[list[QuoteLineCreate], Meta(min_length=1, max_length=500)]
    document_discount_pct: Decimal = Decimal(0)
    locale: Locale | None = None  # the quote's language; default: the author's
    issue_date: date | None = None  # default: today (UTC)
    valid_until: date | None = None  # default: issue_date + 30 days
    terms: PdfText = ""
    notes: PdfText = ""
    status: Literal["draft", "sent"] = "draft"
    device_totals: DeviceTotals | None = None
    device_pdf_sha256: Sha256 | None = None
    captured_at: datetime | None = None


class QuoteUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A draft's edit; lines, when given, replace all lines. Only drafts can be edited."""

    contact_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    lines: Annotated[list[QuoteLineCreate], Meta(min_length=1, max_length=500)] | None = None
    document_discount_pct: Decimal | msgspec.UnsetType = msgspec.UNSET
    locale: Locale | msgspec.UnsetType = msgspec.UNSET
    issue_date: date | msgspec.UnsetType = msgspec.UNSET
    valid_until: date | msgspec.UnsetType = msgspec.UNSET
    terms: PdfText | msgspec.UnsetType = msgspec.UNSET
    notes: PdfText | msgspec.UnsetType = msgspec.UNSET
    device_totals: DeviceTotals | None = None
    device_pdf_sha256: Sha256 | None = None
    captured_at: datetime | None = None


class QuoteStatusChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Transition
    note: ShortText = ""
    device_pdf_sha256: Sha256 | None = None
    captured_at: datetime | None = None


class QuoteDecision(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A customer's (or rep's) accept/reject, with an optional note."""

    note: ShortText = ""
    captured_at: datetime | None = None


class QuoteLineRead(PricedLineRead):
    pass


class TaxBucketRead(msgspec.Struct, kw_only=True):
    rate: Decimal
    base: Decimal
    tax: Decimal


class QuoteRead(msgspec.Struct, kw_only=True):
    id: UUID
    number: str
    customer_id: UUID
    contact_id: UUID | None
    author_id: UUID
    price_list_id: UUID | None
    currency: str
    locale: str
    status: Status
    issue_date: date
    valid_until: date
    terms: str
    notes: str
    document_discount_pct: Decimal
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    tax_breakdown: list[TaxBucketRead]
    price_mismatch: bool
    mismatches: list[PriceMismatch]
    fingerprint: str
    device_pdf_sha256: str | None
    server_pdf_sha256: str | None
    pdf_match: bool | None
    order_id: UUID | None
    captured_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    lines: list[QuoteLineRead] | None = None
    # The JSON both engines render the PDF from (backend.quotes.wire), with lines only.
    document: dict[str, Any] | None = None
    approval: Approval | None = None
    approval_by_id: UUID | None = None
    approval_at: datetime | None = None
    approval_reason: str = ""
