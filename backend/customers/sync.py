"""The `customers` and `contacts` sync collections: scope, wire shape and mutations.

Customers are the anchor of scope: a customer moved (territory, distributor, region) takes
everything hanging off it (the collections with `via`) in or out of a device's replica.
Both merge field by field against base_version (sync/merge.py).
"""

from __future__ import annotations

from typing import Any

from backend.customers import contact_service, service
from backend.customers import repository as repo
from backend.customers.schemas import ContactCreate, ContactUpdate, CustomerCreate, CustomerUpdate
from backend.customers.tables import Contact, Customer
from backend.customers.visibility import shaped
from backend.principal import Principal
from backend.scope import customer_condition, customer_in_scope
from sync.appliers import Applied, convert, created, existing, merge, row_of, uuid_field
from sync.collections import Collection, each
from sync.schemas import Mutation


async def _customers(principal: Principal) -> Any | None:
    return customer_condition(principal)


async def _contacts(principal: Principal) -> Any | None:
    return customer_condition(principal, via=Contact.customer)


async def _customers_wire(rows: list[dict[str, Any]], principal: Principal) -> list[Any]:
    return [shaped(principal, repo.to_customer_read(r)) for r in rows]


async def apply_customer(principal: Principal, m: Mutation) -> Applied:
    if m.op == "create":
        data = convert(m.fields, CustomerCreate, id=str(m.id))
        read = await created(
            "customers", m.id, service.create_customer(principal, data, captured_at=m.captured_at)
        )
        return Applied(read.version)
    await existing("customers", m.id, must_exist=True)
    if m.op == "delete":
        await service.delete_customer(principal, m.id)
        row = await row_of("customers", m.id)
        return Applied(row["version"] if row else None)
    apply, conflicts = await merge("customers", m)
    read = await service.update_customer(
        principal, m.id, convert(apply, CustomerUpdate), captured_at=m.captured_at
    )
    return Applied(read.version, conflicts)


async def apply_contact(principal: Principal, m: Mutation) -> Applied:
    if m.op == "create":
        fields = dict(m.fields)
        customer_id = uuid_field(fields.pop("customer_id", None), "customer_id")
        data = convert(fields, ContactCreate, id=str(m.id))
        read = await created(
            "contacts",
            m.id,
            contact_service.create_contact(principal, customer_id, data, captured_at=m.captured_at),
        )
        return Applied(read.version)
    await existing("contacts", m.id, must_exist=True)
    if m.op == "delete":
        await contact_service.delete_contact(principal, m.id)
        row = await row_of("contacts", m.id)
        return Applied(row["version"] if row else None)
    apply, conflicts = await merge("contacts", m)
    read = await contact_service.update_contact(principal, m.id, convert(apply, ContactUpdate))
    return Applied(read.version, conflicts)


CUSTOMERS = Collection(
    "customers",
    Customer,
    _customers,
    _customers_wire,
    apply=apply_customer,
    was_visible=customer_in_scope,
    anchor=True,
)
CONTACTS = Collection(
    "contacts",
    Contact,
    _contacts,
    each(repo.to_contact_read),
    apply=apply_contact,
    via=Contact.customer,
)
