"""The `quotes` sync collection: the REST read rule, the wire shape and device mutations.

``quotes_wire`` (rows -> QuoteRead with lines and the PDF's JSON, exactly what
GET /api/quotes/{id} answers), ``quotes_condition`` (service.scope, the REST rule) and
``apply_quote`` (one device mutation through the same services as the REST API).

Mutations: ``create`` with QuoteCreate's fields (lines inside); ``update`` with
``{"status": "sent"|"accepted"|"rejected", "note", "device_pdf_sha256"}`` for a transition,
else QuoteUpdate's fields (a draft's edit). Quotes are never deleted through sync.
"""

from __future__ import annotations

from typing import Any

from backend.accounts.principal import Principal
from backend.approvals_visibility import shaped_document
from backend.quoting import decisions, documents, service
from backend.quoting import repository as repo
from backend.quoting.schemas import QuoteCreate, QuoteRead, QuoteStatusChange, QuoteUpdate
from backend.quoting.tables import Quote
from sync.appliers import Applied, NotSupported, convert, existing, owned_version_check
from sync.collections import Collection
from sync.schemas import Mutation


async def quotes_condition(principal: Principal) -> Any | None:
    return service.scope(principal)


async def quotes_wire(rows: list[dict[str, Any]], principal: Principal) -> list[QuoteRead]:
    day = service.today()
    lines = await repo.list_line_rows_of_many([r["id"] for r in rows])
    out = []
    for row in rows:
        doc = await documents.quote_json(await documents.with_policy(row), lines[row["id"]])
        read = repo.to_quote_read(
            row, [repo.to_line_read(x) for x in lines[row["id"]]], today=day, document=doc
        )
        out.append(shaped_document(principal, read))
    return out


async def apply_quote(
    principal: Principal, op: str, row_id: Any, fields: dict[str, Any], captured_at: Any = None
) -> int:
    """Apply a create or update (see the module docstring); returns the quote's new version."""
    if op == "create":
        data = convert(fields, QuoteCreate, id=str(row_id))
        return (await service.create_quote(principal, data, captured_at=captured_at)).version
    if "status" in fields:
        change = convert(
            {**fields, "captured_at": captured_at} if captured_at else fields, QuoteStatusChange
        )
        return (await decisions.change_status(principal, row_id, change)).version
    update = convert(fields, QuoteUpdate)
    return (await service.update_quote(principal, row_id, update, captured_at=captured_at)).version


async def apply(principal: Principal, m: Mutation) -> Applied:
    """Create, edit a draft, or a status change; quotes are never deleted."""
    if m.op != "create":
        row = await existing("quotes", m.id, must_exist=True)
        assert row is not None
        if m.op == "delete":
            raise NotSupported("Quotes are not deleted; reject them or let them expire.")
        owned_version_check(m, row)
    else:
        await existing("quotes", m.id, must_exist=False)
    return Applied(await apply_quote(principal, m.op, m.id, m.fields, m.captured_at))


QUOTES = Collection("quotes", Quote, quotes_condition, quotes_wire, apply=apply, via=Quote.customer)
