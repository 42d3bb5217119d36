"""Orders over HTTP: capture, list, read and status changes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Controller, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from backend.deps import PrincipalDep
from backend.documents.schemas import ApprovalDecision
from backend.edge.params import PageLimit
from backend.orders import editing, reorder, service
from backend.orders.schemas import (
    OrderCreate,
    OrderEdit,
    OrderRead,
    OrderStatusChange,
    ReorderRequestRead,
    Status,
)
from backend.problems import AUTHED, WRITE, problem_responses
from backend.schemas import Page


class OrderController(Controller):
    path = "/orders"
    tags = ["orders"]

    @get(
        "/",
        summary="Orders in your scope, newest first (customer, status, date range)",
        responses=problem_responses(401, 422),
    )
    async def list_orders(
        self,
        principal: PrincipalDep,
        customer_id: FromQuery[UUID | None] = None,
        status: FromQuery[Status | None] = None,
        since: FromQuery[datetime | None] = None,
        until: FromQuery[datetime | None] = None,
        limit: FromQuery[PageLimit] = 50,
        cursor: FromQuery[str | None] = None,
    ) -> Page[OrderRead]:
        return await service.list_orders(
            principal,
            customer_id=customer_id,
            status=status,
            since=since,
            until=until,
            limit=limit,
            cursor=cursor,
        )

    @get(
        "/{order_id:uuid}", summary="One order with its lines", responses=problem_responses(*AUTHED)
    )
    async def get_order(self, principal: PrincipalDep, order_id: FromPath[UUID]) -> OrderRead:
        return await service.get_order(principal, order_id)

    @post(
        "/",
        summary="Capture an order; the server prices it and flags device mismatches",
        description="201 when created; 200 with the stored order when the same author "
        "sends an id that exists already (a retry).",
        responses=problem_responses(*WRITE),
    )
    async def create_order(
        self, principal: PrincipalDep, data: JSONBody[OrderCreate]
    ) -> Response[OrderRead]:
        order, created = await service.submit_order(principal, data)
        return Response(order, status_code=201 if created else 200)

    @post(
        "/{order_id:uuid}/status",
        summary="Confirm, ship, deliver or cancel an order",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def change_status(
        self, principal: PrincipalDep, order_id: FromPath[UUID], data: JSONBody[OrderStatusChange]
    ) -> OrderRead:
        return await service.change_status(principal, order_id, data)

    @put(
        "/{order_id:uuid}",
        summary="Change an order's lines, discount and notes (its author, until confirmed)",
        description="The lines replace the old ones and are priced with today's price list. "
        "409 with field `status` (code `order_locked`) once the order is confirmed.",
        responses=problem_responses(*WRITE),
    )
    async def edit_order(
        self, principal: PrincipalDep, order_id: FromPath[UUID], data: JSONBody[OrderEdit]
    ) -> OrderRead:
        return await editing.edit_order(principal, order_id, data)

    @post(
        "/{order_id:uuid}/approval",
        summary="Approve or reject an order's discounts (a manager of the region or an admin)",
        description="For orders whose discounts exceed the author's limit (approval "
        "pending); nobody decides on their own order. A rejection needs a reason.",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def decide_approval(
        self, principal: PrincipalDep, order_id: FromPath[UUID], data: JSONBody[ApprovalDecision]
    ) -> OrderRead:
        return await service.decide_approval(principal, order_id, data)

    @post(
        "/{order_id:uuid}/reorder-request",
        summary="Ask for this order again (customers: their own); its rep or distributor confirms",
        responses=problem_responses(*WRITE),
        status_code=202,
    )
    async def request_reorder(
        self, principal: PrincipalDep, order_id: FromPath[UUID]
    ) -> ReorderRequestRead:
        return await reorder.request_reorder(principal, order_id)
