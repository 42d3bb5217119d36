"""The registry of sync collections: what each is, filled by the areas, read by the engine.

The engine imports no business area. Each area describes its collections in `<area>/sync.py`
(table, visibility rule, wire shape, mutation applier) and the wiring (backend/wiring.py)
registers them here at start, the way piccolo_conf.py registers apps. The visibility rule is
the same function the area's REST listings and reads by id ask (../docs visibility.md), so
REST and sync cannot drift apart.

`data` on the wire is the JSON the REST API returns for that row, shaped for the reader
(partner roles get internal fields stripped): `to_wire(rows, principal)`.
Rows that hang off a customer follow its scope and move with it (`via`, the closure).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from piccolo.columns import ForeignKey

from backend.principal import Principal

if TYPE_CHECKING:
    from sync.appliers import Applied
    from sync.cursor import Scope
    from sync.schemas import Mutation

Condition = Callable[[Principal], Awaitable[Any | None]]
Converter = Callable[[list[dict[str, Any]], Principal], Awaitable[list[Any]]]
Applier = Callable[[Principal, "Mutation"], Awaitable["Applied"]]
# Whether a principal could read a row in a scope it had before (a move entry's scope_from or
# scope_to, with the row's "id"): decides who gets a `del` when the row leaves their scope.
WasVisible = Callable[[Principal, dict[str, Any]], bool]
# The rule for a principal as a cursor's scope had it, where the database only knows today's.
ConditionThen = Callable[[Principal, "Scope"], Awaitable[Any | None]]


def never(table: Any) -> Any:
    """A condition that matches no row (primary keys are never null)."""
    return table.id.is_null()


def project(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON-ready fields: foreign keys renamed `<name>_id`, no soft-delete marker."""
    fks = {c._meta.name for c in table._meta.foreign_key_columns}
    return {(f"{k}_id" if k in fks else k): v for k, v in row.items() if k != "deleted_at"}


def each(fn: Callable[[dict[str, Any]], Any]) -> Converter:
    """A converter that shapes every row alike, whoever reads it."""

    async def convert(rows: list[dict[str, Any]], principal: Principal) -> list[Any]:
        return [fn(r) for r in rows]

    return convert


@dataclass(frozen=True)
class Collection:
    name: str
    table: Any
    condition: Condition
    to_wire: Converter
    apply: Applier | None = None
    # The ForeignKey to Customer for rows that hang off a customer (None: not customer-bound).
    via: Any = None
    # For rows whose entries carry scope_from/scope_to (customers, users): see WasVisible.
    was_visible: WasVisible | None = None
    condition_then: ConditionThen | None = None
    # Moving this collection's rows moves their closure (the collections with `via`).
    anchor: bool = False


class UnknownCollection(ValueError):
    """A change or mutation names a collection no area registered."""


COLLECTIONS: dict[str, Collection] = {}
# Registration order: a snapshot cursor keeps an index into it, so the wiring keeps it fixed.
ORDER: list[str] = []
# What hangs off a customer and moves with it when it changes scope.
CLOSURE: list[Collection] = []
# Extra facts of a user's scope that the cursor remembers (e.g. the price list a customer or
# distributor reads): registered by the area that owns them.
_scope_facts: list[Callable[[Principal], Awaitable[str]]] = []


def register(*collections: Collection) -> None:
    """Add collections (the wiring calls this once at start; again is a no-op)."""
    for coll in collections:
        if coll.name in COLLECTIONS:
            if COLLECTIONS[coll.name] is not coll:
                COLLECTIONS[coll.name] = coll
                CLOSURE[:] = [COLLECTIONS[c.name] for c in CLOSURE]
            continue
        COLLECTIONS[coll.name] = coll
        ORDER.append(coll.name)
        if coll.via is not None:
            CLOSURE.append(coll)


def register_scope_fact(fact: Callable[[Principal], Awaitable[str]]) -> None:
    if fact not in _scope_facts:
        _scope_facts.clear()
        _scope_facts.append(fact)


async def price_list_fact(principal: Principal) -> str:
    return await _scope_facts[0](principal) if _scope_facts else ""


def get(name: str) -> Collection:
    try:
        return COLLECTIONS[name]
    except KeyError:
        raise UnknownCollection(f"No area registered the sync collection {name!r}.") from None


def is_registered(name: str) -> bool:
    return name in COLLECTIONS


def is_fk(column: Any) -> bool:
    return isinstance(column, ForeignKey)
