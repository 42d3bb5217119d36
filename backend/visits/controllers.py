"""Visits over HTTP: thin handlers over backend.visits.service."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.deps import PrincipalDep
from backend.edge.params import PageLimit
from backend.problems import AUTHED, WRITE, problem_responses
from backend.schemas import Page
from backend.visits import service
from backend.visits.schemas import (
    CheckIn,
    CheckOut,
    VisitClose,
    VisitCreate,
    VisitRead,
    VisitStatus,
    VisitUpdate,
)


class VisitController(Controller):
    path = "/visits"
    tags = ["visits"]

    @get(
        "/",
        summary="Visits you may see, by planned start (filter by rep, customer, period, status)",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def list_visits(
        self,
        principal: PrincipalDep,
        rep_id: FromQuery[UUID | None] = None,
        customer_id: FromQuery[UUID | None] = None,
        date_from: FromQuery[datetime | None] = None,
        date_to: FromQuery[datetime | None] = None,
        status: FromQuery[VisitStatus | None] = None,
        limit: FromQuery[PageLimit] = 100,
        cursor: FromQuery[str | None] = None,
    ) -> Page[VisitRead]:
        return await service.list_visits(
            principal,
            rep_id=rep_id,
            customer_id=customer_id,
            date_from=date_from,
            date_to=date_to,
            status=status,
            limit=limit,
            cursor=cursor,
        )

    @post(
        "/",
        summary="Plan a visit (reps for themselves, managers for reps of their region)",
        responses=problem_responses(*WRITE),
    )
    async def plan_visit(self, principal: PrincipalDep, data: JSONBody[VisitCreate]) -> VisitRead:
        return await service.plan_visit(principal, data)

    @get("/{visit_id:uuid}", summary="One visit", responses=problem_responses(*AUTHED))
    async def get_visit(self, principal: PrincipalDep, visit_id: FromPath[UUID]) -> VisitRead:
        return await service.get_visit(principal, visit_id)

    @patch(
        "/{visit_id:uuid}",
        summary="Reschedule or reassign a planned visit",
        responses=problem_responses(*WRITE),
    )
    async def update_visit(
        self, principal: PrincipalDep, visit_id: FromPath[UUID], data: JSONBody[VisitUpdate]
    ) -> VisitRead:
        return await service.update_visit(principal, visit_id, data)

    @delete(
        "/{visit_id:uuid}",
        summary="Delete a visit that is still planned",
        responses=problem_responses(401, 403, 404, 409),
    )
    async def delete_visit(self, principal: PrincipalDep, visit_id: FromPath[UUID]) -> None:
        await service.delete_visit(principal, visit_id)

    @post(
        "/{visit_id:uuid}/check-in",
        status_code=200,
        summary="Check in: the position is verified against the customer's pin",
        responses=problem_responses(*WRITE),
    )
    async def check_in(
        self, principal: PrincipalDep, visit_id: FromPath[UUID], data: JSONBody[CheckIn]
    ) -> VisitRead:
        return await service.check_in(principal, visit_id, data)

    @post(
        "/{visit_id:uuid}/check-out",
        status_code=200,
        summary="Check out with outcome, notes and next action",
        responses=problem_responses(*WRITE),
    )
    async def check_out(
        self, principal: PrincipalDep, visit_id: FromPath[UUID], data: JSONBody[CheckOut]
    ) -> VisitRead:
        return await service.check_out(principal, visit_id, data)

    @post(
        "/{visit_id:uuid}/skip",
        status_code=200,
        summary="Skip a planned visit, with a reason",
        responses=problem_responses(*WRITE),
    )
    async def skip_visit(
        self, principal: PrincipalDep, visit_id: FromPath[UUID], data: JSONBody[VisitClose]
    ) -> VisitRead:
        return await service.skip_visit(principal, visit_id, data)

    @post(
        "/{visit_id:uuid}/cancel",
        status_code=200,
        summary="Cancel a planned visit, with a reason",
        responses=problem_responses(*WRITE),
    )
    async def cancel_visit(
        self, principal: PrincipalDep, visit_id: FromPath[UUID], data: JSONBody[VisitClose]
    ) -> VisitRead:
        return await service.cancel_visit(principal, visit_id, data)
