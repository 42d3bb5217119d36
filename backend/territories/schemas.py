"""Wire contract of regions, territories and distributors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from backend.schemas import Code, Name, OptionalEmail, Phone

TimeZone = Annotated[str, Meta(min_length=1, max_length=64)]
Currency = Annotated[str, Meta(pattern=r"^[A-Z]{3}$")]
GeoJSON = dict[str, Any]


class RegionRead(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    code: str
    time_zone: str
    currency: str
    version: int
    updated_at: datetime


class RegionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    name: Name
    code: Code
    time_zone: TimeZone = "Europe/Tallinn"
    currency: Currency = "EUR"


class RegionUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    code: Code | UnsetType = UNSET
    time_zone: TimeZone | UnsetType = UNSET
    currency: Currency | UnsetType = UNSET


class TerritoryRead(msgspec.Struct, kw_only=True):
    id: UUID
    region_id: UUID
    name: str
    code: str
    polygon: GeoJSON | None
    version: int
    updated_at: datetime


class TerritoryCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    region_id: UUID
    name: Name
    code: Code
    polygon: GeoJSON | None = None


class TerritoryUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    code: Code | UnsetType = UNSET
    polygon: GeoJSON | UnsetType | None = UNSET


class DistributorRead(msgspec.Struct, kw_only=True):
    id: UUID
    region_id: UUID
    name: str
    code: str
    phone: str
    email: str
    version: int
    updated_at: datetime


class DistributorCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    region_id: UUID
    name: Name
    code: Code
    phone: Phone = ""
    email: OptionalEmail = ""


class DistributorUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    code: Code | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    email: OptionalEmail | UnsetType = UNSET
