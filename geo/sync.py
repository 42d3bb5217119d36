"""The `routes` sync collection: a rep's own day routes, a manager's region's reps', all for an
admin (the rule of GET /api/routes); devices only re-order the open stops of a day."""

from __future__ import annotations

from typing import Any

from backend.errors import ValidationFailed
from backend.principal import Principal
from geo import routes_repository as repo
from geo.route_access import readable_route_condition
from geo.route_schemas import OrderUpdate
from geo.tables import Route
from sync.appliers import Applied, NotSupported, convert, existing
from sync.collections import Collection, each
from sync.schemas import Mutation


async def _condition(principal: Principal) -> Any | None:
    return readable_route_condition(principal)


async def apply_route(principal: Principal, m: Mutation) -> Applied:
    from geo import routes_service

    if m.op != "update":
        raise NotSupported("Routes are planned on the server; devices only re-order stops.")
    await existing("routes", m.id, must_exist=True)
    if m.base_version is None:
        raise ValidationFailed(detail="base_version is required to re-order a route.")
    data = convert(m.fields, OrderUpdate, base_version=m.base_version)
    read = await routes_service.store_order(principal, m.id, data)
    return Applied(read.version)


ROUTES = Collection("routes", Route, _condition, each(repo.to_route_read), apply=apply_route)
