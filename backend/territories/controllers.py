"""REST endpoints for regions, territories and distributors, and territory planning (team map,
workload, rebalance and its undo, polygon assignment: the geometry work is geo's)."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.deps import PrincipalDep
from backend.problems import AUTHED, WRITE, problem_responses
from backend.territories import service
from backend.territories.schemas import (
    DistributorCreate,
    DistributorRead,
    DistributorUpdate,
    RegionCreate,
    RegionRead,
    RegionUpdate,
    TerritoryCreate,
    TerritoryFeatureCollection,
    TerritoryImport,
    TerritoryImportResult,
    TerritoryRead,
    TerritoryUpdate,
)
from geo import territory_service as planning
from geo.territory_schemas import (
    AssignResult,
    MoveBatchRead,
    RebalanceApply,
    RebalanceRead,
    RebalanceRequest,
    TeamMapRead,
    WorkloadReport,
)


class RegionController(Controller):
    path = "/regions"
    tags = ["territories"]

    @get("/", summary="Regions you work in", responses=problem_responses(401))
    async def list_regions(self, principal: PrincipalDep) -> list[RegionRead]:
        return await service.list_regions(principal)

    @get("/{region_id:uuid}", summary="One region", responses=problem_responses(*AUTHED))
    async def get_region(self, principal: PrincipalDep, region_id: FromPath[UUID]) -> RegionRead:
        return await service.get_region(principal, region_id)

    @post("/", summary="Create a region (admins)", responses=problem_responses(*WRITE))
    async def create_region(
        self, principal: PrincipalDep, data: JSONBody[RegionCreate]
    ) -> RegionRead:
        return await service.create_region(principal, data)

    @patch(
        "/{region_id:uuid}", summary="Change a region (admins)", responses=problem_responses(*WRITE)
    )
    async def update_region(
        self, principal: PrincipalDep, region_id: FromPath[UUID], data: JSONBody[RegionUpdate]
    ) -> RegionRead:
        return await service.update_region(principal, region_id, data)

    @delete(
        "/{region_id:uuid}",
        summary="Delete an empty region (admins)",
        responses=problem_responses(*AUTHED, 409),
    )
    async def delete_region(self, principal: PrincipalDep, region_id: FromPath[UUID]) -> None:
        await service.delete_region(principal, region_id)


class TerritoryController(Controller):
    path = "/territories"
    tags = ["territories"]

    @get(
        "/",
        summary="Territories you work in (format=geojson: a GeoJSON FeatureCollection)",
        responses=problem_responses(401),
    )
    async def list_territories(
        self,
        principal: PrincipalDep,
        region_id: FromQuery[UUID | None] = None,
        format: FromQuery[Literal["json", "geojson"]] = "json",
    ) -> list[TerritoryRead] | TerritoryFeatureCollection:
        if format == "geojson":
            return await service.territories_geojson(principal, region_id)
        return await service.list_territories(principal, region_id)

    @post(
        "/geojson",
        summary="Set territories' shapes from a GeoJSON FeatureCollection, matched by code",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def import_geojson(
        self,
        principal: PrincipalDep,
        data: JSONBody[TerritoryImport],
        dry_run: FromQuery[bool] = False,
    ) -> TerritoryImportResult:
        return await service.import_geojson(principal, data, dry_run=dry_run)

    @get("/{territory_id:uuid}", summary="One territory", responses=problem_responses(*AUTHED))
    async def get_territory(
        self, principal: PrincipalDep, territory_id: FromPath[UUID]
    ) -> TerritoryRead:
        return await service.get_territory(principal, territory_id)

    @post(
        "/",
        summary="Create a territory (admins; managers in their region)",
        responses=problem_responses(*WRITE),
    )
    async def create_territory(
        self, principal: PrincipalDep, data: JSONBody[TerritoryCreate]
    ) -> TerritoryRead:
        return await service.create_territory(principal, data)

    @patch(
        "/{territory_id:uuid}",
        summary="Change a territory's name, code or geometry (GeoJSON)",
        responses=problem_responses(*WRITE),
    )
    async def update_territory(
        self, principal: PrincipalDep, territory_id: FromPath[UUID], data: JSONBody[TerritoryUpdate]
    ) -> TerritoryRead:
        return await service.update_territory(principal, territory_id, data)

    @delete(
        "/{territory_id:uuid}",
        summary="Delete a territory without customers",
        responses=problem_responses(*AUTHED, 409),
    )
    async def delete_territory(self, principal: PrincipalDep, territory_id: FromPath[UUID]) -> None:
        await service.delete_territory(principal, territory_id)


class DistributorController(Controller):
    path = "/distributors"
    tags = ["territories"]

    @get("/", summary="Distributors you work with", responses=problem_responses(401))
    async def list_distributors(self, principal: PrincipalDep) -> list[DistributorRead]:
        return await service.list_distributors(principal)

    @get("/{distributor_id:uuid}", summary="One distributor", responses=problem_responses(*AUTHED))
    async def get_distributor(
        self, principal: PrincipalDep, distributor_id: FromPath[UUID]
    ) -> DistributorRead:
        return await service.get_distributor(principal, distributor_id)

    @post("/", summary="Create a distributor (admins)", responses=problem_responses(*WRITE))
    async def create_distributor(
        self, principal: PrincipalDep, data: JSONBody[DistributorCreate]
    ) -> DistributorRead:
        return await service.create_distributor(principal, data)

    @patch(
        "/{distributor_id:uuid}",
        summary="Change a distributor (admins)",
        responses=problem_responses(*WRITE),
    )
    async def update_distributor(
        self,
        principal: PrincipalDep,
        distributor_id: FromPath[UUID],
        data: JSONBody[DistributorUpdate],
    ) -> DistributorRead:
        return await service.update_distributor(principal, distributor_id, data)

    @delete(
        "/{distributor_id:uuid}",
        summary="Delete a distributor without customers",
        responses=problem_responses(*AUTHED, 409),
    )
    async def delete_distributor(
        self, principal: PrincipalDep, distributor_id: FromPath[UUID]
    ) -> None:
        await service.delete_distributor(principal, distributor_id)


class TerritoryPlanningController(Controller):
    path = "/territories"
    tags = ["territories"]

    @get(
        "/map",
        summary="The region's located customers for the team map (columns, with an ETag)",
        description="Columns of ids, fixed-point coordinates (`scale`), indexes into the "
        "`territories` and `segments` lists and due times (Unix seconds); send the ETag back "
        "as If-None-Match and an unchanged map is a 304 without a body.",
        responses=problem_responses(400, *AUTHED, 422),
    )
    async def team_map(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        region_id: FromQuery[UUID | None] = None,
    ) -> Response[TeamMapRead]:
        data = await planning.team_map(principal, region_id)
        etag = planning.team_map_etag(data)
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        given = request.headers.get("if-none-match", "")
        if any(part.strip().removeprefix("W/") == etag for part in given.split(",")):
            return Response(None, status_code=304, headers=headers)  # type: ignore[arg-type]
        return Response(data, headers=headers)

    @get(
        "/workload",
        summary="Workload of a region's territories against their reps' weekly hours",
        responses=problem_responses(400, *AUTHED, 422),
    )
    async def workload(
        self, principal: PrincipalDep, region_id: FromQuery[UUID | None] = None
    ) -> WorkloadReport:
        return await planning.territory_workload(principal, region_id)

    @post(
        "/rebalance/preview",
        summary="Suggest customer moves that even out territories (changes nothing)",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def rebalance_preview(
        self, principal: PrincipalDep, data: JSONBody[RebalanceRequest]
    ) -> RebalanceRead:
        return await planning.rebalance_preview(principal, data)

    @post(
        "/rebalance/apply",
        summary="Apply a rebalance preview's moves in one step (409 if customers moved since)",
        responses=problem_responses(*WRITE, 409),
        status_code=201,
    )
    async def rebalance_apply(
        self, principal: PrincipalDep, data: JSONBody[RebalanceApply]
    ) -> MoveBatchRead:
        return await planning.rebalance_apply(principal, data)

    @post(
        "/rebalance/{batch_id:uuid}/undo",
        summary="Undo an applied rebalance or polygon assignment (409 if customers moved since)",
        responses=problem_responses(*AUTHED, 409),
        status_code=200,
    )
    async def rebalance_undo(
        self, principal: PrincipalDep, batch_id: FromPath[UUID]
    ) -> MoveBatchRead:
        return await planning.undo_moves(principal, batch_id)

    @post(
        "/{territory_id:uuid}/assign-by-polygon",
        summary="Move the region's customers inside the territory's geometry into it "
        "(dry_run=true: only say who would move)",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def assign_by_polygon(
        self,
        principal: PrincipalDep,
        territory_id: FromPath[UUID],
        dry_run: FromQuery[bool] = False,
    ) -> AssignResult:
        return await planning.assign_by_polygon(principal, territory_id, dry_run=dry_run)
