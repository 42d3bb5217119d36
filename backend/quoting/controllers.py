"""Quotes over HTTP: make, edit, read, answer, the PDF, and the device's PDF engine bundle."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.deps import PrincipalDep, SettingsDep
from backend.documents.schemas import ApprovalDecision
from backend.edge.params import PageLimit
from backend.problems import AUTHED, WRITE, problem_responses
from backend.quoting import decisions, rendering, service
from backend.quoting.engine import engine_bundle
from backend.quoting.schemas import (
    QuoteCreate,
    QuoteDecision,
    QuoteRead,
    QuoteStatusChange,
    QuoteUpdate,
    Status,
)
from backend.schemas import Page


def _etag_matches(request: Request[Any, Any, Any], etag: str) -> bool:
    given = request.headers.get("if-none-match", "")
    return any(part.strip().removeprefix("W/") == etag for part in given.split(","))


class QuoteController(Controller):
    path = "/quotes"
    tags = ["quotes"]

    @get(
        "/",
        summary="Quotes in your scope, newest first; `mine`: your own (a customer's: theirs)",
        responses=problem_responses(401, 422),
    )
    async def list_quotes(
        self,
        principal: PrincipalDep,
        customer_id: FromQuery[UUID | None] = None,
        status: FromQuery[Status | None] = None,
        mine: FromQuery[bool] = False,
        limit: FromQuery[PageLimit] = 50,
        cursor: FromQuery[str | None] = None,
    ) -> Page[QuoteRead]:
        return await service.list_quotes(
            principal,
            customer_id=customer_id,
            status=status,
            mine=mine,
            limit=limit,
            cursor=cursor,
        )

    @get(
        "/company",
        summary="The seller's header printed on new quotes (devices keep it for offline quotes)",
        responses=problem_responses(401),
    )
    async def company(self, principal: PrincipalDep) -> dict[str, Any]:
        return service.company_header()

    @get(
        "/engine.zip",
        summary="The device's PDF engine: reportlab, the quote modules and a Pillow stand-in",
        description="A zip for Pyodide's unpackArchive; ETag is its SHA-256.",
        opt={"public": True},
        include_in_schema=True,
        responses=problem_responses(503),
    )
    async def engine(
        self, request: Request[Any, Any, Any], settings: SettingsDep
    ) -> Response[bytes]:
        bundle = engine_bundle(settings.data_dir)
        etag = f'"{bundle.sha256}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if _etag_matches(request, etag):
            return Response(b"", status_code=304, headers=headers)
        return Response(bundle.data, media_type="application/zip", headers=headers)

    @get(
        "/{quote_id:uuid}",
        summary="One quote with its lines and the JSON both engines render its PDF from",
        responses=problem_responses(*AUTHED),
    )
    async def get_quote(self, principal: PrincipalDep, quote_id: FromPath[UUID]) -> QuoteRead:
        return await service.get_quote(principal, quote_id)

    @get(
        "/{quote_id:uuid}/pdf",
        summary="The quote's PDF rendered on the server (ETag: its SHA-256)",
        description="422 `pdf-budget-exceeded` when it cannot be rendered within the server's "
        "time or size budget.",
        responses=problem_responses(*AUTHED, 422, 503),
    )
    async def get_pdf(
        self, request: Request[Any, Any, Any], principal: PrincipalDep, quote_id: FromPath[UUID]
    ) -> Response[bytes]:
        quote = await service.get_quote(principal, quote_id)
        assert quote.document is not None
        data, sha = await rendering.render_pdf(quote.document)
        etag = f'"{sha}"'
        headers = {
            "ETag": etag,
            "Cache-Control": "private, no-cache",
            "Content-Disposition": f'inline; filename="{quote.number}.pdf"',
        }
        if _etag_matches(request, etag):
            return Response(b"", status_code=304, headers=headers)
        return Response(data, media_type="application/pdf", headers=headers)

    @post(
        "/",
        summary="Make a quote; the server prices it, numbers it if needed, checks the device's PDF",
        description="201 when created; 200 with the stored quote when the same author sends an "
        "id that exists already (a retry).",
        responses=problem_responses(*WRITE),
    )
    async def create_quote(
        self, principal: PrincipalDep, data: JSONBody[QuoteCreate]
    ) -> Response[QuoteRead]:
        quote, created = await service.submit_quote(principal, data)
        return Response(quote, status_code=201 if created else 200)

    @patch(
        "/{quote_id:uuid}",
        summary="Edit a draft quote (lines given replace all lines)",
        responses=problem_responses(*WRITE),
    )
    async def update_quote(
        self, principal: PrincipalDep, quote_id: FromPath[UUID], data: JSONBody[QuoteUpdate]
    ) -> QuoteRead:
        return await service.update_quote(principal, quote_id, data)

    @post(
        "/{quote_id:uuid}/status",
        summary="Send a quote, or record the customer's answer (accepted makes the order)",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def change_status(
        self, principal: PrincipalDep, quote_id: FromPath[UUID], data: JSONBody[QuoteStatusChange]
    ) -> QuoteRead:
        return await decisions.change_status(principal, quote_id, data)

    @post(
        "/{quote_id:uuid}/accept",
        summary="Accept a sent quote (customers: their own); makes the order exactly once",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def accept(
        self, principal: PrincipalDep, quote_id: FromPath[UUID], data: JSONBody[QuoteDecision]
    ) -> QuoteRead:
        return await decisions.accept_quote(principal, quote_id, data)

    @post(
        "/{quote_id:uuid}/reject",
        summary="Reject a sent quote (customers: their own)",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def reject(
        self, principal: PrincipalDep, quote_id: FromPath[UUID], data: JSONBody[QuoteDecision]
    ) -> QuoteRead:
        return await decisions.reject_quote(principal, quote_id, data)

    @post(
        "/{quote_id:uuid}/approval",
        summary="Approve or reject a quote's discounts (a manager of the region or an admin)",
        description="For quotes whose discounts exceed the author's limit (approval pending; "
        "they stay drafts until approved); nobody decides on their own quote. A rejection "
        "needs a reason.",
        responses=problem_responses(*WRITE),
        status_code=200,
    )
    async def decide_approval(
        self, principal: PrincipalDep, quote_id: FromPath[UUID], data: JSONBody[ApprovalDecision]
    ) -> QuoteRead:
        return await decisions.decide_approval(principal, quote_id, data)
