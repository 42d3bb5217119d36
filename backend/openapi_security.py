"""The OpenAPI document states which operations need the bearer token and which are public."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import SecurityRequirement
from litestar.routes import HTTPRoute

BEARER: list[SecurityRequirement] = [{"bearer": []}]


def declare_bearer_security(app: Litestar, prefix: str = "/api") -> None:
    """Declare the bearer scheme on every operation under prefix not marked public.

    Litestar adds security requirements layer by layer and cannot take one away, so a
    requirement on the /api router would also be claimed for login, health and the other
    operations marked `opt={"public": True}`. Set per handler before the document is built
    (it is built lazily, on the first request for it).
    """
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith(prefix):
            continue
        for handler in route.route_handlers:
            if not handler.opt.get("public"):
                handler.security = BEARER
