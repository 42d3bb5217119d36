"""Login, refresh, logout, the current user and user administration."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.accounts import credentials, service
from backend.accounts.schemas import (
    CredentialIssued,
    CredentialRequest,
    InviteAccept,
    LoginRequest,
    MeRead,
    MeUpdate,
    RefreshRequest,
    TokenPair,
    UserCreate,
    UserRead,
    UserUpdate,
)
from backend.deps import PrincipalDep, SettingsDep
from backend.problems import AUTHED, WRITE, problem_responses


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post(
        "/login",
        opt={"public": True},
        summary="Log in with e-mail and password",
        responses=problem_responses(400, 401, 422, 429),
        status_code=200,
    )
    async def login(
        self, data: JSONBody[LoginRequest], settings: SettingsDep, request: Request[Any, Any, Any]
    ) -> TokenPair:
        # The peer address; behind a reverse proxy uvicorn's proxy headers put the client's
        # there (uvicorn trusts X-Forwarded-For from FORWARDED_ALLOW_IPS, 127.0.0.1 by default).
        address = request.client.host if request.client else ""
        return await service.login(
            settings,
            data.email,
            data.password,
            request.headers.get("user-agent", ""),
            address=address,
        )

    @post(
        "/refresh",
        opt={"public": True},
        summary="Swap a refresh token for new tokens",
        responses=problem_responses(400, 401, 422),
        status_code=200,
    )
    async def refresh(
        self, data: JSONBody[RefreshRequest], settings: SettingsDep, request: Request[Any, Any, Any]
    ) -> TokenPair:
        return await service.refresh(
            settings, data.refresh_token, request.headers.get("user-agent", "")
        )

    @post(
        "/invite",
        opt={"public": True},
        summary="Set a password with a one-time invitation link and log in",
        responses=problem_responses(400, 422),
        status_code=200,
    )
    async def accept_invite(
        self, data: JSONBody[InviteAccept], settings: SettingsDep, request: Request[Any, Any, Any]
    ) -> TokenPair:
        return await credentials.accept_invite(
            settings, data.token, data.password, request.headers.get("user-agent", "")
        )

    @post(
        "/logout",
        summary="End this session (revokes its tokens)",
        responses=problem_responses(401),
        status_code=204,
    )
    async def logout(self, principal: PrincipalDep) -> None:
        await service.logout(principal)


class MeController(Controller):
    path = "/me"
    tags = ["auth"]

    @get("/", summary="The logged-in user", responses=problem_responses(401))
    async def me(self, principal: PrincipalDep) -> MeRead:
        return await service.get_me(principal)

    @patch(
        "/",
        summary="Change your own name, language, time zone, phone, password, quiet hours "
        "and reminders",
        responses=problem_responses(400, 401, 422),
    )
    async def update_me(self, principal: PrincipalDep, data: JSONBody[MeUpdate]) -> MeRead:
        return await service.update_me(principal, data)


class UserController(Controller):
    path = "/users"
    tags = ["users"]

    @get("/", summary="Users you work with", responses=problem_responses(*AUTHED))
    async def list_users(
        self, principal: PrincipalDep, role: FromQuery[str | None] = None
    ) -> list[UserRead]:
        return await service.list_users(principal, role)

    @get("/{user_id:uuid}", summary="One user", responses=problem_responses(*AUTHED))
    async def get_user(self, principal: PrincipalDep, user_id: FromPath[UUID]) -> UserRead:
        return await service.get_user(principal, user_id)

    @post(
        "/",
        summary="Create a user (admins; managers for reps of their region)",
        responses=problem_responses(*WRITE),
    )
    async def create_user(self, principal: PrincipalDep, data: JSONBody[UserCreate]) -> UserRead:
        return await service.create_user(principal, data)

    @patch("/{user_id:uuid}", summary="Change a user", responses=problem_responses(*WRITE))
    async def update_user(
        self, principal: PrincipalDep, user_id: FromPath[UUID], data: JSONBody[UserUpdate]
    ) -> UserRead:
        return await service.update_user(principal, user_id, data)

    @post(
        "/{user_id:uuid}/credentials",
        summary="Give a user a one-time invitation link or a temporary password "
        "(a temporary password replaces the old one and ends their sessions)",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def issue_credentials(
        self, principal: PrincipalDep, user_id: FromPath[UUID], data: JSONBody[CredentialRequest]
    ) -> CredentialIssued:
        return await credentials.issue(principal, user_id, data.kind)

    @delete(
        "/{user_id:uuid}",
        summary="Deactivate and delete a user",
        responses=problem_responses(*AUTHED),
    )
    async def delete_user(self, principal: PrincipalDep, user_id: FromPath[UUID]) -> None:
        await service.delete_user(principal, user_id)
