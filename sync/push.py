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

A mutation is judged on its own, so one bad mutation never jams a device's queue: text with
control characters (NUL and the other C0 codes but tab, newline and CR) or numbers no
column can hold are refused up front, naming the field; a value the database itself refuses
(a data or integrity error, told by SQLSTATE or exception class) is refused like a
DomainError, on the fast path by the guarded redo and there by rolling back to the
mutation's savepoint; a `mid` repeated inside one batch counts once, the repeat is refused.
All of these are `rejected` and consumed. Only temporary faults (backend.db
`is_temporary_fault`) answer 503 and consume nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
import structlog

from backend.db import (
    current_engine,
    is_data_error,
    is_sqlite,
    is_temporary_fault,
    temporary_cause,
    write_transaction,
)
from backend.errors import (
    DomainError,
    FieldError,
    Gone,
    PayloadTooLarge,
    PermissionDenied,
    TemporarilyUnavailable,
    ValidationFailed,
)
from backend.numbering import device_code
from backend.principal import Principal
from backend.texts import localise_problem
from sync import appliers, changelog
from sync.devices import note_push
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
    return is_temporary_fault(exc)


# C0 control characters but tab, newline and carriage return: no text field holds them, and
# PostgreSQL cannot store NUL at all.
_CONTROL = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r"}
_CONTROL_TABLE = {ord(c): None for c in _CONTROL}
# The widest integer a column holds (bigint; SQLite's INTEGER).
_MAX_INT = 2**63 - 1


def _text_problem(text: str) -> tuple[str, str] | None:
    if text.translate(_CONTROL_TABLE) != text:
        first = next(c for c in text if c in _CONTROL)
        return f"holds a control character (U+{ord(first):04X})", "control-character"
    return None  # lone surrogates never get here: the JSON decoder refuses them (400)


def _value_problems(value: Any, path: str, found: list[FieldError]) -> None:
    """Field errors for text and numbers in a mutation's fields that no column can hold."""
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem:
            found.append(FieldError(path, *problem))
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not -_MAX_INT - 1 <= value <= _MAX_INT:
            found.append(FieldError(path, "is a number out of range", "out-of-range"))
    elif isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if _text_problem(name):
                found.append(
                    FieldError(path, "has a field name with a control character", "invalid-name")
                )
                continue
            _value_problems(item, f"{path}.{name}", found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _value_problems(item, f"{path}.{i}", found)


def invalid_fields(m: Mutation) -> list[FieldError]:
    """What in a mutation's fields no column could store, each with its path (`fields.notes`)."""
    found: list[FieldError] = []
    _value_problems(m.fields, "fields", found)
    return found


# SQLSTATE (PostgreSQL class 22) -> what the user is told about a value the database refused.
_REFUSED_BY_STATE = {
    "22003": ("a number is out of range", "out-of-range"),
    "22008": ("a date or time is out of range", "out-of-range"),
    "22007": ("a date or time is not valid", "invalid-format"),
    "22001": ("a text is too long", "too-long"),
    "22021": ("a text holds characters the database cannot store", "invalid-text"),
    "22P05": ("a text holds characters the database cannot store", "invalid-text"),
    "22P02": ("a value is not in the expected form", "invalid-format"),
}


def _data_refusal(mid: int, exc: BaseException) -> MutationResult:
    """`rejected` for a value the database (or the conversion to it) refused: permanent."""
    state = str(getattr(exc, "sqlstate", "") or "")
    if state in _REFUSED_BY_STATE:
        message, code = _REFUSED_BY_STATE[state]
    elif state.startswith("23") or type(exc).__name__ == "IntegrityError":
        message, code = "a value breaks a rule of the database", "constraint"
    elif isinstance(exc, OverflowError):
        message, code = "a number or date is out of range", "out-of-range"
    else:
        message, code = "a value was refused by the database", "invalid-value"
    log.info("sync.push_value_refused", mid=mid, error=type(exc).__name__, sqlstate=state)
    return MutationResult(
        mid=mid,
        status="rejected",
        error=MutationError(
            code="value-refused",
            detail=f"The mutation was refused: {message}.",
            errors=[FieldError("fields", message, code).as_dict()],
        ),
    )


def _repeated(mid: int) -> MutationResult:
    return MutationResult(
        mid=mid,
        status="rejected",
        error=MutationError(
            code="repeated-mid",
            detail=f"mid {mid} appears more than once in this push; the first one counts.",
            errors=[FieldError("mid", "repeated in this push", "repeated-mid").as_dict()],
        ),
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
    rejected = sum(1 for r in results if r.status == "rejected")
    values: dict[Any, Any] = {SyncClient.last_mid: results[-1].mid}
    if rejected:
        values[SyncClient.rejected] = SyncClient.rejected + rejected
    await SyncClient.update(values).where(SyncClient.client_id == client_id)


_result_json = msgspec.json.Encoder(decimal_format="string")


def _in_language(result: MutationResult, locale: str | None) -> MutationResult:
    """A refusal's reason and field messages in the user's language (codes stay as they are)."""
    if result.error is None:
        return result
    body = localise_problem(
        {"code": result.error.code, "detail": result.error.detail, "errors": result.error.errors},
        locale,
    )
    error = msgspec.structs.replace(result.error, detail=body["detail"], errors=body["errors"])
    return msgspec.structs.replace(result, error=error)


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
    invalid = invalid_fields(m)
    if invalid:
        return _refusal(
            m.mid,
            ValidationFailed(
                detail="The mutation's fields hold values that cannot be stored.", errors=invalid
            ),
        )
    if not guarded:
        try:
            done = await appliers.apply(principal, m)
        except DomainError:
            raise _Refused from None
        except Exception as exc:
            if is_data_error(exc) and not temporary_cause(exc):
                raise _Refused from exc
            raise
    else:
        transaction = current_engine().current_transaction.get()
        assert transaction is not None
        batch = changelog.current_batch()
        mark = batch.mark() if batch is not None else None
        savepoint = await transaction.savepoint()
        try:
            done = await appliers.apply(principal, m)
        except Exception as exc:
            refused = isinstance(exc, DomainError) or (
                is_data_error(exc) and not temporary_cause(exc)
            )
            if not refused:
                raise
            await savepoint.rollback_to()
            if batch is not None and mark is not None:
                batch.rollback(mark)  # its pending change-log entries vanish with its effects
            if isinstance(exc, DomainError):
                return _refusal(m.mid, exc)
            return _data_refusal(m.mid, exc)
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
        seen: set[int] = set()
        for i, m in enumerate(mutations):
            if m.mid in seen:  # the first occurrence counts
                results.append(_repeated(m.mid))
                continue
            seen.add(m.mid)
            if m.mid <= last:
                results.append(stored[m.mid])
                continue
            if m.mid > last + 1:
                results += [
                    _repeated(x.mid)
                    if x.mid in seen and x is not m
                    else MutationResult(mid=x.mid, status="out_of_order")
                    for x in mutations[i:]
                ]
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
        await note_push(data.client_id, data.app_version, data.pending)
        # Taken before applying: a pull from here shows this push's effects.
        cursor = await stream_cursor(principal, secret)
        mutations = sorted(data.mutations, key=lambda m: m.mid)
        with device_code(int(client["code"])):  # its documents are numbered in its series
            results, last_mid = await apply_push(principal, data.client_id, mutations)
    except Exception as exc:
        if isinstance(exc, DomainError) or temporary_cause(exc) is None:
            raise
        log.warning("sync.push_unavailable", error=type(exc).__name__)
        raise TemporarilyUnavailable(
            detail="The database is busy; try again shortly.", retry_after=2
        ) from exc
    log.info("sync.push_applied", client_code=client["code"], count=len(results))
    return PushResponse(
        results=[_in_language(r, principal.locale) for r in results],
        last_mid=last_mid,
        cursor=cursor,
        client_code=int(client["code"]),
    )
