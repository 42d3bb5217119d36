"""Wire contract of push subscriptions, the inbox and offers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

Text200 = Annotated[str, Meta(min_length=1, max_length=200)]


class SubscriptionKeys(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """`PushSubscription.toJSON().keys` from the browser."""

    p256dh: Annotated[str, Meta(min_length=1, max_length=200)]
    auth: Annotated[str, Meta(min_length=1, max_length=64)]


class SubscriptionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A Web Push subscription (endpoint + keys) or an FCM token (`kind="fcm"`, `token`)."""

    kind: Literal["webpush", "fcm"] = "webpush"
    endpoint: Annotated[str, Meta(min_length=1, max_length=1000)] | None = None
    keys: SubscriptionKeys | None = None
    token: Annotated[str, Meta(min_length=1, max_length=1000)] | None = None
    expirationTime: int | float | None = None
    device: Annotated[str, Meta(max_length=200)] = ""


class SubscriptionRead(msgspec.Struct, kw_only=True):
    id: UUID
    kind: str
    endpoint: str
    device: str
    created_at: datetime
    updated_at: datetime


class Unsubscribe(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Remove the subscription with this endpoint (or FCM token)."""

    endpoint: Annotated[str, Meta(min_length=1, max_length=1000)]


class VapidPublicKey(msgspec.Struct, kw_only=True):
    public_key: str


class NotificationRead(msgspec.Struct, kw_only=True):
    """An inbox entry (the `notifications` sync collection has the same shape)."""

    id: UUID
    version: int
    kind: str
    title: str
    body: str
    url: str
    data: dict[str, object]
    due_at: datetime
    customer_id: UUID | None
    offer_id: UUID | None
    created_at: datetime
    updated_at: datetime
    read_at: datetime | None
    displayed_at: datetime | None
    clicked_at: datetime | None


class OfferTarget(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Who gets an offer: every condition given must hold (none given: the whole region)."""

    territory_ids: list[UUID] = msgspec.field(default_factory=list)
    segments: list[Annotated[str, Meta(max_length=40)]] = msgspec.field(default_factory=list)
    bought_product_id: UUID | None = None  # bought this within `days`…
    never_product_id: UUID | None = None  # …but never this
    days: Annotated[int, Meta(ge=1, le=3650)] = 90


class OfferCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    title: Annotated[str, Meta(min_length=1, max_length=120)]
    text: Annotated[str, Meta(max_length=1000)] = ""
    product_id: UUID | None = None
    price: Decimal | None = None  # checked by the service: >= 0 (msgspec cannot bound Decimal)
    discount_pct: Decimal | None = None  # 0..100
    currency: Annotated[str, Meta(pattern="^[A-Z]{3}$")] = "EUR"
    image_url: Annotated[str, Meta(max_length=500, pattern="^(https://|/)")] | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    target: OfferTarget = msgspec.field(default_factory=OfferTarget)


class OfferSchedule(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """When to send (None: now)."""

    send_at: datetime | None = None


class OfferRead(msgspec.Struct, kw_only=True):
    id: UUID
    version: int
    title: str
    text: str
    product_id: UUID | None
    price: Decimal | None
    discount_pct: Decimal | None
    currency: str
    image_url: str
    valid_from: datetime | None
    valid_until: datetime | None
    target: OfferTarget
    status: str
    send_at: datetime | None
    sent_at: datetime | None
    recipients: int
    created_at: datetime
    updated_at: datetime


class AudiencePreview(msgspec.Struct, kw_only=True):
    """How many customers match, and how many opted-in people would get the push."""

    customers: int
    recipients: int
    contacts_opted_in: int


class OptInState(msgspec.Struct, kw_only=True):
    offers_opt_in: bool
