"""Route planning and territory planning endpoints: thin handlers over geo.routes_service."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from backend.deps import PrincipalDep
from backend.problems import AUTHED, WRITE, problem_responses
from geo import routes_service as service
from geo.route_schemas import (
    AssignResult,
    OrderUpdate,
    PlanRequest,
    PlanResult,
    RebalanceRead,
    RebalanceRequest,
    ReplanRequest,
    RouteRead,
    TeamPlanRequest,
    WorkloadReport,
)

PLAN = (*WRITE, 503)


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

    @post(
        "/optimize",
        summary="Solve a self-contained VROOM-style problem (nothing is stored)",
        responses=problem_responses(*PLAN),
        status_code=200,
    )
    async def optimize(
        self, principal: PrincipalDep, data: JSONBody[dict[str, Any]]
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


class TerritoryPlanningController(Controller):
    path = "/territories"
    tags = ["territories"]

    @get(
        "/workload",
        summary="Four-week workload (visits and travel) of a region's territories",
        responses=problem_responses(400, *AUTHED, 422),
    )
    async def workload(
        self, principal: PrincipalDep, region_id: FromQuery[UUID | None] = None
    ) -> WorkloadReport:
        return await service.territory_workload(principal, region_id)

    @post(
        "/rebalance/preview",
        summary="Suggest customer moves that even out territories (changes nothing)",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def rebalance_preview(
        self, principal: PrincipalDep, data: JSONBody[RebalanceRequest]
    ) -> RebalanceRead:
        return await service.rebalance_preview(principal, data)

    @post(
        "/{territory_id:uuid}/assign-by-polygon",
        summary="Move the region's customers inside the territory's polygon into it",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def assign_by_polygon(
        self, principal: PrincipalDep, territory_id: FromPath[UUID]
    ) -> AssignResult:
        return await service.assign_by_polygon(principal, territory_id)
