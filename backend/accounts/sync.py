"""The `users` sync collection: the people a user works with, by the REST rule."""

from __future__ import annotations

from typing import Any

from backend.accounts import repository as repo
from backend.accounts.service import user_was_visible, visible_user_condition
from backend.accounts.tables import User
from backend.principal import Principal
from sync.collections import Collection


async def _condition(principal: Principal) -> Any | None:
    return visible_user_condition(principal, live_only=False)


async def _wire(rows: list[dict[str, Any]], principal: Principal) -> list[Any]:
    territories = await repo.territory_ids_of_many([r["id"] for r in rows])
    return [repo.to_user_read(r, territories.get(r["id"], [])) for r in rows]


USERS = Collection("users", User, _condition, _wire, was_visible=user_was_visible)
