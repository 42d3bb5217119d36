"""REST endpoints of the customer history."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.deps import PrincipalDep
from backend.edge.params import PageLimit
from backend.history import service
from backend.history.schemas import HistoryEntryRead, NoteCreate
from backend.problems import AUTHED, WRITE, problem_responses
from backend.schemas import Page


class HistoryController(Controller):
    path = "/customers/{customer_id:uuid}"
    tags = ["history"]

    @get(
        "/history",
        summary="A customer's timeline, newest first (repeat kind= to filter)",
        responses=problem_responses(*AUTHED, 422),
    )
    async def list_history(
        self,
        principal: PrincipalDep,
        customer_id: FromPath[UUID],
        kind: FromQuery[list[str] | None] = None,
        before: FromQuery[str | None] = None,
        limit: FromQuery[PageLimit] = 50,
    ) -> Page[HistoryEntryRead]:
        return await service.list_history(
            principal, customer_id, kinds=kind, before=before, limit=limit
        )

    @post(
        "/notes", summary="Add a note to a customer's timeline", responses=problem_responses(*WRITE)
    )
    async def add_note(
        self, principal: PrincipalDep, customer_id: FromPath[UUID], data: JSONBody[NoteCreate]
    ) -> HistoryEntryRead:
        return await service.add_note(principal, customer_id, data)
