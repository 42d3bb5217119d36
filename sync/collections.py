"""What each sync collection is: its table, who sees which rows, and the wire shape of a row.

`data` on the wire is the JSON the REST API returns for that row: the areas' converters are
reused where they exist; otherwise the row is projected (foreign keys as `<name>_id`).
Rows that hang off a customer (contacts, visits, orders, quotes, history) follow the
customer's scope and move with it (`closure`).
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.columns import ForeignKey

from backend.accounts.principal import Principal
from backend.accounts.tables import User
from backend.catalogue.tables import PriceList, Product
from backend.customers.tables import Contact, Customer
from backend.history.tables import HistoryEvent
from backend.orders.tables import Order, OrderLine
from backend.scope import customer_condition
from backend.territories.tables import Territory
from backend.visits.tables import Visit

Converter = Callable[[list[dict[str, Any]]], Awaitable[list[Any]]]
Condition = Callable[[Principal], Awaitable[Any | None]]


def _never(table: Any) -> Any:
    return table.id.is_null()  # primary keys are never null: matches nothing


def project(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON-ready fields: foreign keys renamed `<name>_id`, no soft-delete marker."""
    fks = {c._meta.name for c in table._meta.foreign_key_columns}
    return {(f"{k}_id" if k in fks else k): v for k, v in row.items() if k != "deleted_at"}


def _converter(module: str, name: str, table: Any) -> Callable[[dict[str, Any]], Any]:
    """The area's row -> Read converter if it exists, else a projection."""
    try:
        fn = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return lambda row: project(table, row)
    return fn  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Collection:
    name: str
    table: Any
    condition: Condition
    to_wire: Converter
    # The ForeignKey to Customer for rows that hang off a customer (None: not customer-bound).
    via: Any = None
    # A collection whose table does not exist yet: listed, always empty.
    empty: bool = False


def _simple(module: str, name: str, table: Any) -> Converter:
    found: list[Callable[[dict[str, Any]], Any]] = []

    async def convert(rows: list[dict[str, Any]]) -> list[Any]:
        if not found:  # looked up once: an import per page showed in the bootstrap profile
            found.append(_converter(module, name, table))
        fn = found[0]
        return [fn(r) for r in rows]

    return convert


def _customer_scoped(via: Any) -> Condition:
    async def condition(principal: Principal) -> Any | None:
        return customer_condition(principal, via=via)

    return condition


async def _users_condition(principal: Principal) -> Any | None:
    # The people a user works with: a manager their region's users, others themselves.
    if principal.is_admin:
        return None
    if principal.role == "manager" and principal.region_id:
        return (User.region == principal.region_id) | (User.id == principal.user_id)
    return User.id == principal.user_id


async def _users_wire(rows: list[dict[str, Any]]) -> list[Any]:
    from backend.accounts import repository as repo

    territories = await repo.territory_ids_of_many([r["id"] for r in rows])
    return [repo.to_user_read(r, territories.get(r["id"], [])) for r in rows]


async def _territories_condition(principal: Principal) -> Any | None:
    if principal.is_admin:
        return None
    if principal.role == "manager" and principal.region_id:
        return Territory.region == principal.region_id
    if principal.role == "rep" and principal.territory_ids:
        return Territory.id.is_in(list(principal.territory_ids))
    return _never(Territory)


async def _all(principal: Principal) -> Any | None:
    return None


async def _products_condition(principal: Principal) -> Any | None:
    return None if principal.role != "customer" else Product.active.eq(True)


async def _price_lists_condition(principal: Principal) -> Any | None:
    try:
        from backend.catalogue.service import readable_price_list_condition
    except ImportError:
        return None if principal.role in ("admin", "manager", "rep") else _never(PriceList)
    return await readable_price_list_condition(principal)


async def _price_lists_wire(rows: list[dict[str, Any]]) -> list[Any]:
    try:
        from backend.catalogue import repository as repo
    except ImportError:
        return [project(PriceList, r) for r in rows]
    return [repo.to_price_list_read(r, await repo.list_item_reads(r["id"])) for r in rows]


async def _orders_wire(rows: list[dict[str, Any]]) -> list[Any]:
    ids = [r["id"] for r in rows]
    by_order: dict[UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        for line in (
            await OrderLine.select().where(OrderLine.order.is_in(ids)).order_by(OrderLine.position)
        ):
            by_order[line["order"]].append(line)
    try:
        from backend.orders import repository as repo
    except ImportError:
        return [
            {**project(Order, r), "lines": [project(OrderLine, x) for x in by_order[r["id"]]]}
            for r in rows
        ]
    return [repo.to_order_read(r, [repo.to_line_read(x) for x in by_order[r["id"]]]) for r in rows]


async def _history_wire(rows: list[dict[str, Any]]) -> list[Any]:
    actors = list({r["actor"] for r in rows if r["actor"] is not None})
    names = {}
    if actors:
        names = {
            u["id"]: u["name"]
            for u in await User.select(User.id, User.name).where(User.id.is_in(actors))
        }
    convert = _converter("backend.history.repository", "to_entry_read", HistoryEvent)
    return [convert({**r, "actor_name": names.get(r["actor"])}) for r in rows]


def _routes_collection() -> Collection:
    """A rep's own day routes; a manager's region's reps' routes; all for an admin."""
    from geo.tables import Route

    async def condition(principal: Principal) -> Any | None:
        if principal.is_admin:
            return None
        if principal.role == "rep":
            return Route.rep == principal.user_id
        if principal.role == "manager" and principal.region_id:
            return (Route.rep.region == principal.region_id) | (Route.rep == principal.user_id)
        return _never(Route)

    return Collection(
        "routes", Route, condition, _simple("geo.routes_repository", "to_route_read", Route)
    )


def _offers_collection() -> Collection:
    """Campaigns of the author's region (managers, admins, reps); the offers a user received."""
    from notifications.tables import Notification, Offer

    async def condition(principal: Principal) -> Any | None:
        if principal.is_admin:
            return None
        if principal.role in ("manager", "rep") and principal.region_id:
            return Offer.region == principal.region_id
        received = await Notification.select(Notification.offer).where(
            (Notification.user == principal.user_id) & Notification.offer.is_not_null()
        )
        ids = list({r["offer"] for r in received})
        return Offer.id.is_in(ids) if ids else _never(Offer)

    return Collection(
        "offers", Offer, condition, _simple("notifications.offers", "to_offer_read", Offer)
    )


def _notifications_collection() -> Collection:
    """The user's own inbox, whatever the role."""
    from notifications.tables import Notification

    async def condition(principal: Principal) -> Any | None:
        return Notification.user == principal.user_id

    return Collection(
        "notifications",
        Notification,
        condition,
        _simple("notifications.repository", "to_notification_read", Notification),
    )


def _empty(name: str) -> Collection:
    """A collection whose table does not exist yet: always empty."""

    async def nothing(principal: Principal) -> Any:
        return _never(Customer)

    async def none(rows: list[dict[str, Any]]) -> list[Any]:
        return []

    return Collection(name, Customer, nothing, none, empty=True)


COLLECTIONS: dict[str, Collection] = {
    c.name: c
    for c in (
        Collection(
            "territories",
            Territory,
            _territories_condition,
            _simple("backend.territories.repository", "to_territory_read", Territory),
        ),
        Collection("users", User, _users_condition, _users_wire),
        Collection(
            "products",
            Product,
            _products_condition,
            _simple("backend.catalogue.repository", "to_product_read", Product),
        ),
        Collection("price_lists", PriceList, _price_lists_condition, _price_lists_wire),
        Collection(
            "customers",
            Customer,
            _customer_scoped(None),
            _simple("backend.customers.repository", "to_customer_read", Customer),
        ),
        Collection(
            "contacts",
            Contact,
            _customer_scoped(Contact.customer),
            _simple("backend.customers.repository", "to_contact_read", Contact),
            via=Contact.customer,
        ),
        Collection(
            "visits",
            Visit,
            _customer_scoped(Visit.customer),
            _simple("backend.visits.repository", "to_visit_read", Visit),
            via=Visit.customer,
        ),
        Collection(
            "orders", Order, _customer_scoped(Order.customer), _orders_wire, via=Order.customer
        ),
        Collection(
            "history",
            HistoryEvent,
            _customer_scoped(HistoryEvent.customer),
            _history_wire,
            via=HistoryEvent.customer,
        ),
    )
}
# Not built yet by their areas: served as empty collections so clients can rely on the names.
for _name in ("quotes", "routes", "offers", "notifications"):
    COLLECTIONS[_name] = _empty(_name)
# Routes (geo), offers and the inbox (notifications), once their tables exist.
for _wired in (_routes_collection, _offers_collection, _notifications_collection):
    try:
        _coll = _wired()
    except ImportError:  # the area is not installed: the collection stays empty
        continue
    COLLECTIONS[_coll.name] = _coll

# Quotes (backend.quoting): lines and the PDF's JSON inside; customers never pull drafts.
from backend.quoting.sync_hooks import quotes_condition, quotes_wire  # noqa: E402
from backend.quoting.tables import Quote  # noqa: E402

COLLECTIONS["quotes"] = Collection(
    "quotes", Quote, quotes_condition, quotes_wire, via=Quote.customer
)

ORDER = list(COLLECTIONS)
# What hangs off a customer and moves with it when it changes scope.
CLOSURE = [c for c in COLLECTIONS.values() if c.via is not None]


def is_fk(column: Any) -> bool:
    return isinstance(column, ForeignKey)
