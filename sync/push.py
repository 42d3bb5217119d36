"""Push: apply a device's mutations exactly once, in `mid` order, through the domain services.

One write transaction per push locks the client's row (PostgreSQL: FOR UPDATE; SQLite: the
IMMEDIATE transaction already serialises writers) and reads last_mid once. Each mutation
runs inside its own SAVEPOINT: a permanent failure (a DomainError) rolls back to it, so
only that mutation's effects vanish while its `rejected`/`gone` result is still consumed.
Savepoints cost two round trips per mutation, so a push is first tried without them and
redone with them only when a mutation is refused (rare; nothing of the first try commits).
Change-log entries and new field states are batched (sync/changelog.py `batched`) and written
with multi-row INSERTs at the end, inside the same transaction; a savepoint rolled back drops
its pending entries too. The results and the new last_mid are written once at the end of the
same transaction:
effects, results and last_mid commit together or not at all, so a retried or concurrent
duplicate push sees either nothing or everything and answers `duplicate` with the stored
first result. A temporary failure (database unavailable, locked, serialisation failure,
timeout) rolls the whole push back and consumes nothing: the caller answers 503 with
Retry-After. One transaction per push (instead of one per mutation) is what makes a push
of 100 cost one commit; the price is that a long push holds the PostgreSQL pull horizon
back for its duration, which readers see as a short delay, never as a missed change.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

import msgspec
import structlog

from backend.accounts.principal import Principal
from backend.db import current_engine, is_sqlite, write_transaction
from backend.errors import (
    DomainError,
    Gone,
    PayloadTooLarge,
    PermissionDenied,
    TemporarilyUnavailable,
)
from sync import appliers, changelog
from sync.pull import stream_cursor
from sync.schemas import (
    MAX_MUTATIONS,
    Mutation,
    MutationError,
    MutationResult,
    PushRequest,
    PushResponse,
)
from sync.state import next_client_code
from sync.tables import SyncClient, SyncResult

log = structlog.get_logger(__name__)


def is_temporary(exc: BaseException) -> bool:
    """Database trouble that may pass: retry later rather than consume the mutation."""
    if isinstance(exc, sqlite3.OperationalError | ConnectionError | TimeoutError | OSError):
        return True
    try:
        import asyncpg
    except ImportError:  # pragma: no cover
        return False
    return isinstance(
        exc,
        asyncpg.PostgresConnectionError
        | asyncpg.InterfaceError
        | asyncpg.TooManyConnectionsError
        | asyncpg.SerializationError
        | asyncpg.DeadlockDetectedError
        | asyncpg.QueryCanceledError
        | asyncpg.CannotConnectNowError,
    )


async def register_client(principal: Principal, client_id: UUID) -> dict[str, Any]:
    """The client's row, created for this user on first use; 403 for anybody else."""
    row = await SyncClient.select().where(SyncClient.client_id == client_id).first()
    if row is None:
        async with write_transaction():
            row = await SyncClient.select().where(SyncClient.client_id == client_id).first()
            if row is None:
                code = await next_client_code()
                await SyncClient.raw(
                    'INSERT INTO sync_client (client_id, "user", code, last_mid, created_at, '
                    "last_seen_at) VALUES ({}, {}, {}, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) "
                    "ON CONFLICT (client_id) DO NOTHING",
                    str(client_id) if is_sqlite() else client_id,
                    principal.user_id if not is_sqlite() else str(principal.user_id),
                    code,
                )
                row = await SyncClient.select().where(SyncClient.client_id == client_id).first()
    assert row is not None
    if row["user"] != principal.user_id:
        raise PermissionDenied(detail="This client id belongs to another user.")
    return row


async def _lock(client_id: UUID) -> int:
    if is_sqlite():
        rows = await SyncClient.raw(
            "SELECT last_mid FROM sync_client WHERE client_id = {}", str(client_id)
        )
    else:
        rows = await SyncClient.raw(
            "SELECT last_mid FROM sync_client WHERE client_id = {} FOR UPDATE", client_id
        )
    return int(rows[0]["last_mid"])


def _as_duplicate(mid: int, raw: Any) -> MutationResult:
    first: dict[str, Any] = {}
    if raw is not None:
        first = msgspec.json.decode(raw) if isinstance(raw, str | bytes) else dict(raw)
    result = (
        msgspec.convert(first, MutationResult)
        if first
        else MutationResult(mid=mid, status="duplicate")
    )
    return msgspec.structs.replace(
        result, status="duplicate", first={"status": first.get("status", "applied")}
    )


async def _stored(client_id: UUID, mids: list[int]) -> dict[int, MutationResult]:
    """The first results of already consumed mids, read in one query."""
    if not mids:
        return {}
    rows = await SyncResult.select(SyncResult.mid, SyncResult.result).where(
        (SyncResult.client_id == client_id) & SyncResult.mid.is_in(mids)
    )
    raw = {int(r["mid"]): r["result"] for r in rows}
    return {mid: _as_duplicate(mid, raw.get(mid)) for mid in mids}


async def _store(client_id: UUID, results: list[MutationResult]) -> None:
    """The consumed mutations' results and the new last_mid, written in one go."""
    if not results:
        return
    await SyncResult.insert(
        *(
            SyncResult(client_id=client_id, mid=r.mid, result=_result_json.encode(r).decode())
            for r in results
        )
    )
    await SyncClient.update({SyncClient.last_mid: results[-1].mid}).where(
        SyncClient.client_id == client_id
    )


_result_json = msgspec.json.Encoder(decimal_format="string")


def _refusal(mid: int, exc: DomainError) -> MutationResult:
    if isinstance(exc, Gone):
        return MutationResult(mid=mid, status="gone")
    return MutationResult(
        mid=mid,
        status="rejected",
        error=MutationError(
            code=exc.slug, detail=exc.detail or exc.slug, errors=[e.as_dict() for e in exc.errors]
        ),
    )


class _Refused(Exception):
    """A mutation was refused on the fast path: redo the push with savepoints."""


async def _apply_one(principal: Principal, m: Mutation, *, guarded: bool) -> MutationResult:
    """One mutation; guarded, inside its own savepoint so a refusal undoes only its effects."""
    if not guarded:
        try:
            done = await appliers.apply(principal, m)
        except DomainError:
            raise _Refused from None
    else:
        transaction = current_engine().current_transaction.get()
        assert transaction is not None
        batch = changelog.current_batch()
        mark = batch.mark() if batch is not None else None
        savepoint = await transaction.savepoint()
        try:
            done = await appliers.apply(principal, m)
        except DomainError as exc:
            await savepoint.rollback_to()
            if batch is not None and mark is not None:
                batch.rollback(mark)  # its pending change-log entries vanish with its effects
            return _refusal(m.mid, exc)
        await savepoint.release()
    return MutationResult(
        mid=m.mid, status="applied", version=done.version, conflicts=done.conflicts
    )


async def _apply_all(
    principal: Principal, client_id: UUID, mutations: list[Mutation], *, guarded: bool
) -> tuple[list[MutationResult], int]:
    """Every mutation of one push in one transaction; returns the results and last_mid."""
    async with write_transaction(), changelog.batched() as batch:
        last = await _lock(client_id)
        stored = await _stored(client_id, [m.mid for m in mutations if m.mid <= last])
        results: list[MutationResult] = []
        consumed: list[MutationResult] = []
        for i, m in enumerate(mutations):
            if m.mid <= last:
                results.append(stored[m.mid])
                continue
            if m.mid > last + 1:
                results += [MutationResult(mid=x.mid, status="out_of_order") for x in mutations[i:]]
                break
            result = await _apply_one(principal, m, guarded=guarded)
            results.append(result)
            consumed.append(result)
            last = m.mid
        await changelog.flush(batch)
        await _store(client_id, consumed)
    return results, last


async def apply_push(
    principal: Principal, client_id: UUID, mutations: list[Mutation]
) -> tuple[list[MutationResult], int]:
    """Fast path without savepoints (two round trips fewer per mutation); on the first
    refusal everything is rolled back and the push is redone with a savepoint per mutation."""
    try:
        return await _apply_all(principal, client_id, mutations, guarded=False)
    except _Refused:
        return await _apply_all(principal, client_id, mutations, guarded=True)


async def push(principal: Principal, data: PushRequest, secret: str) -> PushResponse:
    """Apply the mutations in mid order; see the module docstring for the guarantees."""
    if len(data.mutations) > MAX_MUTATIONS:
        raise PayloadTooLarge(detail=f"At most {MAX_MUTATIONS} mutations per push.")
    try:
        client = await register_client(principal, data.client_id)
        # Taken before applying: a pull from here shows this push's effects.
        cursor = await stream_cursor(principal, secret)
        mutations = sorted(data.mutations, key=lambda m: m.mid)
        results, last_mid = await apply_push(principal, data.client_id, mutations)
    except Exception as exc:
        if isinstance(exc, DomainError) or not is_temporary(exc):
            raise
        log.warning("sync.push_unavailable", error=type(exc).__name__)
        raise TemporarilyUnavailable(
            detail="The database is busy; try again shortly.", retry_after=2
        ) from exc
    log.info("sync.push_applied", client_code=client["code"], count=len(results))
    return PushResponse(
        results=results,
        last_mid=last_mid,
        cursor=cursor,
        client_code=int(client["code"]),
    )
