"""Wire contract of customers and contacts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from backend.schemas import Code, Latitude, Longitude, Name, OptionalEmail, Phone, ShortText

Country = Annotated[str, Meta(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2")]
Frequency = Annotated[int, Meta(ge=0, le=365, description="days between visits, 0: none")]
Duration = Annotated[int, Meta(ge=1, le=480, description="minutes")]
Segment = Annotated[str, Meta(max_length=40)]
Tier = Annotated[str, Meta(max_length=10)]
TimeZone = Annotated[str, Meta(min_length=1, max_length=64)]
PostalCode = Annotated[str, Meta(max_length=20)]
City = Annotated[str, Meta(max_length=120)]
Notes = Annotated[str, Meta(max_length=20_000)]
ContactLocale = Annotated[str, Meta(pattern=r"^(|en|ru|uk|et)$")]
Title = Annotated[str, Meta(max_length=120)]
ContactName = Annotated[str, Meta(min_length=1, max_length=200)]
GeocodeQuality = Literal["rooftop", "street", "locality", "failed", "manual", "pending", "none"]
OpeningHours = dict[str, Any]
CustomerSort = Literal[
    "name", "-name", "code", "-code", "updated_at", "-updated_at", "created_at", "-created_at"
]


class CustomerRead(msgspec.Struct, kw_only=True):
    id: UUID
    code: str
    name: str
    legal_name: str
    street: str
    city: str
    postal_code: str
    country: str
    lat: float | None
    lng: float | None
    geocode_quality: str
    region_id: UUID | None
    territory_id: UUID | None
    distributor_id: UUID | None
    price_list_id: UUID | None
    segment: str
    tier: str
    phone: str
    email: str
    notes: str
    opening_hours: OpeningHours
    time_zone: str
    visit_frequency_days: int
    visit_duration_min: int
    credit_limit: Decimal
    last_visit_at: datetime | None
    next_visit_due_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class CustomerListItem(msgspec.Struct, kw_only=True):
    """What a list or map shows of a customer; open one for everything else."""

    id: UUID
    code: str
    name: str
    street: str
    city: str
    postal_code: str
    lat: float | None
    lng: float | None
    region_id: UUID | None
    territory_id: UUID | None
    distributor_id: UUID | None
    segment: str
    tier: str
    phone: str
    visit_frequency_days: int
    last_visit_at: datetime | None
    next_visit_due_at: datetime | None
    version: int
    updated_at: datetime
    distance_m: float | None = None


class CustomerCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    code: Code
    name: Name
    legal_name: ShortText = ""
    street: ShortText = ""
    city: City = ""
    postal_code: PostalCode = ""
    country: Country = "EE"
    lat: Latitude | None = None
    lng: Longitude | None = None
    region_id: UUID | None = None
    territory_id: UUID | None = None
    distributor_id: UUID | None = None
    price_list_id: UUID | None = None
    segment: Segment = ""
    tier: Tier = ""
    phone: Phone = ""
    email: OptionalEmail = ""
    notes: Notes = ""
    opening_hours: OpeningHours = msgspec.field(default_factory=dict)
    time_zone: TimeZone = "Europe/Tallinn"
    visit_frequency_days: Frequency = 0
    visit_duration_min: Duration = 30
    credit_limit: Decimal = Decimal("0")


class CustomerUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change; base_version (optional) refuses the change if someone else was first."""

    base_version: int | UnsetType = UNSET
    code: Code | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    legal_name: ShortText | UnsetType = UNSET
    street: ShortText | UnsetType = UNSET
    city: City | UnsetType = UNSET
    postal_code: PostalCode | UnsetType = UNSET
    country: Country | UnsetType = UNSET
    lat: Latitude | UnsetType | None = UNSET
    lng: Longitude | UnsetType | None = UNSET
    territory_id: UUID | UnsetType | None = UNSET
    distributor_id: UUID | UnsetType | None = UNSET
    price_list_id: UUID | UnsetType | None = UNSET
    segment: Segment | UnsetType = UNSET
    tier: Tier | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    email: OptionalEmail | UnsetType = UNSET
    notes: Notes | UnsetType = UNSET
    opening_hours: OpeningHours | UnsetType = UNSET
    time_zone: TimeZone | UnsetType = UNSET
    visit_frequency_days: Frequency | UnsetType = UNSET
    visit_duration_min: Duration | UnsetType = UNSET
    credit_limit: Decimal | UnsetType = UNSET


class CustomerQuery(msgspec.Struct, kw_only=True):
    """How to filter, sort and page a customer list (the service's input)."""

    q: str | None = None
    territory_id: UUID | None = None
    segment: str | None = None
    distributor_id: UUID | None = None
    due: bool = False
    overdue: bool = False
    lat: float | None = None
    lng: float | None = None
    radius_m: float | None = None
    sort: CustomerSort = "name"
    cursor: str | None = None
    offset: int | None = None
    limit: int = 50


class ContactRead(msgspec.Struct, kw_only=True):
    id: UUID
    customer_id: UUID
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool
    locale: str
    offers_opt_in: bool
    version: int
    updated_at: datetime


class ContactCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    name: ContactName
    title: Title = ""
    phone: Phone = ""
    email: OptionalEmail = ""
    is_primary: bool = False
    locale: ContactLocale = ""
    offers_opt_in: bool = False


class ContactUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    base_version: int | UnsetType = UNSET
    name: ContactName | UnsetType = UNSET
    title: Title | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    email: OptionalEmail | UnsetType = UNSET
    is_primary: bool | UnsetType = UNSET
    locale: ContactLocale | UnsetType = UNSET
    offers_opt_in: bool | UnsetType = UNSET
