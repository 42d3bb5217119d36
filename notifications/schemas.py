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


# An https URL with a host, or a path on this server ("/..." but not "//host" nor "/\\host",
# which browsers read as another host). Plain http is refused: the image would be mixed
# content in the installed app and could be altered on the way.
ImageUrl = Annotated[
    str,
    Meta(
        max_length=500,
        pattern=r"^(https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s\\]*)?|/([^/\\\s][^\s\\]*)?)$",
        description="https://host/... or a path on this server",
    ),
]


Language = Literal["en", "ru", "uk", "et"]


class OfferText(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The offer's words in one language."""

    title: Annotated[str, Meta(min_length=1, max_length=120)]
    text: Annotated[str, Meta(max_length=1000)] = ""


class OfferFunnel(msgspec.Struct, kw_only=True):
    """Recipients who got the push (sent), saw it (displayed), opened it (clicked) and ordered
    within ORDER_WINDOW_DAYS after opening it (ordered); see docs/offers.md."""

    sent: int = 0
    displayed: int = 0
    clicked: int = 0
    ordered: int = 0


class OfferImageRead(msgspec.Struct, kw_only=True):
    id: UUID
    image_url: str
    width: int
    height: int
    bytes: int


class OfferCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: UUID | None = None
    title: Annotated[str, Meta(min_length=1, max_length=120)]
    text: Annotated[str, Meta(max_length=1000)] = ""
    product_id: UUID | None = None
    # Checked by the service: 0 to 9,999,999,999.9999, 4 places (msgspec cannot bound Decimal).
    price: Decimal | None = None
    discount_pct: Decimal | None = None  # 0..100
    currency: Annotated[str, Meta(pattern="^[A-Z]{3}$")] = "EUR"
    image_url: ImageUrl | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    target: OfferTarget = msgspec.field(default_factory=OfferTarget)
    # `title` and `text` are in `language`; `texts` adds the other languages.
    language: Language = "en"
    texts: dict[Language, OfferText] = msgspec.field(default_factory=dict)


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
    language: str = "en"
    texts: dict[str, OfferText] = msgspec.field(default_factory=dict)
    funnel: OfferFunnel | None = None  # for the offer's author (managers, admins)


class AudiencePreview(msgspec.Struct, kw_only=True):
    """How many customers match, and how many opted-in people would get the push."""

    customers: int
    recipients: int
    contacts_opted_in: int


class OptInState(msgspec.Struct, kw_only=True):
    offers_opt_in: bool
