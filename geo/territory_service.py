"""Territory planning: workload per territory, rebalance preview/apply/undo, assignment by
polygon. Moves applied in one step are kept as a batch so that step can be undone exactly."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time
from functools import partial
from typing import Any
from uuid import UUID, uuid4

import anyio.to_thread
import msgspec
import structlog

from backend.accounts.principal import Principal, Role
from backend.customers import service as customers_service
from backend.customers.core import due_at
from backend.customers.schemas import CustomerUpdate
from backend.db import write_transaction
from backend.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from backend.territories.tables import Region, TerritoryMoveBatch
from geo import routes_repository as repo
from geo import territory_planning as tp
from geo.matrix import GreatCircleMatrix
from geo.route_access import read_preferences
from geo.territory_schemas import (
    MAP_SCALE,
    AssignMove,
    AssignResult,
    Move,
    MoveBatchRead,
    MoveRead,
    RebalanceApply,
    RebalanceRead,
    RebalanceRequest,
    TeamMapRead,
    WorkloadRead,
    WorkloadReport,
)

log = structlog.get_logger(__name__)


async def _region_for(principal: Principal, region_id: UUID | None) -> UUID:
    if principal.role not in (Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(detail="Territory planning is for managers and admins.")
    if principal.role == Role.MANAGER:
        region_id = region_id or principal.region_id
        if region_id is None or region_id != principal.region_id:
            raise NotFound(
                detail="No such region.", errors=[FieldError("region_id", "unknown", "unknown")]
            )
    if region_id is None:
        raise ValidationFailed(
            detail="Say which region.", errors=[FieldError("region_id", "required", "required")]
        )
    if not await Region.exists().where((Region.id == region_id) & Region.deleted_at.is_null()):
        raise NotFound(
            detail="No such region.", errors=[FieldError("region_id", "unknown", "unknown")]
        )
    return region_id


async def _region_sites(
    region_id: UUID,
) -> tuple[list[dict[str, Any]], list[tp.Site], dict[str, str]]:
    territories = await repo.territory_rows_of_region(region_id)
    names = {str(t["id"]): t["name"] for t in territories}
    rows = await repo.customer_rows_of_region(region_id)
    sites = [
        tp.Site(
            str(r["id"]),
            str(r["territory"]),
            (r["lat"], r["lng"]),
            r["visit_frequency_days"] or 0,
            r["visit_duration_min"] or 30,
        )
        for r in rows
        if r["territory"] is not None
        and str(r["territory"]) in names
        and r["lat"] is not None
        and r["lng"] is not None
    ]
    return rows, sites, names


def _hours(hhmm: str) -> float:
    at = time.fromisoformat(hhmm) if hhmm != "24:00" else None
    return 24.0 if at is None else at.hour + at.minute / 60


def _weekly_hours(preferences: Any) -> float:
    """A rep's working hours a week from their route settings (day minus break × workdays)."""
    p = read_preferences(preferences)
    day = max(0.0, _hours(p.work_end) - _hours(p.work_start))
    if p.break_from is not None:
        day = max(0.0, day - p.break_min / 60)
    return day * len(set(p.workdays))


async def _capacities(territory_ids: list[UUID]) -> tuple[dict[str, list[UUID]], dict[str, float]]:
    """Active reps per territory and the weekly hours each territory gets from them."""
    reps = await repo.reps_by_territory(territory_ids)
    rows: dict[UUID, dict[str, Any]] = {}
    for u in {u for us in reps.values() for u in us}:
        row = await repo.get_rep_row(u)
        if row is not None and row["active"] and row["role"] == "rep":
            rows[u] = row
    shares: dict[UUID, int] = {}
    for us in reps.values():
        for u in us:
            shares[u] = shares.get(u, 0) + 1
    rep_ids: dict[str, list[UUID]] = {}
    capacity: dict[str, float] = {}
    for t, us in reps.items():
        mine = sorted((u for u in us if u in rows), key=str)
        rep_ids[str(t)] = mine
        if mine:
            capacity[str(t)] = sum(_weekly_hours(rows[u]["preferences"]) / shares[u] for u in mine)
    return rep_ids, capacity


async def team_map(principal: Principal, region_id: UUID | None) -> TeamMapRead:
    """The region's customers with position, territory, segment and when they are due."""
    region_id = await _region_for(principal, region_id)
    return team_map_columns(region_id, await repo.map_rows_of_region(region_id))


def team_map_columns(region_id: UUID, rows: Sequence[repo.MapRow]) -> TeamMapRead:
    """Rows as the map's columns: fixed-point coordinates, territory and segment as indexes
    into short lookup lists, due as Unix seconds."""
    located = [r for r in rows if r["lat"] is not None and r["lng"] is not None]
    territories = list(dict.fromkeys(r["territory"] for r in located if r["territory"]))
    segments = list(dict.fromkeys(r["segment"] for r in located))
    t_index: dict[str | None, int] = {t: i for i, t in enumerate(territories)}
    s_index = {s: i for i, s in enumerate(segments)}
    return TeamMapRead(
        region_id=region_id,
        unlocated=len(rows) - len(located),
        territories=[UUID(t) for t in territories if t],
        segments=segments,
        ids=[r["id"] for r in located],
        lat=[round(r["lat"] * MAP_SCALE) for r in located],  # type: ignore[operator]
        lng=[round(r["lng"] * MAP_SCALE) for r in located],  # type: ignore[operator]
        territory=[t_index.get(r["territory"], -1) for r in located],
        segment=[s_index[r["segment"]] for r in located],
        due=[_due_s(r) if r["last_visit_at"] else None for r in located],
    )


def _due_s(row: repo.MapRow) -> int | None:
    due = due_at(row["last_visit_at"], row["visit_frequency_days"] or 0)
    return None if due is None else int(due.timestamp())


def team_map_etag(data: TeamMapRead) -> str:
    """A strong ETag of the map's content: a second open of an unchanged map is a 304."""
    return '"' + hashlib.blake2b(msgspec.json.encode(data), digest_size=16).hexdigest() + '"'


def _workload_read(
    w: tp.Workload,
    names: Mapping[str, str],
    rep_ids: Mapping[str, list[UUID]] | None = None,
    capacity: Mapping[str, float] | None = None,
) -> WorkloadRead:
    weeks = tp.PERIOD_DAYS / 7
    hours = w.total_s / 3600 / weeks
    cap = (capacity or {}).get(w.territory_id)
    return WorkloadRead(
        territory_id=UUID(w.territory_id),
        name=names[w.territory_id],
        customers=w.customers,
        visits=w.visits,
        visit_s=w.visit_s,
        travel_s=w.travel_s,
        total_s=w.total_s,
        rep_ids=list((rep_ids or {}).get(w.territory_id, [])),
        visits_per_week=round(w.visits / weeks, 2),
        hours_per_week=round(hours, 2),
        capacity_hours_per_week=round(cap, 2) if cap is not None else None,
        load=round(hours / cap, 3) if cap else None,
    )


async def territory_workload(principal: Principal, region_id: UUID | None) -> WorkloadReport:
    """Four-week workload of every territory in a region (visits plus estimated travel)."""
    region_id = await _region_for(principal, region_id)
    _, sites, names = await _region_sites(region_id)
    loads = await anyio.to_thread.run_sync(
        partial(tp.workload, sites, list(names), GreatCircleMatrix())
    )
    rep_ids, capacity = await _capacities([UUID(t) for t in names])
    return WorkloadReport(
        region_id=region_id,
        territories=[_workload_read(w, names, rep_ids, capacity) for w in loads.values()],
        spread=round(tp.spread(loads), 4),
    )


async def rebalance_preview(principal: Principal, data: RebalanceRequest) -> RebalanceRead:
    """Suggest customer moves between neighbouring territories; nothing is changed."""
    region_id = await _region_for(principal, data.region_id)
    rows, sites, names = await _region_sites(region_id)
    result = await anyio.to_thread.run_sync(
        partial(
            tp.rebalance,
            sites,
            list(names),
            GreatCircleMatrix(),
            tolerance=data.tolerance,
            neighbour_m=data.neighbour_km * 1000,
            max_moves=data.max_moves,
        )
    )
    customer_names = {str(r["id"]): r["name"] for r in rows}
    rep_ids, capacity = await _capacities([UUID(t) for t in names])
    return RebalanceRead(
        region_id=region_id,
        moves=[
            MoveRead(
                customer_id=UUID(m.customer_id),
                name=customer_names[m.customer_id],
                from_territory_id=UUID(m.from_territory),
                to_territory_id=UUID(m.to_territory),
                from_total_s=m.from_total_s,
                to_total_s=m.to_total_s,
            )
            for m in result.moves
        ],
        before=[_workload_read(w, names, rep_ids, capacity) for w in result.before.values()],
        after=[_workload_read(w, names, rep_ids, capacity) for w in result.after.values()],
        spread_before=round(result.spread_before, 4),
        spread_after=round(result.spread_after, 4),
        notes=result.notes,
    )


async def assign_by_polygon(
    principal: Principal, territory_id: UUID, *, dry_run: bool = False
) -> AssignResult:
    """Move the region's customers inside the territory's polygon into it (change-logged).

    A dry run answers the same moves and changes nothing: the preview the console shows.
    """
    if principal.role not in (Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(detail="Only admins and managers assign customers to territories.")
    territory = await repo.get_territory_row(territory_id)
    if territory is None or (
        principal.role == Role.MANAGER and territory["region"] != principal.region_id
    ):
        raise NotFound(detail="No such territory.")
    polygon = territory["polygon"]
    if not polygon:
        raise ValidationFailed(
            detail="The territory has no geometry to assign by.",
            errors=[FieldError("geometry", "not set", "required")],
        )
    rows = await repo.customer_rows_of_region(territory["region"])
    inside = tp.points_in_polygon(
        {str(r["id"]): (r["lat"], r["lng"]) if r["lat"] is not None else None for r in rows},
        polygon,
    )
    by_id = {str(r["id"]): r for r in rows}
    moves = [
        AssignMove(
            customer_id=UUID(c),
            name=by_id[c]["name"],
            from_territory_id=by_id[c]["territory"],
            to_territory_id=territory_id,
        )
        for c in inside
        if by_id[c]["territory"] != territory_id
    ]
    batch_id = None
    if not dry_run and moves:
        batch_id = await _apply_moves(
            principal,
            territory["region"],
            "polygon",
            [
                Move(
                    customer_id=m.customer_id,
                    from_territory_id=m.from_territory_id,
                    to_territory_id=territory_id,
                )
                for m in moves
            ],
        )
        log.info(
            "territories.assigned_by_polygon",
            territory_id=str(territory_id),
            moved=len(moves),
            by=str(principal.user_id),
        )
    return AssignResult(
        territory_id=territory_id,
        dry_run=dry_run,
        moves=moves,
        assigned=[m.customer_id for m in moves],
        already_inside=len(inside) - len(moves),
        batch_id=batch_id,
    )


# --- applying and undoing moves -------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


async def _check_current(region_id: UUID, moves: Sequence[Move], expect: str, detail: str) -> None:
    """Every customer is in the region and in the territory `expect` names, or a Conflict."""
    rows = await repo.customer_rows_by_ids([m.customer_id for m in moves], None)
    now = {r["id"]: r for r in rows}
    errors = []
    for i, m in enumerate(moves):
        row = now.get(m.customer_id)
        want = getattr(m, expect)
        if row is None or row["region"] != region_id:
            errors.append(FieldError(f"moves[{i}].customer_id", "no such customer", "unknown"))
        elif row["territory"] != want:
            errors.append(
                FieldError(f"moves[{i}].customer_id", f"{row['name']} moved since", "changed")
            )
    if errors:
        raise Conflict(detail=detail, errors=errors[:50])


async def _check_territories(region_id: UUID, moves: Sequence[Move]) -> None:
    ours = {t["id"] for t in await repo.territory_rows_of_region(region_id)}
    errors = [
        FieldError(f"moves[{i}].{f}", "not a territory of the region", "unknown")
        for i, m in enumerate(moves)
        for f in ("from_territory_id", "to_territory_id")
        if getattr(m, f) is not None and getattr(m, f) not in ours
    ]
    if errors:
        raise ValidationFailed(detail="Nothing was moved.", errors=errors[:50])


async def _move(principal: Principal, customer_id: UUID, territory_id: UUID | None) -> None:
    await customers_service.update_customer(
        principal, customer_id, CustomerUpdate(territory_id=territory_id)
    )


async def _apply_moves(
    principal: Principal, region_id: UUID, kind: str, moves: Sequence[Move]
) -> UUID:
    """Move every customer in one transaction and keep the batch for undo; its id."""
    if len({m.customer_id for m in moves}) != len(moves):
        raise ValidationFailed(
            detail="A customer may move once per step.",
            errors=[FieldError("moves", "a customer appears twice", "duplicate")],
        )
    await _check_territories(region_id, moves)
    batch_id = uuid4()
    async with write_transaction():
        await _check_current(
            region_id,
            moves,
            "from_territory_id",
            "Some customers changed territory since the preview; nothing was moved.",
        )
        for m in moves:
            await _move(principal, m.customer_id, m.to_territory_id)
        await TerritoryMoveBatch.insert(
            TerritoryMoveBatch(
                id=batch_id,
                region=region_id,
                kind=kind,
                moves=msgspec.to_builtins(list(moves)),
                created_by=principal.user_id,
            )
        )
    return batch_id


async def _batch(principal: Principal, batch_id: UUID) -> MoveBatchRead:
    row = (
        await TerritoryMoveBatch.select()
        .where(TerritoryMoveBatch.id == batch_id)
        .first()
        .output(load_json=True)
    )
    if (
        row is None
        or principal.role not in (Role.ADMIN, Role.MANAGER)
        or (principal.role == Role.MANAGER and row["region"] != principal.region_id)
    ):
        raise NotFound(detail="No such step to undo.")
    return MoveBatchRead(
        id=row["id"],
        region_id=row["region"],
        kind=row["kind"],
        moves=msgspec.convert(row["moves"], list[Move]),
        created_at=row["created_at"],
        undone_at=row["undone_at"],
    )


async def rebalance_apply(principal: Principal, data: RebalanceApply) -> MoveBatchRead:
    """Apply a preview's moves in one step; its id undoes them."""
    region_id = await _region_for(principal, data.region_id)
    batch_id = await _apply_moves(principal, region_id, "rebalance", data.moves)
    log.info("territories.rebalanced", moves=len(data.moves), by=str(principal.user_id))
    return await _batch(principal, batch_id)


async def undo_moves(principal: Principal, batch_id: UUID) -> MoveBatchRead:
    """Put every customer of a step back where it was; refused if any has moved since."""
    batch = await _batch(principal, batch_id)
    async with write_transaction():
        row = (
            await TerritoryMoveBatch.select(TerritoryMoveBatch.undone_at)
            .where(TerritoryMoveBatch.id == batch_id)
            .first()
        )
        if row is None or row["undone_at"] is not None:
            raise Conflict(detail="This step was undone already.")
        await _check_current(
            batch.region_id,
            batch.moves,
            "to_territory_id",
            "Some customers changed territory since this step; nothing was undone.",
        )
        for m in batch.moves:
            await _move(principal, m.customer_id, m.from_territory_id)
        await TerritoryMoveBatch.update({TerritoryMoveBatch.undone_at: _now()}).where(
            TerritoryMoveBatch.id == batch_id
        )
    log.info("territories.moves_undone", batch_id=str(batch_id), by=str(principal.user_id))
    return await _batch(principal, batch_id)
