"""The `products` and `price_lists` sync collections, by the REST rules of the catalogue."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from backend.catalogue import repository as repo
from backend.catalogue.service import (
    own_price_list,
    readable_price_list_condition,
    readable_product_condition,
)
from backend.catalogue.tables import PriceList, Product
from backend.principal import PARTNERS, Principal
from sync.collections import Collection, each
from sync.cursor import Scope


async def _products(principal: Principal) -> Any | None:
    return readable_product_condition(principal)


async def _price_lists(principal: Principal) -> Any | None:
    return await readable_price_list_condition(principal)


async def _price_lists_then(principal: Principal, scope: Scope) -> Any | None:
    """The list a customer or distributor read when the cursor was issued (kept in it)."""
    if scope.role in PARTNERS:
        return (
            PriceList.id == UUID(scope.price_list) if scope.price_list else PriceList.id.is_null()
        )
    return await readable_price_list_condition(principal)


async def _price_lists_wire(rows: list[dict[str, Any]], principal: Principal) -> list[Any]:
    return [repo.to_price_list_read(r, await repo.list_item_reads(r["id"])) for r in rows]


async def price_list_fact(principal: Principal) -> str:
    """The scope fact a cursor keeps: reassigning a partner's list changes its scope."""
    if principal.role not in PARTNERS:
        return ""
    own = await own_price_list(principal)
    return str(own or "")


PRODUCTS = Collection("products", Product, _products, each(repo.to_product_read))
PRICE_LISTS = Collection(
    "price_lists",
    PriceList,
    _price_lists,
    _price_lists_wire,
    condition_then=_price_lists_then,
)
