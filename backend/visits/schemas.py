"""The wire contract of visits: planning, check-in, check-out, skipping and cancelling."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from backend.schemas import Accuracy, Latitude, Longitude, LongText, ShortText

VisitStatus = Literal["planned", "checked_in", "done", "skipped", "cancelled"]
Outcome = Literal["ordered", "no_order", "closed", "not_available", "other"]
Verification = Literal["", "verified", "too_far", "no_fix"]
Duration = Annotated[int, Meta(ge=1, le=24 * 60, description="minutes")]
Reason = Annotated[str, Meta(min_length=1, max_length=500)]
# Device clocks must say which zone they mean; naive times are refused.
AwareTime = Annotated[datetime, Meta(tz=True)]
# Why a check-in is away from the customer's pin (the app asks when it is too far).
FarReason = Literal["", "pin_wrong", "met_elsewhere", "gps_poor", "other"]


class VisitCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Plan a visit; `id` may come from the device, `rep_id` defaults to the caller."""

    id: UUID | None = None
    customer_id: UUID
    rep_id: UUID | None = None
    planned_start: AwareTime | None = None
    planned_duration_min: Duration | None = None
    notes: LongText = ""


class VisitUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Reschedule or reassign a visit that is still planned."""

    rep_id: UUID | msgspec.UnsetType = msgspec.UNSET
    planned_start: AwareTime | msgspec.UnsetType = msgspec.UNSET
    planned_duration_min: Duration | msgspec.UnsetType = msgspec.UNSET
    notes: LongText | msgspec.UnsetType = msgspec.UNSET


class CheckIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Arriving at the customer: the device's position (if it has one) and clock."""

    lat: Latitude | None = None
    lng: Longitude | None = None
    accuracy_m: Accuracy | None = None
    captured_at: AwareTime | None = None
    # Too far from the pin: why (a code) and, for "other" at least, in the rep's words.
    reason: FarReason = ""
    reason_note: ShortText = ""


class CheckOut(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Leaving the customer: position, outcome, notes and what to do next."""

    outcome: Outcome
    lat: Latitude | None = None
    lng: Longitude | None = None
    accuracy_m: Accuracy | None = None
    # Absent: the visit's notes (the planner's, say) stay as they are.
    notes: LongText | msgspec.UnsetType = msgspec.UNSET
    next_action: LongText = ""
    next_action_due: AwareTime | None = None
    captured_at: AwareTime | None = None


class VisitClose(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Skipping or cancelling a planned visit, with the reason."""

    reason: Reason
    captured_at: AwareTime | None = None


class VisitRead(msgspec.Struct, kw_only=True):
    id: UUID
    customer_id: UUID
    rep_id: UUID
    status: VisitStatus
    planned_start: datetime | None
    planned_duration_min: int
    check_in_at: datetime | None
    check_in_lat: float | None
    check_in_lng: float | None
    check_in_accuracy_m: float | None
    check_in_verification: Verification
    check_in_distance_m: float | None
    check_in_reason: str
    check_in_reason_note: str
    check_out_at: datetime | None
    check_out_lat: float | None
    check_out_lng: float | None
    check_out_accuracy_m: float | None
    outcome: ShortText
    notes: str
    next_action: str
    next_action_due: datetime | None
    captured_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
