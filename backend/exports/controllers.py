"""`GET /api/{collection}/export?format=csv|xlsx`: what the caller may see, streamed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Stream

from backend.deps import PrincipalDep
from backend.exports import service
from backend.exports.specs import SPECS
from backend.problems import AUTHED, problem_responses

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportController(Controller):
    path = "/"
    tags = ["exports"]

    @get(
        [f"/{name}/export" for name in SPECS],
        summary="Export a collection as CSV or XLSX (only the rows you may see)",
        description="Collections: " + ", ".join(SPECS) + ". Rows stream in pages; text "
        "cells that start with =, +, -, @ get a leading apostrophe so spreadsheets do not "
        "run them. Times are UTC.",
        responses=problem_responses(*AUTHED, 422),
    )
    async def export(
        self,
        principal: PrincipalDep,
        request: Request[Any, Any, Any],
        format: FromQuery[Literal["csv", "xlsx"]] = "csv",
    ) -> Stream:
        name = request.url.path.rstrip("/").split("/")[-2]
        spec, condition = service.spec_for(principal, name)
        stream = (
            service.xlsx_stream(spec, condition)
            if format == "xlsx"
            else service.csv_stream(spec, condition)
        )
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        return Stream(
            stream,
            media_type=MEDIA[format],
            headers={
                "Content-Disposition": f'attachment; filename="{name}-{stamp}.{format}"',
                "Cache-Control": "no-store",
            },
        )
