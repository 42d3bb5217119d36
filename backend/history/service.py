"""Reading a customer's timeline and adding notes to it."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from backend.accounts.principal import Principal, Role
from backend.customers.core import decode_cursor, encode_cursor
from backend.customers.service import customer_row_in_scope
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from backend.history import repository as repo
from backend.history.recorder import record_event
from backend.history.schemas import HistoryEntryRead, NoteCreate
from backend.history.tables import HistoryEvent
from backend.schemas import Page
from backend.scope import combine, customer_condition
from backend.texts import localise

# Notes and visits are internal: the partner roles read only the kinds below (visibility.md).
NOTE_WRITERS = (Role.ADMIN, Role.MANAGER, Role.REP)
PARTNER_KINDS = {
    Role.DISTRIBUTOR: (
        "order",
        "distributor_order",
        "order_status",
        "order_edited",
        "reorder_request",
        "quote",
    ),
    Role.CUSTOMER: (
        "order",
        "distributor_order",
        "order_status",
        "order_edited",
        "reorder_request",
        "quote",
        "offer_sent",
        "offer_opened",
        "offer_clicked",
        "offer_read",
        "offers_opt_in",
        "offers_opt_out",
        "push_displayed",  # only pushes to the customer's own users are recorded
        "push_clicked",
    ),
}


def readable_history_condition(principal: Principal) -> Any | None:
    """History a principal reads (visibility.md): everything of the customers it sees; the
    partner roles only order and quote events (and a customer its offers). REST and sync."""
    condition = customer_condition(principal, via=HistoryEvent.customer)
    kinds = PARTNER_KINDS.get(principal.role)  # type: ignore[call-overload]
    if kinds is None:
        return condition
    return combine(condition, HistoryEvent.kind.is_in(list(kinds)))


_KIND = re.compile(r"^[a-z_]{1,40}$")


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        detail="The query is not valid.", errors=[FieldError(field, message, "invalid")]
    )


def _decode_before(before: str) -> tuple[datetime, UUID]:
    values = decode_cursor(before)
    try:
        if not values or len(values) != 2:
            raise ValueError
        at = datetime.fromisoformat(values[0])
        if at.tzinfo is None:
            raise ValueError
        return at, UUID(values[1])
    except (TypeError, ValueError):
        raise _invalid("before", "not a cursor of this history") from None


def localised(entry: HistoryEntryRead, locale: str | None) -> HistoryEntryRead:
    """The entry with its server-made summary in the reader's language (notes stay as typed)."""
    if entry.kind == "note":
        return entry
    text = localise(entry.summary, locale)
    return entry if text == entry.summary else msgspec.structs.replace(entry, summary=text)


async def list_history(
    principal: Principal,
    customer_id: UUID,
    *,
    kinds: list[str] | None = None,
    before: str | None = None,
    limit: int = 50,
) -> Page[HistoryEntryRead]:
    """One page of a customer's timeline, newest first; `before` is the previous next_cursor."""
    await customer_row_in_scope(principal, customer_id)
    if not 1 <= limit <= 500:
        raise _invalid("limit", "must be within 1..500")
    kinds = sorted(set(kinds or []))
    if len(kinds) > 20 or any(not _KIND.match(k) for k in kinds):
        raise _invalid("kind", "kinds are lower-case words such as visit, order, note")
    position = _decode_before(before) if before else None
    items = await repo.select_page_of_customer(
        customer_id, kinds, position, limit + 1, readable_history_condition(principal)
    )
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor([last.recorded_at.isoformat(), str(last.id)])
    return Page(items=[localised(e, principal.locale) for e in items], next_cursor=next_cursor)


async def add_note(principal: Principal, customer_id: UUID, data: NoteCreate) -> HistoryEntryRead:
    """A note on the timeline; a device-made id makes a retried note land once."""
    text = data.text.strip()
    if not text:
        raise ValidationFailed(
            detail="The note is empty.", errors=[FieldError("text", "must not be blank", "blank")]
        )
    event_id = data.id or uuid4()
    async with write_transaction():
        await customer_row_in_scope(principal, customer_id)
        if principal.role not in NOTE_WRITERS:
            raise PermissionDenied(detail="Your role may not add notes.")
        existing = await repo.get_entry(event_id)
        if existing is not None:
            if (
                existing.customer_id == customer_id
                and existing.kind == "note"
                and existing.actor_id == principal.user_id
            ):
                return existing
            raise Conflict(
                detail="An entry with this id exists already.",
                errors=[FieldError("id", "already used", "taken")],
            )
        await record_event(
            customer_id,
            "note",
            actor_id=principal.user_id,
            summary=text,
            data={"text": text},
            captured_at=data.captured_at,
            event_id=event_id,
        )
    entry = await repo.get_entry(event_id)
    assert entry is not None
    return entry
