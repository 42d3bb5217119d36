"""HTTP side of sync: POST /api/sync/push and GET /api/sync/pull (thin; see sync/push, pull)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import FromQuery, JSONBody

from backend.deps import PrincipalDep, SettingsDep
from backend.errors import TemporarilyUnavailable
from backend.problems import problem_responses
from sync import pull as pull_service
from sync import push as push_service
from sync.schemas import PullResponse, PushRequest, PushResponse
from sync.tables import SyncClient


class SyncController(Controller):
    path = "/sync"
    tags = ["sync"]

    @post(
        "/push",
        summary="Apply a device's queued mutations exactly once, in mid order",
        responses=problem_responses(400, 401, 403, 413, 422, 503),
        status_code=200,
    )
    async def push(
        self, principal: PrincipalDep, settings: SettingsDep, data: JSONBody[PushRequest]
    ) -> PushResponse:
        return await push_service.push(principal, data, settings.secret_key)

    @get(
        "/pull",
        summary="Changes in your scope after a cursor (a snapshot without one)",
        responses=problem_responses(400, 401, 422, 503),
    )
    async def pull(
        self,
        principal: PrincipalDep,
        settings: SettingsDep,
        cursor: FromQuery[str | None] = None,
        limit: FromQuery[int | None] = None,
        client_id: FromQuery[UUID | None] = None,
    ) -> Response[PullResponse]:
        try:
            page = await pull_service.pull(principal, cursor, limit, settings.secret_key)
            extra = {}
            if client_id is not None:
                row = (
                    await SyncClient.select(SyncClient.code, SyncClient.user)
                    .where(SyncClient.client_id == client_id)
                    .first()
                )
                if row is not None and row["user"] == principal.user_id:
                    extra["client_code"] = int(row["code"])
        except Exception as exc:
            if push_service.is_temporary(exc):
                raise TemporarilyUnavailable(
                    detail="The database is busy; try again shortly.", retry_after=2
                ) from exc
            raise
        return Response(content=page.body(extra), media_type="application/json")  # type: ignore[arg-type]
