"""The photos API's wire contract."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

ContentType = Literal["image/jpeg", "image/png", "image/webp"]
Sha256 = Annotated[str, Meta(pattern="^[0-9a-f]{64}$")]


class UploadCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Start (or, with the same id, find again) the upload of one photo."""

    id: UUID
    customer_id: UUID | None = None
    visit_id: UUID | None = None
    size: Annotated[int, Meta(ge=1)]
    sha256: Sha256
    content_type: ContentType
    taken_at: datetime | None = None


class PhotoRead(msgspec.Struct, kw_only=True):
    id: UUID
    customer_id: UUID
    visit_id: UUID | None
    author_id: UUID
    author_name: str | None = None
    taken_at: datetime | None
    size: int
    sha256: str
    content_type: str
    width: int
    height: int
    thumb_size: int
    url: str
    thumb_url: str
    version: int
    created_at: datetime


class UploadRead(msgspec.Struct, kw_only=True):
    id: UUID
    offset: int
    size: int
    complete: bool
    photo: PhotoRead | None = None
