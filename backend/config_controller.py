"""GET /api/config: the public, non-secret settings the PWA needs before and after login."""

from __future__ import annotations

import msgspec
from litestar import get

from backend.problems import problem_responses
from backend.settings import get_settings


class ClientConfig(msgspec.Struct, kw_only=True):
    """What the app may know about the deployment; never a secret."""

    tile_url: str  # a Leaflet URL template; "" means: draw maps on a plain background


@get(
    "/config",
    opt={"public": True},
    summary="Public settings for the app (map tile URL)",
    tags=["ops"],
    responses=problem_responses(500),
    operation_id="client_config",
)
async def client_config() -> ClientConfig:
    return ClientConfig(tile_url=get_settings().tile_url)
