"""GET /api/health for load balancers: answers 200 only when the database answers."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.response import Response

from backend.db import current_engine, is_sqlite
from backend.problems import problem_responses
from backend.version import VERSION


class Health(msgspec.Struct):
    status: str
    database: str
    version: str


@get(
    "/health",
    opt={"public": True},
    summary="Liveness and database reachability",
    tags=["ops"],
    responses=problem_responses(503),
    operation_id="health",
)
async def health() -> Response[Health]:
    engine = current_engine()
    kind = "sqlite" if is_sqlite() else "postgresql"
    try:
        await engine.run_ddl("SELECT 1")
    except Exception:  # any failure means: do not route traffic here
        return Response(
            Health(status="unavailable", database=kind, version=VERSION), status_code=503
        )
    return Response(Health(status="ok", database=kind, version=VERSION))
