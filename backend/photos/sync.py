"""The `photos` sync collection: photo metadata reaches devices; the bytes come over REST.

Read-only for devices: a photo arrives through the resumable upload (backend.photos.service).
"""

from __future__ import annotations

from typing import Any

from backend.photos import repository as repo
from backend.photos import service
from backend.photos.tables import Photo
from backend.principal import Principal
from sync.collections import Collection


async def _condition(principal: Principal) -> Any | None:
    return service.readable_photo_condition(principal)


async def _wire(rows: list[dict[str, Any]], principal: Principal) -> list[Any]:
    names = await repo.author_names([r["id"] for r in rows])
    return [repo.to_photo_read({**r, "author_name": names.get(r["id"])}) for r in rows]


PHOTOS = Collection("photos", Photo, _condition, _wire, via=Photo.customer)
