"""Bearer-token authentication for every /api route not marked public.

A session opened with a temporary password reads the caller and sets a new password
(`/api/me`) or logs out, nothing else, until its tokens are refreshed after the change.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware.authentication import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
)

from backend.accounts import service
from backend.errors import FieldError, PermissionDenied, Unauthenticated

# What a session that must change its password may still do: (method, path).
_WHILE_CHANGING = {("GET", "/api/me"), ("PATCH", "/api/me"), ("POST", "/api/auth/logout")}


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated(detail="Send 'Authorization: Bearer <access token>'.")
        settings = connection.app.state.settings
        principal = await service.authenticate(settings, token.strip())
        if principal.must_change_password:
            path = connection.scope["path"].rstrip("/")
            if (connection.scope.get("method", "GET"), path) not in _WHILE_CHANGING:
                raise PermissionDenied(
                    detail="Choose your own password first: a temporary password only opens "
                    "the password change (PATCH /api/me), then refresh the tokens.",
                    errors=[
                        FieldError("new_password", "required first", "password_change_required")
                    ],
                )
        return AuthenticationResult(user=principal, auth=token)
