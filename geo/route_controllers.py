"""Route planning endpoints: thin handlers over geo.routes_service."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.params import Body, FromPath, FromQuery, JSONBody, QueryParameter

from backend.deps import PrincipalDep
from backend.errors import FieldError, ValidationFailed
from backend.problems import AUTHED, WRITE, problem_responses
from geo import routes_service as service
from geo.route_schemas import (
    DraftLock,
    DraftMove,
    DraftScope,
    OrderUpdate,
    PlanRequest,
    PlanResult,
    ReplanRequest,
    RouteRead,
    TeamPlanRead,
    TeamPlanRequest,
)

PLAN = (*WRITE, 503)
OPTIMIZE_BODY = Body(
    title="VROOM-style routing problem",
    description=(
        "VROOM's JSON input (vehicles, jobs, optional matrices.car.durations); the answer is "
        "VROOM's output format. `options.time_budget_s` bounds the solve: with a budget long "
        "enough for a search and a problem PyVRP can model, PyVRP answers, otherwise VROOM "
        "(breaks, skills, open routes, short budgets). `summary.engine` and "
        "`summary.engine_reason` say which solver answered and why. Every answer is checked "
        "for feasibility by our own checker before it is returned."
    ),
    schema_extra={
        "properties": {
            "options": {
                "type": "object",
                "properties": {
                    "time_budget_s": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "maximum": 60,
                        "description": "Seconds the solve may take (default: by problem size, "
                        "0.5 s to 10 s; VROOM without a budget runs to its own end)",
                    },
                    "engine": {
                        "type": "string",
                        "enum": ["auto", "vroom", "pyvrp"],
                        "default": "auto",
                        "description": "auto lets the portfolio choose; pyvrp is refused (422) "
                        "for problems it cannot model",
                    },
                    "exploration_level": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 5,
                        "default": 5,
                        "description": "VROOM's search depth",
                    },
                },
            }
        }
    },
)


class RouteController(Controller):
    path = "/routes"
    tags = ["routes"]

    @post(
        "/plan",
        summary="Plan a rep's days and store one route per day (replaces earlier plans)",
        responses=problem_responses(*PLAN),
        status_code=200,
    )
    async def plan(self, principal: PrincipalDep, data: JSONBody[PlanRequest]) -> PlanResult:
        return await service.plan_routes(principal, data)

    @post(
        "/plan-team",
        summary="Plan several reps' days with balanced workload",
        responses=problem_responses(*PLAN),
        status_code=200,
    )
    async def plan_team(
        self, principal: PrincipalDep, data: JSONBody[TeamPlanRequest]
    ) -> PlanResult:
        return await service.plan_team_routes(principal, data)

    @get(
        "/drafts",
        summary="A team plan's draft routes over some days and who was left out (not synced)",
        responses=problem_responses(400, *AUTHED, 422),
    )
    async def list_drafts(
        self,
        principal: PrincipalDep,
        date_from: Annotated[date, QueryParameter(name="from")],
        date_to: Annotated[date, QueryParameter(name="to")],
        region_id: FromQuery[UUID | None] = None,
    ) -> TeamPlanRead:
        span = (date_to - date_from).days
        if not 0 <= span <= 13:
            raise ValidationFailed(
                detail="Give a range of one to fourteen days, `to` not before `from`.",
                errors=[FieldError("to", "1 to 14 days after from", "range")],
            )
        days = [date_from + timedelta(days=k) for k in range(span + 1)]
        return await service.list_drafts(principal, DraftScope(region_id=region_id, days=days))

    @post(
        "/drafts/{route_id:uuid}/move",
        summary="Move a draft's stop to another rep or day (it is locked there)",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def move_stop(
        self, principal: PrincipalDep, route_id: FromPath[UUID], data: JSONBody[DraftMove]
    ) -> TeamPlanRead:
        return await service.move_stop(principal, route_id, data)

    @post(
        "/drafts/{route_id:uuid}/lock",
        summary="Lock or unlock a draft's stop on its rep and day",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def lock_stop(
        self, principal: PrincipalDep, route_id: FromPath[UUID], data: JSONBody[DraftLock]
    ) -> RouteRead:
        return await service.lock_stop(principal, route_id, data)

    @post(
        "/drafts/resolve",
        summary="Re-solve a team plan's drafts keeping the locked stops where they are",
        responses=problem_responses(*PLAN),
        status_code=200,
    )
    async def resolve_drafts(
        self, principal: PrincipalDep, data: JSONBody[DraftScope]
    ) -> TeamPlanRead:
        return await service.resolve_drafts(principal, data)

    @post(
        "/drafts/publish",
        summary="Publish a team plan's drafts: each becomes the rep's route of that day",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def publish_drafts(
        self, principal: PrincipalDep, data: JSONBody[DraftScope]
    ) -> TeamPlanRead:
        return await service.publish_drafts(principal, data)

    @post(
        "/optimize",
        summary="Solve a self-contained VROOM-style problem (nothing is stored)",
        responses=problem_responses(*PLAN),
        status_code=200,
    )
    async def optimize(
        self, principal: PrincipalDep, data: Annotated[dict[str, Any], OPTIMIZE_BODY]
    ) -> dict[str, Any]:
        return await service.optimize(principal, data)

    @get(
        "/",
        summary="Routes you may see, by rep and day range",
        responses=problem_responses(400, *AUTHED, 422),
    )
    async def list_routes(
        self,
        principal: PrincipalDep,
        rep_id: FromQuery[UUID | None] = None,
        date_from: Annotated[date | None, QueryParameter(name="from")] = None,
        date_to: Annotated[date | None, QueryParameter(name="to")] = None,
    ) -> list[RouteRead]:
        return await service.list_routes(
            principal, rep_id=rep_id, date_from=date_from, date_to=date_to
        )

    @get("/{route_id:uuid}", summary="One route", responses=problem_responses(*AUTHED))
    async def get_route(self, principal: PrincipalDep, route_id: FromPath[UUID]) -> RouteRead:
        return await service.get_route(principal, route_id)

    @post(
        "/{route_id:uuid}/replan",
        summary="Re-plan the rest of the day from the rep's position and time",
        responses=problem_responses(*PLAN),
        status_code=200,
    )
    async def replan(
        self, principal: PrincipalDep, route_id: FromPath[UUID], data: JSONBody[ReplanRequest]
    ) -> RouteRead:
        return await service.replan_route(principal, route_id, data)

    @post(
        "/{route_id:uuid}/accept",
        summary="Accept a route: a planned visit is created for every stop without one",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def accept(self, principal: PrincipalDep, route_id: FromPath[UUID]) -> RouteRead:
        return await service.accept_route(principal, route_id)

    @put(
        "/{route_id:uuid}/order",
        summary="Store a device's re-ordering of the open stops",
        responses=problem_responses(*WRITE),
    )
    async def store_order(
        self, principal: PrincipalDep, route_id: FromPath[UUID], data: JSONBody[OrderUpdate]
    ) -> RouteRead:
        return await service.store_order(principal, route_id, data)
