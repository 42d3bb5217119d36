"""Reports over HTTP: GET /api/reports/plan-vs-actual as JSON, CSV or XLSX."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get
from litestar.params import FromQuery, Parameter

from backend.deps import PrincipalDep
from backend.problems import AUTHED, problem_responses
from backend.reports import core, service
from backend.reports.schemas import PlanActualRead

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportController(Controller):
    path = "/reports"
    tags = ["reports"]

    @get(
        "/plan-vs-actual",
        summary="Planned against done, missed and unplanned visits, check-ins, sales, distance",
        description="Per rep and day or ISO week (group=day|week), from..to inclusive (the "
        "rep's local days, at most 366). format=csv or xlsx downloads the same table with a "
        "Total row. Terms are defined in docs/reports.md.",
        responses=problem_responses(*AUTHED, 422),
    )
    async def plan_vs_actual(
        self,
        principal: PrincipalDep,
        date_from: Annotated[str | None, Parameter(query="from")] = None,
        to: FromQuery[str | None] = None,
        group: FromQuery[str | None] = None,
        rep_id: FromQuery[str | None] = None,
        format: FromQuery[str | None] = None,
    ) -> Response[PlanActualRead]:
        fmt = service.check_format(format)
        report = await service.plan_vs_actual(principal, date_from, to, group, rep_id)
        if fmt == "json":
            return Response(report)
        rows = core.table(report.items, report.totals)
        body = core.csv_bytes(rows) if fmt == "csv" else core.xlsx_bytes(rows)
        name = f"plan-vs-actual-{report.from_}-{report.to}-{report.group}.{fmt}"
        return Response(
            body,  # type: ignore[arg-type]
            media_type=MEDIA[fmt],
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )
