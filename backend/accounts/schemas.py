"""Wire contract of logins, tokens and users."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from backend.schemas import Email, Locale, Name, Phone

Role = Literal["admin", "manager", "rep", "distributor", "customer"]
Password = Annotated[str, Meta(min_length=1, max_length=200)]
NewPassword = Annotated[str, Meta(min_length=8, max_length=200)]
TimeZone = Annotated[str, Meta(min_length=1, max_length=64)]


class LoginRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, Meta(min_length=3, max_length=254)]
    password: Password


class RefreshRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    refresh_token: Annotated[str, Meta(min_length=10, max_length=200)]


class UserRead(msgspec.Struct, kw_only=True):
    id: UUID
    email: str
    name: str
    role: Role
    region_id: UUID | None
    distributor_id: UUID | None
    customer_id: UUID | None
    territory_ids: list[UUID]
    locale: str
    time_zone: str
    phone: str
    active: bool
    version: int


class TokenPair(msgspec.Struct, kw_only=True):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"
    user: UserRead


class UserCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    password: NewPassword
    name: Name
    role: Role
    region_id: UUID | None = None
    distributor_id: UUID | None = None
    customer_id: UUID | None = None
    territory_ids: list[UUID] = msgspec.field(default_factory=list)
    locale: Locale = "en"
    time_zone: TimeZone = "Europe/Tallinn"
    phone: Phone = ""


class UserUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    password: NewPassword | UnsetType = UNSET
    role: Role | UnsetType = UNSET
    region_id: UUID | UnsetType | None = UNSET
    distributor_id: UUID | UnsetType | None = UNSET
    customer_id: UUID | UnsetType | None = UNSET
    territory_ids: list[UUID] | UnsetType = UNSET
    locale: Locale | UnsetType = UNSET
    time_zone: TimeZone | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class MeUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What users may change about themselves."""

    name: Name | UnsetType = UNSET
    locale: Locale | UnsetType = UNSET
    time_zone: TimeZone | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    current_password: Password | UnsetType = UNSET
    new_password: NewPassword | UnsetType = UNSET
