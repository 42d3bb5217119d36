"""Wire contract of regions, territories and distributors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
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
    # GeoJSON Polygon or MultiPolygon; None: customers are assigned by hand.
    geometry: GeoJSON | None
    # The same value under its first name, for clients of the first round.
    polygon: GeoJSON | None
    version: int
    updated_at: datetime


class TerritoryCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    region_id: UUID
    name: Name
    code: Code
    geometry: GeoJSON | None = None
    polygon: GeoJSON | None = None  # the first round's name of `geometry`


class TerritoryUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    code: Code | UnsetType = UNSET
    geometry: GeoJSON | UnsetType | None = UNSET
    polygon: GeoJSON | UnsetType | None = UNSET  # the first round's name of `geometry`


class TerritoryProperties(msgspec.Struct, kw_only=True):
    """What the team map needs of a territory besides its shape."""

    id: UUID
    code: str
    name: str
    region_id: UUID
    rep_ids: list[UUID]
    colour: str


class TerritoryFeature(msgspec.Struct, kw_only=True):
    type: Literal["Feature"] = "Feature"
    id: UUID
    geometry: GeoJSON | None
    properties: TerritoryProperties


class TerritoryFeatureCollection(msgspec.Struct, kw_only=True):
    """`GET /api/territories?format=geojson`: every visible territory as a GeoJSON feature."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[TerritoryFeature]


class ImportFeature(msgspec.Struct, kw_only=True):
    """A feature of an imported file: matched to a territory by `properties.code`."""

    type: Literal["Feature"]
    geometry: GeoJSON | None = None
    properties: dict[str, Any] = msgspec.field(default_factory=dict)
    id: str | int | None = None
    bbox: list[float] | None = None


class TerritoryImport(msgspec.Struct, kw_only=True):
    """A GeoJSON FeatureCollection of territory shapes (other GeoJSON members are ignored)."""

    type: Literal["FeatureCollection"]
    features: Annotated[list[ImportFeature], Meta(max_length=500)]
    bbox: list[float] | None = None
    name: str | None = None
    crs: dict[str, Any] | None = None


class TerritoryImportResult(msgspec.Struct, kw_only=True):
    """Which territories an import changed (codes); nothing changes on a dry run."""

    dry_run: bool
    updated: list[str]
    unchanged: list[str]


class DistributorRead(msgspec.Struct, kw_only=True):
    id: UUID
    region_id: UUID
    name: str
    code: str
    phone: str
    email: str
    # The list its orders are priced with; None: it cannot take orders yet.
    price_list_id: UUID | None = None
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
    price_list_id: UUID | UnsetType | None = UNSET
