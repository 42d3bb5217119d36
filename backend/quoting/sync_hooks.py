"""What the sync engine calls for the `quotes` collection: the pull projection and push apply.

Kept here so sync/ only registers two names: ``quotes_wire`` (rows -> QuoteRead with lines
and the PDF's JSON, exactly what GET /api/quotes/{id} answers), ``quotes_condition`` (the
rows a principal pulls: customers never see drafts) and ``apply_quote`` (one device
mutation through the same services as the REST API).

Mutations: ``create`` with QuoteCreate's fields (lines inside); ``update`` with
``{"status": "sent"|"accepted"|"rejected", "note", "device_pdf_sha256"}`` for a transition,
else QuoteUpdate's fields (a draft's edit). Quotes are never deleted through sync.
"""

from __future__ import annotations

from typing import Any

import msgspec

from backend.accounts.principal import Principal
from backend.errors import ValidationFailed
from backend.quoting import decisions, documents, service
from backend.quoting import repository as repo
from backend.quoting.schemas import QuoteCreate, QuoteRead, QuoteStatusChange, QuoteUpdate


async def quotes_condition(principal: Principal) -> Any | None:
    return service.scope(principal)


async def quotes_wire(rows: list[dict[str, Any]]) -> list[QuoteRead]:
    day = service.today()
    lines = await repo.list_line_rows_of_many([r["id"] for r in rows])
    out = []
    for row in rows:
        doc = await documents.quote_json(await documents.with_policy(row), lines[row["id"]])
        out.append(
            repo.to_quote_read(
                row, [repo.to_line_read(x) for x in lines[row["id"]]], today=day, document=doc
            )
        )
    return out


def _convert(fields: dict[str, Any], schema: type[Any], **extra: Any) -> Any:
    try:
        return msgspec.convert({**fields, **extra}, schema, strict=False)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(detail=f"The mutation's fields are not valid: {exc}") from None


async def apply_quote(
    principal: Principal, op: str, row_id: Any, fields: dict[str, Any], captured_at: Any = None
) -> int:
    """Apply a create or update (see the module docstring); returns the quote's new version."""
    if op == "create":
        data = _convert(fields, QuoteCreate, id=str(row_id))
        return (await service.create_quote(principal, data, captured_at=captured_at)).version
    if "status" in fields:
        change = _convert(
            {**fields, "captured_at": captured_at} if captured_at else fields, QuoteStatusChange
        )
        return (await decisions.change_status(principal, row_id, change)).version
    update = _convert(fields, QuoteUpdate)
    return (await service.update_quote(principal, row_id, update, captured_at=captured_at)).version
