"""`POST /api/customers/import`: a CSV or XLSX file of customers, checked and (not in a dry
run) written; see backend/customers/imports.py."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Controller, Request, post
from litestar.datastructures import UploadFile
from litestar.params import FromQuery

from backend.customers import imports
from backend.deps import PrincipalDep
from backend.errors import FieldError, ValidationFailed
from backend.problems import problem_responses

MAX_BYTES = 30 * 1024 * 1024


async def _file(request: Request[Any, Any, Any]) -> bytes:
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        form = await request.form()
        for value in form.values():
            if isinstance(value, UploadFile):
                return await value.read()
        raise ValidationFailed(
            detail="The upload has no file.",
            errors=[FieldError("file", "attach the CSV or XLSX file", "required")],
        )
    return await request.body()


def _mapping(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    try:
        value = msgspec.json.decode(text, type=dict[str, str])
    except msgspec.DecodeError as exc:
        raise ValidationFailed(
            detail="The mapping is not a JSON object of column -> field.",
            errors=[FieldError("mapping", str(exc))],
        ) from None
    return value


class CustomerImportController(Controller):
    path = "/customers"
    tags = ["customers"]

    @post(
        "/import",
        summary="Import customers from CSV or XLSX (create or update by code; dry run first)",
        description="The file as the body or as a multipart upload. `mapping` is a JSON "
        "object from the file's column names to customer fields (columns left out are "
        "matched by name). Rows are numbered as in the spreadsheet (header = row 1). "
        "`apply=all` writes nothing when any row has an error (422 with the report); "
        "`apply=valid` writes the good rows and reports the others.",
        responses=problem_responses(400, 401, 403, 413, 422),
        status_code=200,
        request_max_body_size=MAX_BYTES,
    )
    async def import_customers(
        self,
        principal: PrincipalDep,
        request: Request[Any, Any, Any],
        dry_run: FromQuery[bool] = True,
        apply: FromQuery[Literal["all", "valid"]] = "all",
        mapping: FromQuery[str | None] = None,
    ) -> imports.CustomerImportReport:
        return await imports.run_import(
            principal,
            await _file(request),
            dry_run=dry_run,
            apply=apply,
            mapping=_mapping(mapping),
        )
