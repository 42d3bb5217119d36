"""Wire contract of geocoding."""

from __future__ import annotations

from uuid import UUID

import msgspec

from backend.schemas import Latitude, Longitude


class GeocodeJobCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Which customers to geocode: the listed ones, or every one in scope without a pin."""

    customer_ids: list[UUID] | None = None
    only_missing: bool = True


class GeocodeJobRead(msgspec.Struct, kw_only=True):
    id: str
    status: str
    total: int
    done: int
    failed: int
    skipped: int
    percent: int
    error: str


class GeocodeOutcome(msgspec.Struct, kw_only=True):
    customer_id: UUID
    quality: str


class ReverseRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    lat: Latitude
    lng: Longitude


class ReverseResult(msgspec.Struct, kw_only=True):
    address: str | None
