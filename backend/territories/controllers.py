"""REST endpoints for regions, territories and distributors."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, patch, post
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
    TerritoryRead,
    TerritoryUpdate,
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

    @get("/", summary="Territories you work in", responses=problem_responses(401))
    async def list_territories(
        self, principal: PrincipalDep, region_id: FromQuery[UUID | None] = None
    ) -> list[TerritoryRead]:
        return await service.list_territories(principal, region_id)

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
        summary="Change a territory's name, code or polygon",
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
