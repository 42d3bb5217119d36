"""Who may plan and read which routes, the travel-time source and a rep's route settings."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec
import structlog

from backend.accounts.principal import Principal, Role
from backend.errors import (
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from backend.settings import get_settings
from geo import routes_repository as repo
from geo.matrix import GreatCircleMatrix, MatrixProvider, OsrmMatrix
from geo.route_schemas import (
    RoutePreferences,
    RouteRead,
)

log = structlog.get_logger(__name__)


PLANNERS = ("admin", "manager", "rep")


def matrix_provider() -> MatrixProvider:
    """The configured travel-time source: an OSRM-compatible table service or great-circle."""
    url = get_settings().osrm_url
    return OsrmMatrix(url) if url else GreatCircleMatrix()


def read_preferences(preferences: Any) -> RoutePreferences:
    """A rep's route settings from `User.preferences["route"]`, validated."""
    raw = (preferences or {}).get("route") if isinstance(preferences, dict) else None
    try:
        return msgspec.convert(raw or {}, RoutePreferences)
    except msgspec.ValidationError as exc:
        text = str(exc)
        where = text.rsplit("at `$", 1)[1].rstrip("`") if "at `$" in text else ""
        raise ValidationFailed(
            detail="The rep's route settings are not valid.",
            errors=[FieldError(f"preferences.route{where}", text.split(" - at ")[0])],
        ) from None


def require_planner(principal: Principal) -> None:
    if principal.role not in PLANNERS:
        raise PermissionDenied(detail="Routes are for reps, managers and admins.")


async def plannable_rep(principal: Principal, rep_id: UUID, field: str = "rep_id") -> dict:
    """The rep's row if the principal may plan for them (reps: themselves; managers: region)."""
    require_planner(principal)
    if principal.role == Role.REP and rep_id != principal.user_id:
        raise PermissionDenied(detail="Reps plan their own routes only.")
    row = await repo.get_rep_row(rep_id)
    ok = row is not None and row["role"] == "rep" and row["active"]
    if ok and principal.role == Role.MANAGER:
        ok = row is not None and row["region"] == principal.region_id
    if not ok or row is None:
        raise NotFound(detail="No such rep.", errors=[FieldError(field, "unknown", "unknown")])
    return row


def readable_route_condition(principal: Principal) -> Any | None:
    """Routes a principal reads (visibility.md): an admin all, a manager those of the reps of
    their region, a rep their own, nobody else any. REST and sync ask this one rule."""
    from geo.tables import Route

    published = Route.state == "published"  # drafts are read through the team plan only
    if principal.is_admin:
        return published
    if principal.role == Role.REP:
        return (Route.rep == principal.user_id) & published
    if principal.role == Role.MANAGER and principal.region_id:
        return (Route.rep.region == principal.region_id) & published
    return Route.id.is_null()


async def load_route(principal: Principal, route_id: UUID) -> dict[str, Any]:
    require_planner(principal)
    row = await repo.get_route_row(route_id, readable_route_condition(principal))
    if row is None:
        raise NotFound(detail="No such route.")
    return row


async def list_routes(
    principal: Principal,
    *,
    rep_id: UUID | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[RouteRead]:
    """Routes the principal may see (readable_route_condition), filtered by rep and days."""
    from geo.tables import Route

    require_planner(principal)
    if principal.role == Role.REP and rep_id is not None and rep_id != principal.user_id:
        raise PermissionDenied(detail="Reps see their own routes only.")
    condition: Any = Route.deleted_at.is_null()
    readable = readable_route_condition(principal)
    if readable is not None:
        condition = condition & readable
    if rep_id is not None:
        condition = condition & (Route.rep == rep_id)
    if date_from is not None:
        condition = condition & (Route.day >= date_from)
    if date_to is not None:
        condition = condition & (Route.day <= date_to)
    return [repo.to_route_read(r) for r in await repo.list_route_rows(condition)]


async def get_route(principal: Principal, route_id: UUID) -> RouteRead:
    return repo.to_route_read(await load_route(principal, route_id))
