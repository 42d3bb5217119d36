"""Login, refresh, logout, the current user and user administration."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.accounts import service
from backend.accounts.schemas import (
    LoginRequest,
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
        return await service.login(
            settings, data.email, data.password, request.headers.get("user-agent", "")
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
    async def me(self, principal: PrincipalDep) -> UserRead:
        return await service.get_user(principal, principal.user_id)

    @patch(
        "/",
        summary="Change your own name, language, time zone, phone or password",
        responses=problem_responses(400, 401, 422),
    )
    async def update_me(self, principal: PrincipalDep, data: JSONBody[MeUpdate]) -> UserRead:
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

    @delete(
        "/{user_id:uuid}",
        summary="Deactivate and delete a user",
        responses=problem_responses(*AUTHED),
    )
    async def delete_user(self, principal: PrincipalDep, user_id: FromPath[UUID]) -> None:
        await service.delete_user(principal, user_id)
