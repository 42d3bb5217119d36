"""`POST /api/routes/optimize`: a self-contained VROOM-style problem solved by the portfolio."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import structlog

from backend.accounts.principal import Principal
from backend.errors import (
    FieldError,
    PayloadTooLarge,
    TemporarilyUnavailable,
    ValidationFailed,
)
from geo.errors import InfeasibleResult, MatrixError, ProblemError
from geo.route_access import matrix_provider, require_planner
from geo.vroom_style import solve_vroom_style

log = structlog.get_logger(__name__)


MAX_OPTIMIZE_JOBS = 2000
MAX_OPTIMIZE_MATRIX = 2000


async def optimize(principal: Principal, problem: Any) -> dict[str, Any]:
    """Solve a self-contained VROOM-style problem (nothing is stored)."""
    require_planner(principal)
    if isinstance(problem, dict):
        jobs = problem.get("jobs")
        if isinstance(jobs, list) and len(jobs) > MAX_OPTIMIZE_JOBS:
            raise PayloadTooLarge(
                detail=f"At most {MAX_OPTIMIZE_JOBS} jobs per problem "
                f"(got {len(jobs)}); split it into smaller problems."
            )
        durations = (
            ((problem.get("matrices") or {}).get("car") or {}).get("durations")
            if (isinstance(problem.get("matrices"), dict))
            else None
        )
        if isinstance(durations, list) and len(durations) > MAX_OPTIMIZE_MATRIX:
            raise PayloadTooLarge(
                detail=f"The matrix may have at most {MAX_OPTIMIZE_MATRIX} "
                f"rows (got {len(durations)})."
            )
    try:
        return await anyio.to_thread.run_sync(solve_vroom_style, problem, matrix_provider())
    except ProblemError as exc:
        raise ValidationFailed(
            detail=f"The routing problem is not valid: {exc}",
            errors=[FieldError(exc.path, exc.message, "invalid")],
        ) from None
    except MatrixError as exc:
        raise TemporarilyUnavailable(detail=f"Travel times are unavailable: {exc}") from None
    except InfeasibleResult as exc:
        raise TemporarilyUnavailable(
            detail=f"No solver answer kept every rule ({exc.violations[0]}); try again."
        ) from None
