"""Wire contract of logins, tokens and users."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from backend.schemas import Email, Latitude, Locale, Longitude, Name, Phone

Role = Literal["admin", "manager", "rep", "distributor", "customer"]
Password = Annotated[str, Meta(min_length=1, max_length=200)]
# OWASP ASVS V2.1: at least 12 characters, at least 64 allowed (here 128); the rest of the
# rules (blank, common, runs) are checked by backend/accounts/password_policy.py.
NewPassword = Annotated[
    str,
    Meta(
        min_length=12,
        max_length=128,
        description="12 to 128 characters, not blank, not a common or guessable password",
    ),
]
TimeZone = Annotated[str, Meta(min_length=1, max_length=64)]
ClockTime = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["22:00"])]
# The reminder kinds the notifications worker sends (notifications/core.py TTL_SECONDS).
ReminderKind = Literal[
    "visit_soon",
    "day_plan",
    "follow_up",
    "overdue_customers",
    "order_status",
    "missed_visits",
    "offer",
]
LeadMinutes = Annotated[int, Meta(ge=1, le=180)]


class LoginRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, Meta(min_length=3, max_length=254)]
    password: Password


class RefreshRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    refresh_token: Annotated[str, Meta(min_length=10, max_length=200)]


class HomeBase(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Where a rep's planned days start and end (WGS 84 degrees)."""

    lat: Latitude
    lng: Longitude


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
    # Route planning: home base (None: the plan's customers' centre) and working hours, local
    # to the user's time zone.
    home: HomeBase | None = None
    work_start: str = "08:00"
    work_end: str = "17:00"


class TokenPair(msgspec.Struct, kw_only=True):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"
    user: UserRead
    # Logged in with a temporary password: until `PATCH /api/me` sets a new one (and the
    # tokens are refreshed), every other call answers 403 `password_change_required`.
    must_change_password: bool = False


class QuietHours(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A daily window in the user's own time zone without pushes; may cross midnight."""

    start: ClockTime
    end: ClockTime


class MeRead(UserRead, kw_only=True):
    """The logged-in user with their personal notification settings."""

    quiet_hours: QuietHours | None
    reminders: dict[str, bool]
    reminder_lead_minutes: int | None
    must_change_password: bool = False
    # A customer account that asked for offers (POST /api/offers/opt-in); false otherwise.
    offers_opt_in: bool = False


class UserCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new account; without a password it cannot log in until given an invitation link
    or a temporary password (`POST /api/users/{id}/credentials`)."""

    email: Email
    password: NewPassword | None = None
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
    home: HomeBase | UnsetType | None = UNSET  # null clears it
    work_start: ClockTime | UnsetType = UNSET
    work_end: ClockTime | UnsetType = UNSET


class MeUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What users may change about themselves."""

    name: Name | UnsetType = UNSET
    locale: Locale | UnsetType = UNSET
    time_zone: TimeZone | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    current_password: Password | UnsetType = UNSET
    new_password: NewPassword | UnsetType = UNSET
    quiet_hours: QuietHours | UnsetType | None = UNSET
    reminders: dict[ReminderKind, bool] | UnsetType = UNSET
    reminder_lead_minutes: LeadMinutes | UnsetType | None = UNSET


class CredentialRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """How an account gets in: a one-time invitation link, or a temporary password."""

    kind: Literal["invite_link", "temporary_password"]


class CredentialIssued(msgspec.Struct, kw_only=True):
    """Shown once to the admin, never stored in clear."""

    kind: str
    link: str | None = None
    temporary_password: str | None = None
    expires_at: datetime | None = None


class InviteAccept(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    token: Annotated[str, Meta(min_length=20, max_length=200)]
    password: NewPassword
