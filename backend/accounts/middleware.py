"""Bearer-token authentication for every /api route not marked public."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware.authentication import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
)

from backend.accounts import service
from backend.errors import Unauthenticated


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated(detail="Send 'Authorization: Bearer <access token>'.")
        settings = connection.app.state.settings
        principal = await service.authenticate(settings, token.strip())
        return AuthenticationResult(user=principal, auth=token)
