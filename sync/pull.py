"""Pull: a paged snapshot of the user's scope, then the change stream, filtered at pull time.

* No cursor: the stream position is taken first (`ORDER.start()`), then the scope is read
  as a snapshot in pages keyed by (collection, id); afterwards the stream continues from the
  position taken before the snapshot. Rows are always sent as they are now, so a change that
  happened during the snapshot is sent twice at worst, never missed.
* Stream: entries after the cursor, below the commit horizon, filtered by the scope that
  holds at pull time. Pages end on a transaction boundary (never an order without its
  lines, never half of a push); only a transaction larger than a page is split, and then
  has_more stays true until it is complete. Several entries for one row become one change.
* Scope changes: a customer moved (its entry carries scope_from/scope_to) gives the users
  who lose it `del` and those who gain it `put` for the customer, then for all that hangs
  off it: that closure is paged like a snapshot (the cursor lists the closures still to
  send, at most MAX_MOVES per page), so a page never goes past its limit. A user moved to
  another region leaves the old manager's device the same way (scope_from on user entries).
  When the user's own scope changed (the cursor remembers the scope it was issued for,
  including a customer's or distributor's price list), the pull becomes a re-snapshot:
  `del` for rows of the old scope outside the new one, then `put` for the new scope, then
  the stream from the old position.
* Cost: the engine state and the stream's bounds come from one query; on SQLite an empty
  poll ends there. Other pages on SQLite read inside one read transaction (one snapshot);
  on PostgreSQL each statement reads on its own (READ COMMITTED gives no common snapshot).
* Reset: a cursor that is malformed, tampered, another user's, from another database
  (epoch), behind the purge horizon, or beyond the newest position (restored database),
  answers reset: never an empty success.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec

from backend.db import current_engine, is_sqlite
from backend.principal import Principal
from sync import ordering
from sync.collections import CLOSURE, COLLECTIONS, ORDER, Collection, price_list_fact
from sync.cursor import CursorState, Scope, decode_cursor, encode_cursor
from sync.state import ensure_state, load_state

DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
# Uncompressed bytes of changes per page; a single row or transaction may go beyond.
PAGE_BYTES = 2 * 1024 * 1024
CHUNK = 400


class Change(msgspec.Struct, omit_defaults=True):
    collection: str
    id: UUID
    op: str
    version: int | None = None
    data: Any = None


_enc = msgspec.json.Encoder(decimal_format="string")


@dataclass
class Page:
    changes: list[bytes]
    cursor: str | None
    has_more: bool
    reset: bool = False

    def body(self, extra: dict[str, Any] | None = None) -> bytes:
        """The JSON response, assembled from the already encoded changes."""
        tail = {"cursor": self.cursor, "has_more": self.has_more, "reset": self.reset}
        tail.update(extra or {})
        return b'{"changes":[' + b",".join(self.changes) + b"]," + _enc.encode(tail)[1:]


async def scope_of(principal: Principal) -> Scope:
    """The facts that decide what this principal sees (compared with the cursor's)."""
    return Scope(
        role=principal.role,
        region=str(principal.region_id or ""),
        distributor=str(principal.distributor_id or ""),
        customer=str(principal.customer_id or ""),
        territories=tuple(sorted(str(t) for t in principal.territory_ids)),
        price_list=await price_list_fact(principal),
    )


async def _condition_then(coll: Collection, who: Principal, scope: Scope) -> Any | None:
    """A collection's rule for the scope a device was given before (some facts, such as the
    price list a customer or distributor read then, are in the cursor, not the database)."""
    if coll.condition_then is not None:
        return await coll.condition_then(who, scope)
    return await coll.condition(who)


def principal_of(user_id: UUID, scope: Scope) -> Principal:
    """A principal with the scope facts of a cursor: what the device was given before."""
    return Principal(
        user_id=user_id,
        session_id="",
        role=scope.role,
        email="",
        name="",
        region_id=UUID(scope.region) if scope.region else None,
        distributor_id=UUID(scope.distributor) if scope.distributor else None,
        customer_id=UUID(scope.customer) if scope.customer else None,
        territory_ids=frozenset(UUID(t) for t in scope.territories),
    )


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _put(name: str, row: dict[str, Any], wire: Any) -> bytes:
    return _enc.encode(Change(name, row["id"], "put", row["version"], wire))


def _del(name: str, row_id: Any) -> bytes:
    return _enc.encode(
        Change(name, row_id if isinstance(row_id, UUID) else UUID(str(row_id)), "del")
    )


async def pull(principal: Principal, token: str | None, limit: int | None, secret: str) -> Page:
    """One page of changes for this principal after the cursor (or from a fresh snapshot)."""
    limit = max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))
    order = ordering.ORDER
    view = await order.view()
    if view is None:
        await ensure_state()
        view = await order.view()
        assert view is not None
    scope = await scope_of(principal)
    if token is None:
        txid, seq = await order.start()
        cur = CursorState(str(principal.user_id), view.epoch, "snap", txid, seq, scope)
    else:
        decoded = decode_cursor(secret, token)
        if decoded is None or decoded.user != str(principal.user_id) or decoded.epoch != view.epoch:
            return Page([], None, False, reset=True)
        if (decoded.txid, decoded.seq) < (view.purged_txid, view.purged_seq):
            return Page([], None, False, reset=True)
        if decoded.txid > view.newest:
            return Page([], None, False, reset=True)
        cur = decoded
        if cur.scope != scope:
            if cur.mode == "snap" or cur.pending:
                # The scope moved under a half-sent snapshot or closure: start over cleanly.
                return Page([], None, False, reset=True)
            cur = msgspec.structs.replace(
                cur, mode="snap", phase=0, coll=0, last_id="", old_scope=cur.scope, scope=scope
            )
        elif (
            cur.mode == "stream"
            and not cur.pending
            and order.nothing_after(view, cur.txid, cur.seq)
        ):
            # The common empty poll: one query in all, and the same cursor back.
            return Page([], token, False)
    async with _reading():
        if cur.mode == "snap":
            page, nxt, more = await _snapshot_page(principal, cur, limit)
        else:
            page, nxt, more = await _stream_page(principal, cur, limit, view.horizon, view.bound)
    return Page(page, encode_cursor(secret, nxt), more)


@asynccontextmanager
async def _reading() -> AsyncIterator[None]:
    """On SQLite one read transaction per page: one consistent WAL snapshot for its dozen
    queries. On PostgreSQL none: under READ COMMITTED a transaction gives its statements no
    common snapshot anyway (each page's correctness rests on the horizon, not on one), and
    BEGIN and COMMIT were two of a poll's seven round trips."""
    engine = current_engine()
    if engine.transaction_exists() or not is_sqlite():
        yield
        return
    async with engine.transaction():
        yield


async def stream_cursor(principal: Principal, secret: str) -> str:
    """A stream cursor covering everything final now (the push response's cursor)."""
    state = await load_state()
    txid, seq = await ordering.ORDER.start()
    return encode_cursor(
        secret,
        CursorState(
            str(principal.user_id), state.epoch, "stream", txid, seq, await scope_of(principal)
        ),
    )


# --- snapshot ---------------------------------------------------------------------------------


def _live(coll: Collection) -> Any:
    return coll.table.deleted_at.is_null()


def _where(*conditions: Any) -> Any:
    result = None
    for c in conditions:
        if c is not None:
            result = c if result is None else result & c
    return result


_pk_indexes: dict[str, str | None] = {}
_json_decode = msgspec.json.decode


async def _pk_index(table: Any) -> str | None:
    """The SQLite index behind the table's primary key (looked up once per table)."""
    name = table._meta.tablename
    if name not in _pk_indexes:
        rows = await table.raw(f'PRAGMA index_list("{name}")')
        _pk_indexes[name] = next((r["name"] for r in rows if r["origin"] == "pk"), None)
    return _pk_indexes[name]


async def _page_rows(table: Any, where: Any, room: int) -> list[dict[str, Any]]:
    """Up to `room` rows matching `where`, in id order, JSON columns loaded.

    JSON columns are decoded here with msgspec rather than by Piccolo's load_json (json.loads):
    same values, an eighth of a bootstrap's time less.
    """
    query = table.select().where(where).order_by(table.id).limit(room)
    index = await _pk_index(table) if is_sqlite() else None
    if index is None:
        rows = await query
    else:
        # Without statistics SQLite picks the scope column's index (territory), then sorts
        # every remaining row of the scope by id on each page: a bootstrap goes quadratic
        # (1.8 s of 3.3 s for 50,000 customers). Walking the primary key reads each row once.
        sql, args = query.querystrings[0].compile_string(engine_type="sqlite")
        quoted = f'FROM "{table._meta.tablename}"'
        sql = sql.replace(quoted, f'{quoted} INDEXED BY "{index}"', 1)
        rows = await table.raw(sql.replace("?", "{}"), *args)
    for column in table._meta.json_columns:
        key = column._meta.name
        for r in rows:
            value = r.get(key)
            if isinstance(value, str | bytes):
                r[key] = _json_decode(value)
    return rows  # type: ignore[no-any-return]


async def _snapshot_page(
    principal: Principal, cur: CursorState, limit: int
) -> tuple[list[bytes], CursorState, bool]:
    out: list[bytes] = []
    size = 0
    old = principal_of(principal.user_id, cur.old_scope) if cur.old_scope else None
    phase, ci, last = cur.phase, cur.coll, cur.last_id
    if phase == 0 and old is None:
        phase = 1
    while True:
        if ci >= len(ORDER):
            if phase == 0:
                phase, ci, last = 1, 0, ""
                continue
            done = CursorState(cur.user, cur.epoch, "stream", cur.txid, cur.seq, cur.scope)
            return out, done, True
        coll = COLLECTIONS[ORDER[ci]]
        room = limit - len(out)
        if room <= 0 or size >= PAGE_BYTES:
            nxt = msgspec.structs.replace(cur, phase=phase, coll=ci, last_id=last)
            return out, nxt, True
        table = coll.table
        after = table.id > UUID(last) if last else None
        who = old if phase == 0 else principal
        assert who is not None
        rows = await _page_rows(
            table,
            _where(
                _live(coll),
                await (
                    _condition_then(coll, who, cur.old_scope)
                    if phase == 0 and cur.old_scope
                    else coll.condition(who)
                ),
                after,
            ),
            room,
        )
        if phase == 0:
            ids = [r["id"] for r in rows]
            keep = set()
            new_cond = await coll.condition(principal)
            for part in _chunks(ids):
                keep |= {
                    r["id"]
                    for r in await table.select(table.id).where(
                        _where(new_cond, table.id.is_in(part))
                    )
                }
            for r in rows:
                if r["id"] not in keep:
                    enc = _del(coll.name, r["id"])
                    out.append(enc)
                    size += len(enc)
        else:
            for r, wire in zip(rows, await coll.to_wire(rows, principal), strict=True):
                enc = _put(coll.name, r, wire)
                out.append(enc)
                size += len(enc)
        if len(rows) < room:
            ci, last = ci + 1, ""
        else:
            last = str(rows[-1]["id"])


# --- stream -----------------------------------------------------------------------------------


def _cut(entries: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], bool]:
    """The page's entries, ending on a transaction boundary unless one transaction fills it."""
    if len(entries) <= limit:
        return entries, False
    page = entries[:limit]
    last_tx = page[-1]["txid"]
    if entries[limit]["txid"] == last_tx:
        cut = next(i for i, e in enumerate(page) if e["txid"] == last_tx)
        if cut > 0:
            page = page[:cut]
    return page, True


# A page handles at most this many moved customers, so the cursor (which lists the closures
# still to send) stays small enough for a URL.
MAX_MOVES = 16


def _is_move(e: dict[str, Any]) -> bool:
    """An entry that moved an anchor row (a customer) and so its closure."""
    coll = COLLECTIONS.get(e["collection"])
    return coll is not None and coll.anchor and bool(e["scope_from"] or e["scope_to"])


def _has_scope(e: dict[str, Any]) -> bool:
    return bool(e["scope_from"] or e["scope_to"])


def _cap_moves(page: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    seen = 0
    for i, e in enumerate(page):
        seen += _is_move(e)
        if seen > MAX_MOVES:
            return page[:i], True
    return page, False


async def _stream_page(
    principal: Principal,
    cur: CursorState,
    limit: int,
    horizon: int | None = None,
    bound: tuple[int, int] | None = None,
) -> tuple[list[bytes], CursorState, bool]:
    if cur.pending:
        # A moved customer's closure is paged like a snapshot before the stream goes on.
        return await _closure_page(principal, cur, limit)
    entries = await ordering.ORDER.after(cur.txid, cur.seq, limit + 1, horizon, cur.epoch, bound)
    page, more = _cut(entries, limit)
    page, capped = _cap_moves(page)
    more = more or capped
    while True:
        out, pending = await _expand(principal, page)
        if len(page) <= 1 or sum(map(len, out)) <= PAGE_BYTES:
            break
        # Too many bytes: keep the first half of the transactions and try again.
        half = page[: len(page) // 2]
        last_tx = half[-1]["txid"]
        trimmed = [e for e in half if e["txid"] != last_tx] or half
        page, more = trimmed, True
    if not page:
        return out, cur, more
    last = page[-1]
    nxt = msgspec.structs.replace(
        cur, txid=int(last["txid"]), seq=int(last["seq"]), pending=pending, pcoll=0, plast=""
    )
    return out, nxt, more or bool(pending)


async def _closure_page(
    principal: Principal, cur: CursorState, limit: int
) -> tuple[list[bytes], CursorState, bool]:
    """Up to `limit` rows of the pending closures; has_more stays true until all are sent."""
    out: list[bytes] = []
    size = 0
    pending, ci, last = list(cur.pending), cur.pcoll, cur.plast
    while pending and len(out) < limit and size < PAGE_BYTES:
        put, cid = pending[0][0] == "+", UUID(pending[0][1:])
        if ci >= len(CLOSURE):
            pending, ci, last = pending[1:], 0, ""
            continue
        coll = CLOSURE[ci]
        table = coll.table
        where = _where(coll.via == cid, table.id > UUID(last) if last else None)
        room = limit - len(out)
        if put:
            # The collection's own condition too: a customer moved away again since gets
            # nothing more here (its later entry sends the dels), nor do rows it may not see.
            rows = (
                await table.select()
                .where(_where(where, _live(coll), await coll.condition(principal)))
                .order_by(table.id)
                .limit(room)
                .output(load_json=True)
            )
            encoded = [
                _put(coll.name, r, w)
                for r, w in zip(rows, await coll.to_wire(rows, principal), strict=True)
            ]
        else:
            rows = await table.select(table.id).where(where).order_by(table.id).limit(room)
            # Rows the user still reads by another rule (a distributor's own quotes) stay.
            kept = await _still_visible(coll, principal, [r["id"] for r in rows])
            encoded = [_del(coll.name, r["id"]) for r in rows if r["id"] not in kept]
        out += encoded
        size += sum(map(len, encoded))
        if len(rows) < room:
            ci, last = ci + 1, ""
        else:
            last = str(rows[-1]["id"])
    nxt = msgspec.structs.replace(cur, pending=tuple(pending), pcoll=ci, plast=last)
    return out, nxt, True


async def _still_visible(coll: Collection, principal: Principal, ids: list[Any]) -> set[Any]:
    cond = await coll.condition(principal)
    if not ids:
        return set()
    if cond is None:
        return set(ids)
    table = coll.table
    return {
        r["id"]
        for part in _chunks(ids)
        for r in await table.select(table.id).where(_where(cond, table.id.is_in(part)))
    }


async def _visible_rows(
    coll: Collection, principal: Principal, ids: list[Any]
) -> tuple[dict[Any, dict[str, Any]], set[Any]]:
    """Rows by id (deleted ones too) and the ids the principal may see.

    Only visible rows are loaded whole; of the others the id and `deleted_at` are all the
    caller looks at. Most entries a device reads are other people's changes, so the common
    empty pull is one query per collection: ids, `deleted_at` and whether the collection's
    condition holds (a sub-select, since conditions may join through to the customer)."""
    table = coll.table
    rows: dict[Any, dict[str, Any]] = {}
    visible: set[Any] = set()
    cond = await coll.condition(principal)
    name = table._meta.tablename
    deleted = table.deleted_at._meta.db_column_name
    for part in _chunks(ids):
        marks = ", ".join("{}" for _ in part)
        if cond is None:
            shown = part
        else:
            inner = table.select(table.id).where(_where(cond, table.id.is_in(part)))
            found = await table.raw(
                f'SELECT id, "{deleted}" AS deleted_at, id IN ({{}}) AS visible '
                f'FROM "{name}" WHERE id IN ({marks})',
                inner.querystrings[0],
                *part,
            )
            shown = []
            for r in found:
                if r["visible"]:
                    shown.append(r["id"])
                else:
                    rows[r["id"]] = {"id": r["id"], "deleted_at": r["deleted_at"]}
        visible.update(shown)
        if shown:
            for r in await table.select().where(table.id.is_in(shown)).output(load_json=True):
                rows[r["id"]] = r
    return rows, visible


async def _expand(
    principal: Principal, page: list[dict[str, Any]]
) -> tuple[list[bytes], tuple[str, ...]]:
    """The changes a page of entries means for this principal now, and the closures of moved
    customers to send next ("+id" / "-id", in order)."""
    last_of: dict[tuple[str, str], dict[str, Any]] = {}
    # Every scope a moved customer passed through in this page (where it was before each move
    # and where each move took it): a device that saw it in any of them and may not see it now
    # gets the del, however many times it moved between two pulls.
    moves: dict[str, list[dict[str, Any]]] = {}
    for e in page:
        coll = COLLECTIONS.get(e["collection"])
        if coll is None:
            continue
        key = (e["collection"], str(e["row_id"]))
        last_of.pop(key, None)
        last_of[key] = e  # re-inserted so its place is its last entry
        if _has_scope(e) and coll.was_visible is not None:
            passed = moves.setdefault(f"{e['collection']}:{e['row_id']}", [])
            passed += [s for s in (e["scope_from"], e["scope_to"]) if s]
    by_coll: dict[str, list[Any]] = {}
    for name, rid in last_of:
        by_coll.setdefault(name, []).append(UUID(rid))
    loaded = {
        name: await _visible_rows(COLLECTIONS[name], principal, ids)
        for name, ids in by_coll.items()
    }
    # Wire forms per collection in one call (orders and users load their parts per call).
    wires: dict[tuple[str, Any], Any] = {}
    for name, (rows, visible) in loaded.items():
        shown = [r for r in rows.values() if r["id"] in visible and r["deleted_at"] is None]
        for r, w in zip(shown, await COLLECTIONS[name].to_wire(shown, principal), strict=True):
            wires[(name, r["id"])] = w
    out: list[bytes] = []
    pending: list[str] = []
    for (name, rid), _entry in last_of.items():
        rows, visible = loaded[name]
        row = rows.get(UUID(rid))
        coll = COLLECTIONS[name]
        scopes = moves.get(f"{name}:{rid}")
        if row is not None and row["deleted_at"] is None:
            if row["id"] in visible:
                out.append(_put(name, row, wires[(name, row["id"])]))
                if scopes is not None and coll.anchor:
                    pending.append("+" + rid)
            elif scopes is not None and coll.was_visible is not None:
                if any(coll.was_visible(principal, {**was, "id": rid}) for was in scopes):
                    out.append(_del(name, rid))
                    if coll.anchor:
                        pending.append("-" + rid)
        elif row is None or row["id"] in visible:
            out.append(_del(name, rid))
    return out, tuple(pending)
