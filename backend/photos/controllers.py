"""Photos over HTTP: a tus-like resumable upload, and the photo and thumbnail bytes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, head, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from backend.deps import PrincipalDep, SettingsDep
from backend.edge.params import PageLimit
from backend.errors import FieldError, PayloadTooLarge, ValidationFailed
from backend.photos import service
from backend.photos.schemas import PhotoRead, UploadCreate, UploadRead
from backend.photos.storage import store_for
from backend.problems import AUTHED, WRITE, problem_responses
from backend.settings import Settings

CHUNK_TYPE = "application/offset+octet-stream"
# Photo bytes never change under an id: a device keeps them as long as it likes.
IMMUTABLE = "private, max-age=31536000, immutable"


def _offset_headers(state: UploadRead) -> dict[str, str]:
    return {
        "Upload-Offset": str(state.offset),
        "Upload-Length": str(state.size),
        "Cache-Control": "no-store",
    }


def _offset_of(request: Request[Any, Any, Any]) -> int:
    raw = request.headers.get("upload-offset")
    if raw is None or not raw.isdigit():
        raise ValidationFailed(
            detail="Send the byte offset this chunk starts at in the Upload-Offset header.",
            errors=[FieldError("Upload-Offset", "a whole number of bytes is required", "required")],
        )
    return int(raw)


class UploadController(Controller):
    path = "/uploads"
    tags = ["photos"]

    @post(
        "/",
        summary="Start a photo upload (the same id again answers where it stands)",
        responses=problem_responses(*WRITE, 413),
    )
    async def create_upload(
        self, principal: PrincipalDep, settings: SettingsDep, data: JSONBody[UploadCreate]
    ) -> Response[UploadRead]:
        state = await service.create_upload(principal, data, settings.photos, settings.data_dir)
        return Response(state, status_code=201, headers=_offset_headers(state))

    @head(
        "/{upload_id:uuid}",
        summary="How many bytes of the upload the server holds (Upload-Offset)",
        responses=problem_responses(*AUTHED),
    )
    async def upload_offset(
        self, principal: PrincipalDep, upload_id: FromPath[UUID]
    ) -> Response[None]:
        state = await service.upload_state(principal, upload_id)
        return Response(None, headers=_offset_headers(state))

    @get(
        "/{upload_id:uuid}",
        summary="The upload as it stands (and its photo once complete)",
        responses=problem_responses(*AUTHED),
    )
    async def get_upload(
        self, principal: PrincipalDep, upload_id: FromPath[UUID]
    ) -> Response[UploadRead]:
        state = await service.upload_state(principal, upload_id)
        return Response(state, headers=_offset_headers(state))

    @patch(
        "/{upload_id:uuid}",
        summary="Append a chunk at Upload-Offset (409 with the server's offset when it differs)",
        responses=problem_responses(*WRITE, 413, 415),
    )
    async def append(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        settings: SettingsDep,
        upload_id: FromPath[UUID],
    ) -> Response[UploadRead]:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != CHUNK_TYPE:
            raise ValidationFailed(
                detail=f"Send chunks as {CHUNK_TYPE}.",
                errors=[FieldError("Content-Type", f"must be {CHUNK_TYPE}", "media_type")],
            )
        offset = _offset_of(request)
        try:
            chunk = await request.body()
        except Exception as e:  # Litestar refuses a body over the app's limit
            if getattr(e, "status_code", None) == 413:
                raise PayloadTooLarge(
                    detail=f"A chunk may have at most {settings.max_body_bytes} bytes.",
                    errors=[FieldError("body", "chunk too large", "too_large")],
                ) from None
            raise
        ps = settings.photos
        state = await service.append_chunk(
            principal,
            upload_id,
            offset,
            chunk,
            ps,
            store_for(ps, settings.data_dir),
            settings.data_dir,
        )
        return Response(state, headers=_offset_headers(state))


def _bytes_response(
    request: Request[Any, Any, Any], data: bytes | None, etag: str, media: str
) -> Response[Any]:
    headers = {"Cache-Control": IMMUTABLE, "ETag": etag}
    if data is None:
        return Response(b"", status_code=304, headers=headers, media_type=media)
    return Response(data, media_type=media, headers=headers)


class PhotoController(Controller):
    path = "/photos"
    tags = ["photos"]

    @get(
        "/",
        summary="Photos you may see, newest first (of one customer or visit)",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def list_photos(
        self,
        principal: PrincipalDep,
        customer_id: FromQuery[UUID | None] = None,
        visit_id: FromQuery[UUID | None] = None,
        limit: FromQuery[PageLimit] = 100,
    ) -> list[PhotoRead]:
        return await service.list_photos(
            principal, customer_id=customer_id, visit_id=visit_id, limit=limit
        )

    async def _serve(
        self,
        request: Request[Any, Any, Any],
        principal: Any,
        settings: Settings,
        photo_id: UUID,
        *,
        thumb: bool,
    ) -> Response[Any]:
        row = await service.get_photo(principal, photo_id)
        etag = f'"{row["sha256"][:32]}{"-t" if thumb else ""}"'
        media = "image/jpeg" if thumb else row["content_type"]
        if request.headers.get("if-none-match") == etag:
            return _bytes_response(request, None, etag, media)
        key = row["thumb_key"] if thumb else row["storage_key"]
        data = await service.read_bytes(store_for(settings.photos, settings.data_dir), key)
        return _bytes_response(request, data, etag, media)

    @get(
        "/{photo_id:uuid}",
        summary="The photo's bytes (cached for good: they never change)",
        responses=problem_responses(*AUTHED),
        media_type="image/jpeg",
    )
    async def photo(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        settings: SettingsDep,
        photo_id: FromPath[UUID],
    ) -> Response[Any]:
        return await self._serve(request, principal, settings, photo_id, thumb=False)

    @get(
        "/{photo_id:uuid}/thumb",
        summary="The photo's thumbnail, a small JPEG",
        responses=problem_responses(*AUTHED),
        media_type="image/jpeg",
    )
    async def thumb(
        self,
        request: Request[Any, Any, Any],
        principal: PrincipalDep,
        settings: SettingsDep,
        photo_id: FromPath[UUID],
    ) -> Response[Any]:
        return await self._serve(request, principal, settings, photo_id, thumb=True)
