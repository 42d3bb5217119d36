"""Queries on quotes and their lines; rows become Structs here."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from backend.customers.tables import Contact, Customer
from backend.documents.reads import json_value, line_read, priced_fields, quantized
from backend.quoting.core import effective_status
from backend.quoting.schemas import QuoteLineRead, QuoteRead, TaxBucketRead
from backend.quoting.tables import Quote, QuoteLine

QUOTE_COLUMNS = (
    Quote.id,
    Quote.number,
    Quote.customer,
    Quote.contact,
    Quote.author,
    Quote.price_list,
    Quote.currency,
    Quote.locale,
    Quote.status,
    Quote.issue_date,
    Quote.valid_until,
    Quote.terms,
    Quote.notes,
    Quote.document_discount_pct,
    Quote.subtotal,
    Quote.discount_total,
    Quote.tax_total,
    Quote.total,
    Quote.tax_breakdown,
    Quote.price_mismatch,
    Quote.mismatches,
    Quote.company,
    Quote.fingerprint,
    Quote.device_pdf_sha256,
    Quote.server_pdf_sha256,
    Quote.pdf_match,
    Quote.order,
    Quote.captured_at,
    Quote.created_at,
    Quote.updated_at,
    Quote.version,
    Quote.approval,
    Quote.approval_by,
    Quote.approval_at,
    Quote.approval_reason,
)
LINE_COLUMNS = (
    QuoteLine.id,
    QuoteLine.quote,
    QuoteLine.position,
    QuoteLine.product,
    QuoteLine.sku,
    QuoteLine.name,
    QuoteLine.unit,
    QuoteLine.quantity,
    QuoteLine.unit_price,
    QuoteLine.discount_pct,
    QuoteLine.tax_rate,
    QuoteLine.net,
    QuoteLine.tax_amount,
    QuoteLine.total,
)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def to_line_read(row: dict[str, Any]) -> QuoteLineRead:
    return line_read(QuoteLineRead, row)


def to_quote_read(
    row: dict[str, Any],
    lines: list[QuoteLineRead] | None,
    *,
    today: date,
    document: dict[str, Any] | None = None,
) -> QuoteRead:
    valid_until = _date(row["valid_until"])
    return QuoteRead(
        id=row["id"],
        number=row["number"],
        customer_id=row["customer"],
        contact_id=row["contact"],
        author_id=row["author"],
        locale=row["locale"],
        status=effective_status(row["status"], valid_until, today),  # type: ignore[arg-type]
        issue_date=_date(row["issue_date"]),
        valid_until=valid_until,
        terms=row["terms"],
        notes=row["notes"],
        tax_breakdown=[
            TaxBucketRead(
                rate=quantized(b["rate"], 2),
                base=quantized(b["base"], 2),
                tax=quantized(b["tax"], 2),
            )
            for b in json_value(row["tax_breakdown"]) or []
        ],
        fingerprint=row["fingerprint"],
        device_pdf_sha256=row["device_pdf_sha256"],
        server_pdf_sha256=row["server_pdf_sha256"],
        pdf_match=row["pdf_match"],
        order_id=row["order"],
        captured_at=row["captured_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        lines=lines,
        document=document,
        **priced_fields(row),
    )


def company_of(row: dict[str, Any]) -> dict[str, Any]:
    return dict(json_value(row["company"]) or {})


async def get_quote_row(quote_id: UUID, condition: Any | None = None) -> dict[str, Any] | None:
    where = (Quote.id == quote_id) & Quote.deleted_at.is_null()
    if condition is not None:
        where = where & condition
    return await Quote.select(*QUOTE_COLUMNS).where(where).first()


async def get_quote_owner(quote_id: UUID) -> dict[str, Any] | None:
    """Author and deletion of an id, whoever's it is: for idempotent creates."""
    return await Quote.select(Quote.author, Quote.deleted_at).where(Quote.id == quote_id).first()


async def number_taken(number: str) -> bool:
    return await Quote.exists().where(Quote.number == number)


async def list_line_rows(quote_id: UUID) -> list[dict[str, Any]]:
    return await (
        QuoteLine.select(*LINE_COLUMNS)
        .where(QuoteLine.quote == quote_id)
        .order_by(QuoteLine.position)
    )


async def list_line_rows_of_many(quote_ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    by_quote: dict[UUID, list[dict[str, Any]]] = {i: [] for i in quote_ids}
    if quote_ids:
        rows = await (
            QuoteLine.select(*LINE_COLUMNS)
            .where(QuoteLine.quote.is_in(quote_ids))
            .order_by(QuoteLine.position)
        )
        for row in rows:
            by_quote[row["quote"]].append(row)
    return by_quote


async def list_quote_rows(condition: Any, limit: int, offset: int) -> list[dict[str, Any]]:
    query = Quote.select(*QUOTE_COLUMNS)
    if condition is not None:
        query = query.where(condition)
    return await (
        query.order_by(Quote.created_at, ascending=False)
        .order_by(Quote.id)
        .limit(limit)
        .offset(offset)
    )


async def get_customer_for_document(customer_id: UUID) -> dict[str, Any] | None:
    return await (
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.code,
            Customer.street,
            Customer.postal_code,
            Customer.city,
            Customer.region,
            Customer.territory,
            Customer.distributor,
            Customer.price_list,
        )
        .where((Customer.id == customer_id) & Customer.deleted_at.is_null())
        .first()
    )


async def get_contact_for_document(contact_id: UUID) -> dict[str, Any] | None:
    return await (
        Contact.select(Contact.id, Contact.customer, Contact.name, Contact.phone, Contact.email)
        .where((Contact.id == contact_id) & Contact.deleted_at.is_null())
        .first()
    )
