"""Photo use cases: a resumable upload (create, append at an offset, complete) and reads.

The bytes so far live in `<data dir>/uploads/<id>.part`; the database's `offset` is the truth
(a crash after a write but before the offset moved is cut off by the next append). On the last
chunk the file is verified (size, SHA-256, a real image of the declared type), its thumbnail
made, both put into the store, and the Photo row, its change-log entry and a "photo" history
entry commit together. A failed check stores nothing and forgets the upload.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import anyio.to_thread
import structlog

from backend.customers.service import customer_row_in_scope
from backend.db import write_transaction
from backend.errors import (
    Conflict,
    FieldError,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    ValidationFailed,
)
from backend.history.recorder import record_event
from backend.photos import core
from backend.photos import repository as repo
from backend.photos.schemas import PhotoRead, UploadCreate, UploadRead
from backend.photos.storage import PhotoStore
from backend.photos.tables import Photo
from backend.principal import Principal, Role
from backend.scope import customer_condition
from backend.settings import PhotoSettings
from backend.visits import service as visits
from sync.changelog import record_change

log = structlog.get_logger(__name__)
MAX_CLOCK_AHEAD = timedelta(minutes=10)
PHOTO_ROLES = (Role.ADMIN, Role.MANAGER, Role.REP)


def _now() -> datetime:
    return datetime.now(UTC)


def readable_photo_condition(principal: Principal, *, refuse: bool = False) -> Any | None:
    """Who reads a photo (visibility.md): the visit's rule, of the customers one sees; none for
    the partner roles. REST and sync ask this: REST with `refuse`, so a partner role gets 403
    (a collection it may not read at all), sync a condition no row matches."""
    if principal.is_partner:
        if refuse:
            raise PermissionDenied(detail="Photos are for reps, managers and admins.")
        return Photo.id.is_null()
    return customer_condition(principal, via=Photo.customer)


def _taken_at(value: datetime | None, now: datetime) -> datetime:
    """When the photo was taken, by the device's clock; never in the future."""
    if value is None:
        return now
    value = value.astimezone(UTC)
    if value > now + MAX_CLOCK_AHEAD:
        raise ValidationFailed(
            detail="The device's clock is ahead of the server's.",
            errors=[FieldError("taken_at", "lies in the future", "future")],
        )
    return value


def _require_role(principal: Principal) -> None:
    if principal.role not in PHOTO_ROLES:
        raise PermissionDenied(detail="Photos are for reps, managers and admins.")


def part_path(data_dir: Path, upload_id: UUID) -> Path:
    return data_dir / "uploads" / f"{upload_id}.part"


async def _subject(principal: Principal, data: UploadCreate) -> tuple[UUID, UUID | None]:
    """The customer (and visit) the photo belongs to, if the principal may add one there."""
    if data.visit_id is not None:
        visit = await visits.get_visit(principal, data.visit_id)
        if principal.role == Role.REP and visit.rep_id != principal.user_id:
            raise PermissionDenied(
                detail="Photos go on your own visits.",
                errors=[FieldError("visit_id", "another rep's visit", "forbidden")],
            )
        if data.customer_id is not None and data.customer_id != visit.customer_id:
            raise ValidationFailed(
                detail="The visit is of another customer.",
                errors=[FieldError("customer_id", "not the visit's customer", "mismatch")],
            )
        return visit.customer_id, visit.id
    if data.customer_id is None:
        raise ValidationFailed(
            detail="Say which visit or customer the photo is of.",
            errors=[FieldError("visit_id", "give visit_id or customer_id", "required")],
        )
    try:
        await customer_row_in_scope(principal, data.customer_id)
    except NotFound:
        raise NotFound(
            detail="No such customer.",
            errors=[FieldError("customer_id", "unknown", "unknown")],
        ) from None
    return data.customer_id, None


def _same(row: dict[str, Any], data: UploadCreate, customer_id: UUID) -> bool:
    return (
        row["size"] == data.size
        and row["sha256"] == data.sha256
        and row["content_type"] == data.content_type
        and row["customer"] == customer_id
    )


async def create_upload(
    principal: Principal, data: UploadCreate, settings: PhotoSettings, data_dir: Path
) -> UploadRead:
    """Start an upload; the same id again (a retry) answers the upload as it stands."""
    _require_role(principal)
    if data.size > settings.max_bytes:
        raise PayloadTooLarge(
            detail=f"A photo may have at most {settings.max_bytes} bytes.",
            errors=[FieldError("size", f"more than {settings.max_bytes} bytes", "too_large")],
        )
    customer_id, visit_id = await _subject(principal, data)
    photo = await repo.get_photo_row(data.id)
    if photo is not None:
        if photo["author"] != principal.user_id or photo["sha256"] != data.sha256:
            raise Conflict(detail="This upload id is taken.", errors=[FieldError("id", "taken")])
        return UploadRead(
            id=data.id,
            offset=photo["size"],
            size=photo["size"],
            complete=True,
            photo=repo.to_photo_read(photo),
        )
    now = _now()
    async with write_transaction():
        row = await repo.get_upload_row(data.id)
        if row is not None:
            if row["author"] != principal.user_id or not _same(row, data, customer_id):
                raise Conflict(
                    detail="This upload id is taken.", errors=[FieldError("id", "taken")]
                )
            return UploadRead(id=data.id, offset=row["offset"], size=row["size"], complete=False)
        await repo.insert_upload(
            {
                "id": data.id,
                "author": principal.user_id,
                "customer": customer_id,
                "visit": visit_id,
                "size": data.size,
                "sha256": data.sha256,
                "content_type": data.content_type,
                "taken_at": _taken_at(data.taken_at, now),
                "offset": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    path = part_path(data_dir, data.id)
    await anyio.to_thread.run_sync(_new_part, path)
    log.info("photos.upload_started", upload=str(data.id), size=data.size)
    return UploadRead(id=data.id, offset=0, size=data.size, complete=False)


async def _own_upload(principal: Principal, upload_id: UUID) -> dict[str, Any] | None:
    """The principal's upload in progress; None when it already became a photo."""
    _require_role(principal)
    row = await repo.get_upload_row(upload_id)
    if row is not None:
        if row["author"] != principal.user_id:
            raise NotFound(detail="No such upload.")
        return row
    photo = await repo.get_photo_row(upload_id)
    if photo is None or photo["author"] != principal.user_id:
        raise NotFound(detail="No such upload.")
    return None


async def upload_state(principal: Principal, upload_id: UUID) -> UploadRead:
    row = await _own_upload(principal, upload_id)
    if row is None:
        photo = await repo.get_photo_row(upload_id)
        assert photo is not None
        return UploadRead(
            id=upload_id,
            offset=photo["size"],
            size=photo["size"],
            complete=True,
            photo=repo.to_photo_read(photo),
        )
    return UploadRead(id=upload_id, offset=row["offset"], size=row["size"], complete=False)


def _new_part(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def _drop_part(path: Path) -> None:
    path.unlink(missing_ok=True)


def _write_at(path: Path, offset: int, chunk: bytes) -> None:
    """Cut the file at `offset` (bytes beyond it were never acknowledged) and append."""
    with path.open("r+b" if path.exists() else "w+b") as f:
        f.truncate(offset)
        f.seek(offset)
        f.write(chunk)
        f.flush()
        os.fsync(f.fileno())


class OffsetMismatch(Conflict):
    """The client's offset is not the server's: it resumes from `offset`."""


async def append_chunk(
    principal: Principal,
    upload_id: UUID,
    offset: int,
    chunk: bytes,
    settings: PhotoSettings,
    store: PhotoStore,
    data_dir: Path,
) -> UploadRead:
    """Append a chunk at `offset`; the last chunk completes the photo."""
    row = await _own_upload(principal, upload_id)
    if row is None:
        return await upload_state(principal, upload_id)  # a retried last chunk
    if offset != row["offset"]:
        raise OffsetMismatch(
            detail=f"The upload is at byte {row['offset']}, not {offset}: resume from there.",
            errors=[FieldError("Upload-Offset", f"expected {row['offset']}", "offset")],
            extra={"offset": row["offset"]},
        )
    if not chunk:
        return UploadRead(id=upload_id, offset=offset, size=row["size"], complete=False)
    end = offset + len(chunk)
    if end > row["size"]:
        raise ValidationFailed(
            detail=f"The chunk ends at byte {end}, past the declared size {row['size']}.",
            errors=[FieldError("body", "longer than the declared size", "too_long")],
        )
    path = part_path(data_dir, upload_id)
    await anyio.to_thread.run_sync(_write_at, path, offset, chunk)
    if not await repo.advance_upload(upload_id, offset, end, _now()):
        fresh = await repo.get_upload_row(upload_id)
        now_at = fresh["offset"] if fresh else row["size"]
        raise OffsetMismatch(
            detail=f"Another request moved the upload to byte {now_at}: resume from there.",
            errors=[FieldError("Upload-Offset", f"expected {now_at}", "offset")],
            extra={"offset": now_at},
        )
    if end < row["size"]:
        return UploadRead(id=upload_id, offset=end, size=row["size"], complete=False)
    photo = await _complete(principal, {**row, "offset": end}, settings, store, path)
    return UploadRead(id=upload_id, offset=end, size=row["size"], complete=True, photo=photo)


async def _forget(upload_id: UUID, path: Path) -> None:
    await repo.delete_upload(upload_id)
    await anyio.to_thread.run_sync(_drop_part, path)


async def _complete(
    principal: Principal,
    row: dict[str, Any],
    settings: PhotoSettings,
    store: PhotoStore,
    path: Path,
) -> PhotoRead:
    upload_id: UUID = row["id"]
    digest = await anyio.to_thread.run_sync(core.sha256_of, path)
    if digest != row["sha256"]:
        await _forget(upload_id, path)
        raise ValidationFailed(
            detail="The bytes received do not match the declared SHA-256; nothing was stored. "
            "Upload the photo again.",
            errors=[FieldError("sha256", f"the bytes hash to {digest}", "mismatch")],
        )
    try:
        info = await anyio.to_thread.run_sync(core.inspect, path, row["content_type"])
        thumb = await anyio.to_thread.run_sync(core.thumbnail, path, settings.thumb_px)
    except core.NotAnImage as e:
        await _forget(upload_id, path)
        raise ValidationFailed(
            detail=f"This is not a photo ({e}); nothing was stored.",
            errors=[FieldError("content_type", str(e), "not_an_image")],
        ) from None
    key, thumb_key = core.storage_keys(str(upload_id), row["content_type"])
    await anyio.to_thread.run_sync(store.put_file, key, path, row["content_type"])
    await anyio.to_thread.run_sync(store.put_bytes, thumb_key, thumb, "image/jpeg")
    async with write_transaction():
        if await repo.get_photo_row(upload_id) is None:
            await repo.insert_photo(
                {
                    "id": upload_id,
                    "customer": row["customer"],
                    "visit": row["visit"],
                    "author": row["author"],
                    "taken_at": row["taken_at"],
                    "size": row["size"],
                    "sha256": digest,
                    "content_type": row["content_type"],
                    "width": info.width,
                    "height": info.height,
                    "storage_key": key,
                    "thumb_key": thumb_key,
                    "thumb_size": len(thumb),
                }
            )
            await record_change("photos", upload_id, "put", customer_id=row["customer"])
            await record_event(
                row["customer"],
                "photo",
                ref_id=upload_id,
                actor_id=row["author"],
                summary="Photo",
                data={
                    "photo_id": str(upload_id),
                    "visit_id": str(row["visit"]) if row["visit"] else None,
                    "thumb_url": f"/api/photos/{upload_id}/thumb",
                    "url": f"/api/photos/{upload_id}",
                    "width": info.width,
                    "height": info.height,
                },
                captured_at=row["taken_at"],
            )
        await repo.delete_upload(upload_id)
    await anyio.to_thread.run_sync(_drop_part, path)
    log.info("photos.stored", photo=str(upload_id), size=row["size"], thumb=len(thumb))
    photo = await repo.get_photo_row(upload_id)
    assert photo is not None
    return repo.to_photo_read(photo)


async def get_photo(principal: Principal, photo_id: UUID) -> dict[str, Any]:
    """The photo's row if the principal may read it (403 for the partner roles, 404 else)."""
    row = await repo.get_photo_row(photo_id, readable_photo_condition(principal, refuse=True))
    if row is None:
        raise NotFound(detail="No such photo.")
    return row


async def list_photos(
    principal: Principal, *, customer_id: UUID | None, visit_id: UUID | None, limit: int
) -> list[PhotoRead]:
    """Photos the principal may read, newest first (of one customer or visit if asked)."""
    readable = readable_photo_condition(principal, refuse=True)
    condition: Any = Photo.deleted_at.is_null()
    if readable is not None:
        condition = condition & readable
    if customer_id is not None:
        condition = condition & (Photo.customer == customer_id)
    if visit_id is not None:
        condition = condition & (Photo.visit == visit_id)
    return await repo.select_photos(condition, limit)


async def read_bytes(store: PhotoStore, key: str) -> bytes:
    return await anyio.to_thread.run_sync(store.read, key)
