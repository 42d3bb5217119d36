"""Contact use cases: scoped through their customer; one primary contact per customer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from backend.accounts.principal import Principal
from backend.customers import repository as repo
from backend.customers.schemas import ContactCreate, ContactRead, ContactUpdate
from backend.customers.service import customer_row_in_scope, require_writer
from backend.customers.tables import Contact
from backend.db import write_transaction
from backend.errors import Conflict, FieldError, NotFound
from backend.history.recorder import record_event
from sync.changelog import record_change


def _now() -> datetime:
    return datetime.now(UTC)


async def list_contacts(principal: Principal, customer_id: UUID) -> list[ContactRead]:
    await customer_row_in_scope(principal, customer_id)
    return await repo.list_contacts_of(customer_id)


async def _contact_in_scope(principal: Principal, contact_id: UUID) -> dict[str, Any]:
    row = await repo.get_contact_row(contact_id)
    if row is None or row["deleted_at"] is not None:
        raise NotFound(detail="No such contact.")
    try:
        await customer_row_in_scope(principal, row["customer"])
    except NotFound:
        raise NotFound(detail="No such contact.") from None
    return row


async def get_contact(principal: Principal, contact_id: UUID) -> ContactRead:
    return repo.to_contact_read(await _contact_in_scope(principal, contact_id))


async def _clear_other_primaries(customer_id: UUID, keep: UUID) -> None:
    """Only one primary contact: the previous one stops being it, in the same transaction."""
    others = await repo.primary_contact_ids_of(customer_id, except_id=keep)
    if not others:
        return
    await Contact.update(
        {
            Contact.is_primary: False,
            Contact.version: Contact.version + 1,
            Contact.updated_at: _now(),
        }
    ).where(Contact.id.is_in(others))
    for other in others:
        await record_change("contacts", other, "put", customer_id=customer_id)


async def create_contact(
    principal: Principal,
    customer_id: UUID,
    data: ContactCreate,
    *,
    captured_at: datetime | None = None,
) -> ContactRead:
    """Add a contact (admin, manager, rep in scope); a device-made id makes it idempotent.

    The customer's history gets an entry naming who added whom (captured_at: device clock).
    """
    contact_id = data.id or uuid4()
    async with write_transaction():
        await customer_row_in_scope(principal, customer_id)
        require_writer(principal, "change contacts")
        contact = Contact(
            id=contact_id,
            customer=customer_id,
            name=data.name,
            title=data.title,
            phone=data.phone,
            email=data.email,
            is_primary=data.is_primary,
            locale=data.locale,
            offers_opt_in=data.offers_opt_in,
        )
        # The id taken already (a retried create, or a clash) inserts nothing: the common
        # case costs one query instead of a look-up first.
        inserted = (
            await Contact.insert(contact)
            .on_conflict(target=Contact.id, action="DO NOTHING")
            .returning(Contact.id)
        )
        if not inserted:
            existing = await repo.get_contact_row(contact_id)
            if (
                existing is not None
                and existing["deleted_at"] is None
                and existing["customer"] == customer_id
            ):
                return repo.to_contact_read(existing)
            raise Conflict(
                detail="A contact with this id exists already.",
                errors=[FieldError("id", "already used", "taken")],
            )
        if data.is_primary:
            await _clear_other_primaries(customer_id, contact_id)
        row = contact.to_dict()
        await record_event(
            customer_id,
            "contact_added",
            ref_id=contact_id,
            actor_id=principal.user_id,
            summary=f"Contact added: {data.name}" + (f", {data.title}" if data.title else ""),
            data={"name": data.name, "title": data.title},
            captured_at=captured_at,
        )
        await record_change(
            "contacts",
            contact_id,
            "put",
            customer_id=customer_id,
            user_id=principal.user_id,
            row=row,
        )
    # The row is exactly what was inserted (scope checked above): no re-read, which would
    # cost two queries per contact a device creates.
    return repo.to_contact_read(row)


async def update_contact(
    principal: Principal, contact_id: UUID, data: ContactUpdate, *, base_version: int | None = None
) -> ContactRead:
    if base_version is None and data.base_version is not msgspec.UNSET:
        base_version = data.base_version
    async with write_transaction():
        row = await _contact_in_scope(principal, contact_id)
        require_writer(principal, "change contacts")
        if base_version is not None and base_version != row["version"]:
            raise Conflict(
                detail="Someone else changed this contact first.",
                extra={"current_version": row["version"]},
            )
        values: dict[Any, Any] = {
            getattr(Contact, f): getattr(data, f)
            for f in data.__struct_fields__
            if f != "base_version" and getattr(data, f) is not msgspec.UNSET
        }
        if values:
            values[Contact.version] = Contact.version + 1
            values[Contact.updated_at] = _now()
            await Contact.update(values).where(Contact.id == contact_id)
            if data.is_primary is True:
                await _clear_other_primaries(row["customer"], contact_id)
            await record_change(
                "contacts",
                contact_id,
                "put",
                customer_id=row["customer"],
                user_id=principal.user_id,
            )
    return await get_contact(principal, contact_id)


async def delete_contact(principal: Principal, contact_id: UUID) -> None:
    async with write_transaction():
        row = await _contact_in_scope(principal, contact_id)
        require_writer(principal, "change contacts")
        now = _now()
        await Contact.update(
            {
                Contact.deleted_at: now,
                Contact.is_primary: False,
                Contact.version: Contact.version + 1,
                Contact.updated_at: now,
            }
        ).where(Contact.id == contact_id)
        await record_change(
            "contacts", contact_id, "del", customer_id=row["customer"], user_id=principal.user_id
        )
