"""Dependencies every controller may ask for."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide

from backend.accounts.principal import Principal
from backend.settings import Settings


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    return request.user  # type: ignore[no-any-return]


async def provide_settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


# Name-injected dependencies, declared explicitly as Litestar 3 will require.
PrincipalDep = NamedDependency[Principal]
SettingsDep = NamedDependency[Settings]

DEPENDENCIES = {
    "principal": Provide(provide_principal),
    "settings": Provide(provide_settings),
}
