"""Wire types shared across areas: pages, ids, coordinates and common constraints."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from msgspec import Meta

T = TypeVar("T")

Latitude = Annotated[float, Meta(ge=-90, le=90, description="WGS 84 latitude")]
Longitude = Annotated[float, Meta(ge=-180, le=180, description="WGS 84 longitude")]
Accuracy = Annotated[float, Meta(ge=0, le=100_000, description="metres, 68 % confidence")]
Name = Annotated[str, Meta(min_length=1, max_length=300)]
ShortText = Annotated[str, Meta(max_length=300)]
LongText = Annotated[str, Meta(max_length=20_000)]
Email = Annotated[str, Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
OptionalEmail = Annotated[str, Meta(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[str, Meta(max_length=40, pattern=r"^[0-9+()\-\s./]*$")]
Code = Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._\-/]+$")]
Locale = Annotated[str, Meta(pattern=r"^(en|ru|uk|et)$")]
PageLimit = Annotated[int, Meta(ge=1, le=500)]


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """A page of items with an opaque cursor for the next one (None at the end)."""

    items: list[T]
    next_cursor: str | None = None
    total: int | None = None
