"""Quotes: made on behalf of a rep (online or replayed by sync), edited while draft, read in scope.

Who writes: admins, managers and reps for customers in their scope. Customer users read their
own quotes once sent, and accept or reject them (backend.quoting.decisions).

Pricing is the orders' rule and code (backend.documents.pricing): unit prices from the
customer's price list, tax rates from the products, every figure recomputed; what the device
sent is compared and each difference listed in ``mismatches`` (the server's figure is kept).

Numbers never collide: the server assigns "Q-<year>-<6 digits>" from a NumberSeries row
inside the write transaction; a device offline sends "<sync client code>-Q<n>" (its install's
code, unique per install, and its own counter), checked by shape, by the series it belongs
to (backend.numbering: only the sending device's) and by the unique index (409 when taken).

The PDF: the quote's JSON (backend.quotes.wire) is composed from the rows by the same pure
function the device runs; its fingerprint is stored on every write. When the device sends
the SHA-256 of the PDF it rendered, the server renders the same JSON and stores its own hash
and whether they match.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import msgspec
import structlog

from backend.accounts.principal import Principal, Role
from backend.approvals_visibility import shaped_document
from backend.db import is_unique_violation, write_transaction
from backend.documents import approval, pricing
from backend.documents.store import record_write, store_lines
from backend.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from backend.quotes.pricing import PricedDocument
from backend.quoting import core, documents, rendering
from backend.quoting import repository as repo
from backend.quoting.company import load_company
from backend.quoting.schemas import QuoteCreate, QuoteLineCreate, QuoteRead, QuoteUpdate
from backend.quoting.tables import Quote, QuoteLine
from backend.schemas import Page
from backend.scope import combine, customer_condition, customer_in_scope
from backend.settings import get_settings

log = structlog.get_logger(__name__)
WRITERS = ("admin", "manager", "rep")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def scope(principal: Principal) -> Any | None:
    """Quotes a principal reads (visibility.md): those of the customers it sees; a distributor
    the ones it made; a customer those addressed to it, never drafts. REST and sync ask this."""
    condition = customer_condition(principal, via=Quote.customer)
    if principal.role == Role.DISTRIBUTOR:
        return Quote.author == principal.user_id
    if principal.role == Role.CUSTOMER:
        return combine(condition, Quote.status != "draft")
    return condition


# --- reading ----------------------------------------------------------------------------


async def read(quote_id: UUID, *, with_document: bool = True) -> QuoteRead:
    """A quote with its lines (and JSON document), without a scope check."""
    row = await repo.get_quote_row(quote_id)
    if row is None:
        raise NotFound(detail="No such quote.")
    line_rows = await repo.list_line_rows(quote_id)
    doc = await documents.quote_json(await documents.with_policy(row), line_rows)
    return repo.to_quote_read(
        row,
        [repo.to_line_read(r) for r in line_rows],
        today=today(),
        document=doc if with_document else None,
    )


async def get_quote(principal: Principal, quote_id: UUID) -> QuoteRead:
    if await repo.get_quote_row(quote_id, scope(principal)) is None:
        raise NotFound(detail="No such quote.")
    return shaped_document(principal, await read(quote_id))


async def list_quotes(
    principal: Principal,
    *,
    customer_id: UUID | None = None,
    status: str | None = None,
    mine: bool = False,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[QuoteRead]:
    """Quotes in scope, newest first, without lines; ``mine``: the customer's or the author's."""
    if cursor and (not cursor.isdigit() or len(cursor) > 9):
        raise ValidationFailed(
            detail="The cursor is not valid.",
            errors=[FieldError("cursor", "not a cursor from this list")],
        )
    offset = int(cursor or 0)
    day = today()
    status_condition: Any
    if status == "expired":
        status_condition = Quote.status.is_in(list(core.OPEN)) & (Quote.valid_until < day)
    elif status in core.OPEN:
        status_condition = (Quote.status == status) & (Quote.valid_until >= day)
    else:
        status_condition = Quote.status == status if status else None
    mine_condition = None
    if mine:
        mine_condition = (
            Quote.customer == principal.customer_id
            if principal.role == Role.CUSTOMER
            else Quote.author == principal.user_id
        )
    condition = combine(
        Quote.deleted_at.is_null(),
        scope(principal),
        Quote.customer == customer_id if customer_id else None,
        status_condition,
        mine_condition,
    )
    rows = await repo.list_quote_rows(condition, limit + 1, offset)
    return Page(
        items=[
            shaped_document(principal, repo.to_quote_read(r, None, today=day)) for r in rows[:limit]
        ],
        next_cursor=str(offset + limit) if len(rows) > limit else None,
    )


def company_header() -> dict[str, Any]:
    """The seller's header as new quotes print it (devices cache it for offline quotes)."""
    return load_company(get_settings().data_dir)


# --- checks and pricing -----------------------------------------------------------------


def _check_common(
    errors: list[FieldError],
    discount: Decimal | None,
    issue: date | None,
    valid_until: date | None,
    captured_at: datetime | None,
) -> None:
    pricing.check_document_discount(errors, discount)
    if issue is not None and valid_until is not None and valid_until < issue:
        errors.append(FieldError("valid_until", "must not be before issue_date", "range"))
    if captured_at is not None and captured_at.tzinfo is None:
        errors.append(FieldError("captured_at", "needs a time zone offset", "naive_datetime"))


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(detail="The quote is not valid; nothing was stored.", errors=errors)


async def _customer(principal: Principal, customer_id: UUID) -> dict[str, Any]:
    row = await repo.get_customer_for_document(customer_id)
    if row is None or not customer_in_scope(principal, row):
        raise NotFound(detail="No such customer.")
    return row


async def _check_contact(contact_id: UUID | None, customer_id: UUID) -> None:
    if contact_id is None:
        return
    contact = await repo.get_contact_for_document(contact_id)
    if contact is None or contact["customer"] != customer_id:
        raise ValidationFailed(
            detail="No such contact of this customer.",
            errors=[FieldError("contact_id", "no such contact of this customer", "unknown")],
        )


async def _price_list(customer: dict[str, Any]) -> dict[str, Any]:
    return await pricing.price_list_row(customer["price_list"])


async def _price(
    lines: list[QuoteLineCreate], discount: Decimal, price_list: dict[str, Any]
) -> PricedDocument:
    # Not the price list's discount limit: that is the order's (an agreed quote's order is
    # priced at its agreed prices); a quote's discounts are the author's role's (approval).
    return await pricing.price_lines(lines, discount, price_list)


def _figures(priced: PricedDocument) -> dict[Any, Any]:
    return {
        **pricing.document_figures(priced),
        Quote.tax_breakdown: [
            {"rate": str(b.rate), "base": str(b.base), "tax": str(b.tax)}
            for b in priced.tax_breakdown
        ],
    }


async def seal(quote_id: UUID, device_pdf_sha256: str | None) -> None:
    """Store the fingerprint; with a device hash, render here too and record the match."""
    row = await repo.get_quote_row(quote_id)
    assert row is not None
    doc = await documents.quote_json(
        await documents.with_policy(row), await repo.list_line_rows(quote_id)
    )
    values: dict[Any, Any] = {Quote.fingerprint: documents.fingerprint_of(doc)}
    if device_pdf_sha256 is not None:
        _, server_sha = await rendering.render_pdf(doc)
        values.update(
            {
                Quote.device_pdf_sha256: device_pdf_sha256,
                Quote.server_pdf_sha256: server_sha,
                Quote.pdf_match: server_sha == device_pdf_sha256,
            }
        )
        if server_sha != device_pdf_sha256:
            log.warning("quotes.pdf_mismatch", quote_id=str(quote_id), number=row["number"])
    else:
        # The content may have changed since a device's file: an old verdict no longer holds.
        values.update(
            {Quote.device_pdf_sha256: None, Quote.server_pdf_sha256: None, Quote.pdf_match: None}
        )
    await Quote.update(values).where(Quote.id == quote_id)


# --- capture ----------------------------------------------------------------------------


async def _existing(principal: Principal, quote_id: UUID) -> QuoteRead | None:
    owner = await repo.get_quote_owner(quote_id)
    if owner is None:
        return None
    if owner["author"] != principal.user_id:
        raise Conflict(detail="A quote with this id exists already.")
    if owner["deleted_at"] is not None:
        raise Conflict(detail="This quote was deleted.")
    return await read(quote_id)


async def submit_quote(
    principal: Principal, data: QuoteCreate, *, captured_at: datetime | None = None
) -> tuple[QuoteRead, bool]:
    """Create a quote (see the module docstring); returns it and whether it is new."""
    if principal.role not in WRITERS:
        raise PermissionDenied(detail="Your role cannot make quotes.")
    captured_at = captured_at or data.captured_at
    issue = data.issue_date or today()
    valid_until = data.valid_until or issue + timedelta(days=core.DEFAULT_VALIDITY_DAYS)
    errors: list[FieldError] = []
    pricing.check_lines(errors, data.lines)
    _check_common(errors, data.document_discount_pct, issue, valid_until, captured_at)
    if wrong := core.NUMBERS.shape_error(data.number):
        errors.append(wrong)
    _raise(errors)
    quote_id = data.id or uuid4()
    if data.id is not None and (found := await _existing(principal, quote_id)):
        return found, False
    await core.NUMBERS.check_series(principal.user_id, data.number)
    customer = await _customer(principal, data.customer_id)
    await _check_contact(data.contact_id, data.customer_id)
    price_list = await _price_list(customer)
    priced = await _price(data.lines, data.document_discount_pct, price_list)
    mismatches = pricing.device_mismatches(data.lines, data.device_totals, priced)
    company = company_header()
    needs = approval.approval_for(principal, priced)
    # Above the limits it is kept as a draft: it can be sent once a manager approved it.
    status = "draft" if needs else data.status
    try:
        async with write_transaction():
            if data.id is not None and (found := await _existing(principal, quote_id)):
                return found, False
            number = await core.NUMBERS.take(data.number, issue.year, repo.number_taken)
            await Quote.insert(
                Quote(
                    id=quote_id,
                    number=number,
                    customer=customer["id"],
                    contact=data.contact_id,
                    author=principal.user_id,
                    price_list=price_list["id"],
                    locale=data.locale or principal.locale,
                    status=status,
                    issue_date=issue,
                    valid_until=valid_until,
                    terms=data.terms,
                    notes=data.notes,
                    company=company,
                    captured_at=captured_at,
                    approval=needs,
                    **pricing.mismatch_figures(mismatches),
                )
            )
            await Quote.update(_figures(priced)).where(Quote.id == quote_id)
            await store_lines(QuoteLine.quote, quote_id, priced, replace=True)
            await seal(quote_id, data.device_pdf_sha256)
            await record_write(
                "quotes",
                quote_id,
                customer["id"],
                "quote",
                actor_id=principal.user_id,
                summary=f"Quote {number}: {priced.total} {priced.currency} ({status})"
                + (", discounts await approval" if needs else ""),
                data={
                    "number": number,
                    "action": "created",
                    "status": status,
                    "approval": needs,
                    "total": str(priced.total),
                    "currency": priced.currency,
                    "lines": len(priced.lines),
                    "valid_until": valid_until.isoformat(),
                    "price_mismatch": bool(mismatches),
                },
                captured_at=captured_at,
            )
    except Exception as exc:
        if isinstance(exc, Conflict | ValidationFailed) or not is_unique_violation(exc):
            raise
        if data.id is not None and (found := await _existing(principal, quote_id)):
            return found, False
        raise Conflict(detail="The quote id or number is used already.") from None
    log.info("quotes.created", quote_id=str(quote_id), number=number, by=str(principal.user_id))
    return await read(quote_id), True


async def create_quote(
    principal: Principal, data: QuoteCreate, *, captured_at: datetime | None = None
) -> QuoteRead:
    """Create a quote (or return the same author's existing one with that id)."""
    quote, _ = await submit_quote(principal, data, captured_at=captured_at)
    return quote


async def writable_row(principal: Principal, quote_id: UUID) -> dict[str, Any]:
    """The quote's row for a writer in scope: 404 out of scope, 403 for read-only roles."""
    row = await repo.get_quote_row(quote_id, scope(principal))
    if row is None:
        raise NotFound(detail="No such quote.")
    if principal.role not in WRITERS or (
        principal.role == Role.REP and row["author"] != principal.user_id
    ):
        raise PermissionDenied(detail="You may not change this quote.")
    return row


async def update_quote(
    principal: Principal,
    quote_id: UUID,
    data: QuoteUpdate,
    *,
    captured_at: datetime | None = None,
) -> QuoteRead:
    """Edit a draft: its lines (repriced), discount, dates, terms, notes, contact, language."""
    captured_at = captured_at or data.captured_at
    errors: list[FieldError] = []
    if data.lines is not None:
        pricing.check_lines(errors, data.lines)
    discount = None if data.document_discount_pct is msgspec.UNSET else data.document_discount_pct
    _check_common(errors, discount, None, None, captured_at)
    _raise(errors)
    async with write_transaction():
        row = await writable_row(principal, quote_id)
        if row["status"] != "draft":
            raise Conflict(
                detail=f"A quote that is {row['status']} cannot be edited.",
                errors=[FieldError("status", "only drafts can be edited", "not_draft")],
            )
        changes = {
            k: v
            for k, v in msgspec.structs.asdict(data).items()
            if v is not msgspec.UNSET
            and k not in ("device_totals", "device_pdf_sha256", "captured_at")
            and not (k == "lines" and v is None)
        }
        issue = changes.get("issue_date", row["issue_date"])
        valid_until = changes.get("valid_until", row["valid_until"])
        _check_common(errors, None, repo._date(issue), repo._date(valid_until), None)
        _raise(errors)
        if "contact_id" in changes:
            await _check_contact(changes["contact_id"], row["customer"])
        values: dict[Any, Any] = {
            Quote.version: Quote.version + 1,
            Quote.updated_at: now(),
        }
        for key, column in (
            ("contact_id", Quote.contact),
            ("locale", Quote.locale),
            ("issue_date", Quote.issue_date),
            ("valid_until", Quote.valid_until),
            ("terms", Quote.terms),
            ("notes", Quote.notes),
        ):
            if key in changes:
                values[column] = changes[key]
        if data.lines is not None or discount is not None:
            customer = await repo.get_customer_for_document(row["customer"])
            assert customer is not None
            price_list = await _price_list(customer)
            lines = data.lines
            if lines is None:
                lines = [
                    QuoteLineCreate(
                        product_id=r["product"],
                        quantity=Decimal(r["quantity"]),
                        discount_pct=Decimal(r["discount_pct"]),
                    )
                    for r in await repo.list_line_rows(quote_id)
                ]
            priced = await _price(
                lines,
                discount if discount is not None else Decimal(row["document_discount_pct"]),
                price_list,
            )
            mismatches = pricing.device_mismatches(lines, data.device_totals, priced)
            values.update(_figures(priced))
            values.update({"price_list": price_list["id"], **pricing.mismatch_figures(mismatches)})
            # New figures, new verdict: an earlier approval or rejection no longer holds.
            needs = approval.approval_for(principal, priced)
            if needs or row.get("approval") is not None:
                values.update({"approval": needs, **approval.reset_values()})
            await store_lines(QuoteLine.quote, quote_id, priced, replace=True)
        await Quote.update(values).where(Quote.id == quote_id)
        await seal(quote_id, data.device_pdf_sha256)
        await record_write(
            "quotes",
            quote_id,
            row["customer"],
            "quote",
            actor_id=principal.user_id,
            summary=f"Quote {row['number']} edited",
            data={"number": row["number"], "action": "edited", "fields": sorted(changes)},
            captured_at=captured_at,
        )
    return await read(quote_id)
