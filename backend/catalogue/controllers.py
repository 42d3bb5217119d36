"""Products, price lists and their CSV imports over HTTP."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post, put
from litestar._multipart import parse_multipart_form
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery, JSONBody

from backend.catalogue import imports, service
from backend.catalogue.schemas import (
    ImportReport,
    PriceListCreate,
    PriceListItemPut,
    PriceListRead,
    PriceListUpdate,
    ProductCreate,
    ProductRead,
    ProductUpdate,
)
from backend.deps import PrincipalDep
from backend.edge.params import PageLimit
from backend.errors import DomainError, FieldError, PayloadTooLarge, ValidationFailed
from backend.problems import AUTHED, WRITE, problem_responses
from backend.schemas import Page
from backend.settings import get_settings

IMPORT = (400, 401, 403, 404, 413, 415, 422)
_CSV_HELP = (
    "Send the CSV as the body (text/csv) or as the file of a multipart upload. "
    "UTF-8 with or without BOM, `,` or `;` separated, a header row, decimal comma "
    "allowed. The real import is all or nothing: any row error answers 422 with the "
    "report and writes nothing."
)


async def _bounded(request: Request[Any, Any, Any], limit: int) -> AsyncGenerator[bytes, None]:
    """The body as it arrives, refused (413) as soon as it passes ``limit`` bytes."""
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise PayloadTooLarge(
                detail=f"The CSV is larger than {limit} bytes; split it.",
                errors=[FieldError("file", f"at most {limit} bytes", "too_large")],
            )
        yield chunk


async def _csv_body(request: Request[Any, Any, Any]) -> bytes:
    """The uploaded CSV bytes, streamed within ROUNDS_CSV_MAX_BYTES, from a raw body or the
    first file of a multipart form."""
    limit = get_settings().csv_max_bytes
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        boundary = request.content_type[1].get("boundary")
        if not boundary:
            raise ValidationFailed(detail="The multipart upload has no boundary.")
        form = await parse_multipart_form(
            stream=_bounded(request, limit),
            boundary=boundary.encode(),
            multipart_form_part_limit=request.app.multipart_form_part_limit,
        )
        for values in form.values():
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, UploadFile):
                    return await value.read()
        raise ValidationFailed(
            detail="The upload has no file.",
            errors=[FieldError("file", "attach the CSV file", "required")],
        )
    if content_type and not content_type.startswith(
        (
            "text/csv",
            "text/plain",
            "application/csv",
            "application/octet-stream",
            "application/vnd.ms-excel",
        )
    ):
        raise UnsupportedCsv(detail=f"Send text/csv, not {content_type}.")
    return b"".join([chunk async for chunk in _bounded(request, limit)])


@dataclass
class UnsupportedCsv(DomainError):
    """The body is not a CSV upload."""

    slug: str = "unsupported-media-type"


class ProductController(Controller):
    path = "/products"
    tags = ["catalogue"]

    @get(
        "/",
        summary="Search products (name, SKU, barcode), by category and active",
        responses=problem_responses(401, 422),
    )
    async def list_products(
        self,
        principal: PrincipalDep,
        q: FromQuery[str | None] = None,
        category: FromQuery[str | None] = None,
        active: FromQuery[bool | None] = None,
        limit: FromQuery[PageLimit] = 50,
        cursor: FromQuery[str | None] = None,
    ) -> Page[ProductRead]:
        return await service.list_products(
            principal, q=q, category=category, active=active, limit=limit, cursor=cursor
        )

    @get("/{product_id:uuid}", summary="One product", responses=problem_responses(*AUTHED))
    async def get_product(self, principal: PrincipalDep, product_id: FromPath[UUID]) -> ProductRead:
        return await service.get_product(principal, product_id)

    @post("/", summary="Create a product (admins)", responses=problem_responses(*WRITE))
    async def create_product(
        self, principal: PrincipalDep, data: JSONBody[ProductCreate]
    ) -> ProductRead:
        return await service.create_product(principal, data)

    @patch(
        "/{product_id:uuid}",
        summary="Change a product (admins)",
        responses=problem_responses(*WRITE),
    )
    async def update_product(
        self, principal: PrincipalDep, product_id: FromPath[UUID], data: JSONBody[ProductUpdate]
    ) -> ProductRead:
        return await service.update_product(principal, product_id, data)

    @delete(
        "/{product_id:uuid}",
        summary="Delete a product (admins; soft delete)",
        responses=problem_responses(*AUTHED),
    )
    async def delete_product(self, principal: PrincipalDep, product_id: FromPath[UUID]) -> None:
        await service.delete_product(principal, product_id)


class CatalogueImportController(Controller):
    path = "/catalogue/import"
    tags = ["catalogue"]

    @post(
        "/products",
        summary="Import products from CSV (upsert by SKU; dry run possible)",
        description=_CSV_HELP + " Columns: sku, name; optional description, category, "
        "unit, barcode, tax_rate, active.",
        responses=problem_responses(*IMPORT),
        status_code=200,
        request_max_body_size=None,  # bounded while streamed, by ROUNDS_CSV_MAX_BYTES
    )
    async def import_products(
        self,
        principal: PrincipalDep,
        request: Request[Any, Any, Any],
        dry_run: FromQuery[bool] = False,
    ) -> ImportReport:
        return await imports.import_products(principal, await _csv_body(request), dry_run=dry_run)


class PriceListController(Controller):
    path = "/price-lists"
    tags = ["catalogue"]

    @get("/", summary="Price lists you may read", responses=problem_responses(401))
    async def list_price_lists(self, principal: PrincipalDep) -> list[PriceListRead]:
        return await service.list_price_lists(principal)

    @get(
        "/{price_list_id:uuid}",
        summary="One price list with its prices",
        responses=problem_responses(*AUTHED),
    )
    async def get_price_list(
        self, principal: PrincipalDep, price_list_id: FromPath[UUID]
    ) -> PriceListRead:
        return await service.get_price_list(principal, price_list_id)

    @post("/", summary="Create a price list (admins)", responses=problem_responses(*WRITE))
    async def create_price_list(
        self, principal: PrincipalDep, data: JSONBody[PriceListCreate]
    ) -> PriceListRead:
        return await service.create_price_list(principal, data)

    @patch(
        "/{price_list_id:uuid}",
        summary="Change a price list (admins)",
        responses=problem_responses(*WRITE),
    )
    async def update_price_list(
        self,
        principal: PrincipalDep,
        price_list_id: FromPath[UUID],
        data: JSONBody[PriceListUpdate],
    ) -> PriceListRead:
        return await service.update_price_list(principal, price_list_id, data)

    @delete(
        "/{price_list_id:uuid}",
        summary="Delete a price list (admins; soft delete)",
        responses=problem_responses(*AUTHED),
    )
    async def delete_price_list(
        self, principal: PrincipalDep, price_list_id: FromPath[UUID]
    ) -> None:
        await service.delete_price_list(principal, price_list_id)

    @put(
        "/{price_list_id:uuid}/items/{product_id:uuid}",
        summary="Set one product's price in a list (admins)",
        responses=problem_responses(*WRITE),
    )
    async def put_item(
        self,
        principal: PrincipalDep,
        price_list_id: FromPath[UUID],
        product_id: FromPath[UUID],
        data: JSONBody[PriceListItemPut],
    ) -> PriceListRead:
        return await service.put_price_list_item(principal, price_list_id, product_id, data)

    @delete(
        "/{price_list_id:uuid}/items/{product_id:uuid}",
        summary="Remove a product from a list (admins)",
        responses=problem_responses(*AUTHED),
    )
    async def delete_item(
        self, principal: PrincipalDep, price_list_id: FromPath[UUID], product_id: FromPath[UUID]
    ) -> None:
        await service.delete_price_list_item(principal, price_list_id, product_id)

    @post(
        "/{price_list_id:uuid}/import",
        summary="Import a list's prices from CSV (upsert by SKU; dry run possible)",
        description=_CSV_HELP + " Columns: sku, price; optional min_quantity, name.",
        responses=problem_responses(*IMPORT),
        status_code=200,
        request_max_body_size=None,  # bounded while streamed, by ROUNDS_CSV_MAX_BYTES
    )
    async def import_items(
        self,
        principal: PrincipalDep,
        price_list_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        dry_run: FromQuery[bool] = False,
    ) -> ImportReport:
        return await imports.import_price_list_items(
            principal, price_list_id, await _csv_body(request), dry_run=dry_run
        )
