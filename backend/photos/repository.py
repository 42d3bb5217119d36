"""Queries on photos and uploads; rows become PhotoRead here."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from backend.photos.schemas import PhotoRead
from backend.photos.tables import Photo, PhotoUpload

PHOTO_COLUMNS = (
    Photo.id,
    Photo.customer,
    Photo.visit,
    Photo.author,
    Photo.author.name.as_alias("author_name"),
    Photo.taken_at,
    Photo.size,
    Photo.sha256,
    Photo.content_type,
    Photo.width,
    Photo.height,
    Photo.thumb_size,
    Photo.storage_key,
    Photo.thumb_key,
    Photo.version,
    Photo.created_at,
)


def to_photo_read(row: dict[str, Any]) -> PhotoRead:
    pid = row["id"]
    return PhotoRead(
        id=pid,
        customer_id=row["customer"],
        visit_id=row["visit"],
        author_id=row["author"],
        author_name=row.get("author_name"),
        taken_at=row["taken_at"],
        size=row["size"],
        sha256=row["sha256"],
        content_type=row["content_type"],
        width=row["width"],
        height=row["height"],
        thumb_size=row["thumb_size"],
        url=f"/api/photos/{pid}",
        thumb_url=f"/api/photos/{pid}/thumb",
        version=row["version"],
        created_at=row["created_at"],
    )


async def get_photo_row(photo_id: UUID, readable: Any | None = None) -> dict[str, Any] | None:
    condition = (Photo.id == photo_id) & Photo.deleted_at.is_null()
    if readable is not None:
        condition = condition & readable
    return await Photo.select(*PHOTO_COLUMNS).where(condition).first()  # type: ignore[no-any-return]


async def select_photos(condition: Any, limit: int) -> list[PhotoRead]:
    """Photos matching `condition`, newest first."""
    rows = await (
        Photo.select(*PHOTO_COLUMNS)
        .where(condition)
        .order_by(Photo.created_at, ascending=False)
        .order_by(Photo.id)
        .limit(limit)
    )
    return [to_photo_read(r) for r in rows]


async def author_names(ids: list[UUID]) -> dict[UUID, str]:
    if not ids:
        return {}
    rows = await Photo.select(Photo.id, Photo.author.name.as_alias("n")).where(Photo.id.is_in(ids))
    return {r["id"]: r["n"] for r in rows}


async def get_upload_row(upload_id: UUID) -> dict[str, Any] | None:
    return await PhotoUpload.select().where(PhotoUpload.id == upload_id).first()  # type: ignore[no-any-return]


async def insert_upload(values: dict[str, Any]) -> None:
    await PhotoUpload.insert(PhotoUpload(**values))


async def advance_upload(upload_id: UUID, old: int, new: int, now: datetime) -> bool:
    """Move the offset from `old` to `new`; False when another request moved it first."""
    rows = await (
        PhotoUpload.update({PhotoUpload.offset: new, PhotoUpload.updated_at: now})
        .where((PhotoUpload.id == upload_id) & (PhotoUpload.offset == old))
        .returning(PhotoUpload.id)
    )
    return bool(rows)


async def delete_upload(upload_id: UUID) -> None:
    await PhotoUpload.delete().where(PhotoUpload.id == upload_id)


async def insert_photo(values: dict[str, Any]) -> None:
    await Photo.insert(Photo(**values))
