"""The company header of quotes over HTTP: read by everyone, edited by admins."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, put
from litestar.datastructures import UploadFile
from litestar.params import JSONBody
from msgspec import UNSET, Meta, UnsetType

from backend.deps import PrincipalDep, SettingsDep
from backend.errors import FieldError, NotFound, PayloadTooLarge, PermissionDenied, ValidationFailed
from backend.problems import AUTHED, WRITE, problem_responses
from backend.quoting import company

Line = Annotated[str, Meta(max_length=200)]


class CompanyRead(msgspec.Struct, kw_only=True):
    name: str
    address: str
    vat_no: str
    reg_no: str
    phone: str
    email: str
    has_logo: bool


class CompanyUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Line | UnsetType = UNSET
    address: Annotated[str, Meta(max_length=500)] | UnsetType = UNSET
    vat_no: Line | UnsetType = UNSET
    reg_no: Line | UnsetType = UNSET
    phone: Line | UnsetType = UNSET
    email: Line | UnsetType = UNSET


def _read(settings: Any) -> CompanyRead:
    raw = company.read_company_file(settings.data_dir)
    return CompanyRead(
        **{k: str(raw.get(k) or "") for k in ("name", "address", "vat_no", "reg_no")},
        phone=str(raw.get("phone") or ""),
        email=str(raw.get("email") or ""),
        has_logo=company.logo_bytes(settings.data_dir) is not None,
    )


def _admin(principal: Any) -> None:
    if not principal.is_admin:
        raise PermissionDenied(detail="Only admins change the company header.")


async def _image_body(request: Request[Any, Any, Any]) -> bytes:
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        form = await request.form()
        for value in form.values():
            if isinstance(value, UploadFile):
                return await value.read()
        raise ValidationFailed(
            detail="The upload has no file.",
            errors=[FieldError("logo", "attach the image", "required")],
        )
    return await request.body()


class CompanyController(Controller):
    path = "/company"
    tags = ["quotes"]

    @get("/", summary="The company header printed on quotes", responses=problem_responses(401))
    async def get_company(self, principal: PrincipalDep, settings: SettingsDep) -> CompanyRead:
        return _read(settings)

    @patch(
        "/",
        summary="Change the quote header (admins); new quotes print it",
        responses=problem_responses(*WRITE),
    )
    async def update_company(
        self, principal: PrincipalDep, settings: SettingsDep, data: JSONBody[CompanyUpdate]
    ) -> CompanyRead:
        _admin(principal)
        fields = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not UNSET}
        company.save_company(settings.data_dir, fields)
        return _read(settings)

    @put(
        "/logo",
        summary="Upload the logo (PNG, JPEG, WebP, GIF...; converted to JPEG for the PDF)",
        responses=problem_responses(*WRITE, 415),
        request_max_body_size=company.MAX_LOGO_BYTES + 64 * 1024,
    )
    async def put_logo(
        self, principal: PrincipalDep, settings: SettingsDep, request: Request[Any, Any, Any]
    ) -> CompanyRead:
        _admin(principal)
        body = await _image_body(request)
        if len(body) > company.MAX_LOGO_BYTES:
            raise PayloadTooLarge(
                detail="The logo is larger than 4 MB.",
                errors=[FieldError("logo", "larger than 4 MB", "too_large")],
            )
        if not body:
            raise ValidationFailed(
                detail="The upload is empty.", errors=[FieldError("logo", "empty", "required")]
            )
        company.save_logo(settings.data_dir, body)
        return _read(settings)

    @delete("/logo", summary="Print quotes without a logo", responses=problem_responses(*AUTHED))
    async def delete_logo(self, principal: PrincipalDep, settings: SettingsDep) -> None:
        _admin(principal)
        company.remove_logo(settings.data_dir)

    @get(
        "/logo",
        summary="The logo as the PDF prints it (JPEG)",
        responses=problem_responses(*AUTHED),
        media_type="image/jpeg",
    )
    async def get_logo(self, principal: PrincipalDep, settings: SettingsDep) -> Response[bytes]:
        data = company.logo_bytes(settings.data_dir)
        if data is None:
            raise NotFound(detail="No logo.")
        return Response(
            content=data, media_type="image/jpeg", headers={"Cache-Control": "no-store"}
        )
