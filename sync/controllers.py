"""HTTP side of sync: POST /api/sync/push and GET /api/sync/pull (thin; see sync/push, pull)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import FromQuery, JSONBody
from msgspec import Meta

from backend.db import temporary_cause
from backend.deps import PrincipalDep, SettingsDep
from backend.errors import TemporarilyUnavailable
from backend.problems import problem_responses
from sync import devices
from sync import pull as pull_service
from sync import push as push_service
from sync.cursor import decode_cursor
from sync.schemas import PullResponse, PushRequest, PushResponse


class SyncController(Controller):
    path = "/sync"
    tags = ["sync"]

    @post(
        "/push",
        summary="Apply a device's queued mutations exactly once, in mid order",
        responses=problem_responses(400, 401, 403, 413, 422, 503),
        status_code=200,
        # One mutation's bad text must not block the device's whole outbox (backend.edge).
        opt={"per_item_input_checks": True},
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
        app_version: FromQuery[Annotated[str, Meta(max_length=40)] | None] = None,
        pending: FromQuery[Annotated[int, Meta(ge=0, le=1_000_000)] | None] = None,
    ) -> Response[PullResponse]:
        try:
            page = await pull_service.pull(principal, cursor, limit, settings.secret_key)
            extra = {}
            if client_id is not None:
                state = decode_cursor(settings.secret_key, page.cursor) if page.cursor else None
                position = (state.txid, state.seq) if state is not None else None
                note = (client_id, principal.user_id, position, app_version, pending)
                code = await devices.note_pull(*note)
                if code is None and await devices.is_unknown(client_id):
                    # A device that pulls before it ever pushed is a device too.
                    await push_service.register_client(principal, client_id)
                    code = await devices.note_pull(*note)
                if code is not None:
                    extra["client_code"] = code
        except Exception as exc:
            if temporary_cause(exc) is not None:
                raise TemporarilyUnavailable(
                    detail="The database is busy; try again shortly.", retry_after=2
                ) from exc
            raise
        return Response(content=page.body(extra), media_type="application/json")  # type: ignore[arg-type]
