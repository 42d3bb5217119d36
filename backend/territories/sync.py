"""The `territories` and `regions` sync collections: the same rules as the REST reads."""

from __future__ import annotations

from typing import Any

from backend.principal import Principal
from backend.territories import repository as repo
from backend.territories.service import region_condition, territory_condition
from backend.territories.tables import Region, Territory
from sync.collections import Collection, each


async def _territories(principal: Principal) -> Any | None:
    return territory_condition(principal, live_only=False)


async def _regions(principal: Principal) -> Any | None:
    return region_condition(principal, live_only=False)


TERRITORIES = Collection("territories", Territory, _territories, each(repo.to_territory_read))
REGIONS = Collection("regions", Region, _regions, each(repo.to_region_read))
