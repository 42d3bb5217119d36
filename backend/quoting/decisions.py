"""A quote's way through its statuses: sent, then accepted (an order is made) or rejected.

Reps (their own quotes), managers and admins send quotes and record the customer's answer;
a customer user answers its own sent quotes. A quote past valid_until is expired and can no
longer be accepted. Accepting makes the order exactly once: the status moves with a
conditional update (only from "sent"), and the order's id is derived from the quote's, so a
retried or concurrent accept finds the same order instead of making a second one.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

import structlog

from backend.accounts.principal import Principal, Role
from backend.db import write_transaction
from backend.documents import approval
from backend.documents.schemas import ApprovalDecision, DeviceTotals
from backend.documents.store import record_write
from backend.errors import Conflict, FieldError, NotFound, ValidationFailed
from backend.orders import service as orders_service
from backend.orders.schemas import OrderCreate, OrderLineCreate
from backend.quoting import core
from backend.quoting import repository as repo
from backend.quoting.schemas import QuoteDecision, QuoteRead, QuoteStatusChange
from backend.quoting.service import now, read, scope, seal, today, writable_row
from backend.quoting.tables import Quote

log = structlog.get_logger(__name__)


def order_id_for(quote_id: UUID) -> UUID:
    """The id of the order a quote becomes: the same on every retry."""
    return uuid5(quote_id, "order")


def _check_time(captured_at: datetime | None) -> None:
    if captured_at is not None and captured_at.tzinfo is None:
        raise ValidationFailed(
            detail="captured_at needs a time zone offset.",
            errors=[FieldError("captured_at", "needs an offset", "naive_datetime")],
        )


async def _row_for_answer(principal: Principal, quote_id: UUID) -> dict[str, Any]:
    if principal.role == Role.CUSTOMER:
        row = await repo.get_quote_row(quote_id, scope(principal))
        if row is None:
            raise NotFound(detail="No such quote.")
        return row
    return await writable_row(principal, quote_id)


async def _move(
    principal: Principal,
    row: dict[str, Any],
    target: str,
    note: str,
    captured_at: datetime | None,
) -> None:
    current = core.effective_status(row["status"], repo._date(row["valid_until"]), today())
    if not core.can_move(current, target):
        raise Conflict(
            detail=f"A quote that is {current} cannot become {target}.",
            errors=[FieldError("status", f"not allowed from {current}", "transition")],
        )
    # Conditional: of two concurrent answers only one finds the quote still in `current`.
    moved = (
        await Quote.update(
            {
                Quote.status: target,
                Quote.version: Quote.version + 1,
                Quote.updated_at: now(),
            }
        )
        .where((Quote.id == row["id"]) & (Quote.status == current))
        .returning(Quote.id)
    )
    if not moved:
        raise Conflict(detail="The quote was answered meanwhile.")
    await record_write(
        "quotes",
        row["id"],
        row["customer"],
        "quote",
        actor_id=principal.user_id,
        summary=f"Quote {row['number']}: {current} → {target}",
        data={
            "number": row["number"],
            "action": target,
            "from": current,
            "to": target,
            "note": note,
            "by_role": principal.role,
        },
        captured_at=captured_at,
    )


async def send_quote(principal: Principal, quote_id: UUID, data: QuoteStatusChange) -> QuoteRead:
    """Mark a draft as sent to the customer (optionally with the device's PDF hash)."""
    _check_time(data.captured_at)
    async with write_transaction():
        row = await writable_row(principal, quote_id)
        approval.check_can_go_out(row, "quote")
        await _move(principal, row, "sent", data.note, data.captured_at)
        if data.device_pdf_sha256 is not None:
            await seal(quote_id, data.device_pdf_sha256)
    return await read(quote_id)


async def reject_quote(principal: Principal, quote_id: UUID, data: QuoteDecision) -> QuoteRead:
    """Record the customer's no."""
    _check_time(data.captured_at)
    async with write_transaction():
        row = await _row_for_answer(principal, quote_id)
        await _move(principal, row, "rejected", data.note, data.captured_at)
    return await read(quote_id)


def _author_principal(row: dict[str, Any], principal: Principal) -> Principal:
    # The order is the quote's author's, priced from the customer's list whatever the role of
    # who accepted; admin scope, because the customer was checked when the quote was made.
    return dataclasses.replace(
        principal,
        user_id=row["author"],
        role="admin",
        distributor_id=None,
        customer_id=None,
        territory_ids=frozenset(),
    )


async def accept_quote(principal: Principal, quote_id: UUID, data: QuoteDecision) -> QuoteRead:
    """Record the customer's yes and turn the quote into an order, exactly once."""
    _check_time(data.captured_at)
    async with write_transaction():
        row = await _row_for_answer(principal, quote_id)
        approval.check_can_go_out(row, "quote")
        order_id = order_id_for(quote_id)
        await _move(principal, row, "accepted", data.note, data.captured_at)
        lines = await repo.list_line_rows(quote_id)
        order = OrderCreate(
            id=order_id,
            customer_id=row["customer"],
            lines=[
                OrderLineCreate(
                    product_id=line["product"],
                    quantity=Decimal(line["quantity"]),
                    discount_pct=Decimal(line["discount_pct"]),
                    # The quoted figures are the agreed ones, even if the list changed since.
                    unit_price=Decimal(line["unit_price"]),
                    tax_rate=Decimal(line["tax_rate"]),
                    net=Decimal(line["net"]),
                    tax_amount=Decimal(line["tax_amount"]),
                    total=Decimal(line["total"]),
                )
                for line in lines
            ],
            document_discount_pct=Decimal(row["document_discount_pct"]),
            device_totals=DeviceTotals(
                tax_total=Decimal(row["tax_total"]), total=Decimal(row["total"])
            ),
            notes=f"Quote {row['number']}",
            captured_at=data.captured_at,
        )
        created, _ = await orders_service.submit_order(
            _author_principal(row, principal),
            order,
            captured_at=data.captured_at,
            agreed_prices=True,
        )
        # Linked once the order exists (the foreign key is checked at once on PostgreSQL).
        await Quote.update({Quote.order: created.id}).where(Quote.id == quote_id)
    log.info("quotes.accepted", quote_id=str(quote_id), order_id=str(created.id))
    return await read(quote_id)


async def change_status(principal: Principal, quote_id: UUID, data: QuoteStatusChange) -> QuoteRead:
    """One entry for every transition a writer may record (sync uses it)."""
    if data.status == "sent":
        return await send_quote(principal, quote_id, data)
    decision = QuoteDecision(note=data.note, captured_at=data.captured_at)
    if data.status == "accepted":
        return await accept_quote(principal, quote_id, decision)
    # A customer's decline queued offline arrives here too; `_row_for_answer` keeps it to
    # the customer's own quotes.
    return await reject_quote(principal, quote_id, decision)


async def decide_approval(
    principal: Principal, quote_id: UUID, data: ApprovalDecision
) -> QuoteRead:
    """A manager of the customer's region (or an admin) approves or rejects the discounts."""
    async with write_transaction():
        row = await repo.get_quote_row(quote_id, scope(principal))
        if row is None:
            raise NotFound(detail="No such quote.")
        await approval.record_decision(
            principal, Quote, row, data, stream="quotes", kind="quote", label="Quote"
        )
    log.info("quotes.approval_decided", quote_id=str(quote_id), decision=data.decision)
    return await read(quote_id)
