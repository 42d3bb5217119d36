"""Push subscriptions, the notification inbox, its delivery outbox and offer campaigns."""

from piccolo.columns import (
    JSON,
    UUID,
    Bytea,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User
from backend.base import SyncedColumns
from backend.catalogue.tables import Product
from backend.customers.tables import Customer
from backend.decimals import ExactNumeric
from backend.territories.tables import Region


class PushSubscription(Table, tablename="push_subscription"):
    """Where to reach one device: a Web Push endpoint with its keys, or an FCM token."""

    id = UUID(primary_key=True)
    user = ForeignKey(references=User, null=False, index=True)
    kind = Varchar(length=10, default="webpush")  # webpush, fcm
    # The endpoint URL (Web Push) or the registration token (FCM); unique across users.
    endpoint = Varchar(length=1000, unique=True)
    p256dh = Varchar(length=200, default="")
    auth = Varchar(length=64, default="")
    device = Varchar(length=200, default="")
    # The login (session family) that registered it: logging out there removes it.
    session_family = Varchar(length=64, default="", index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    last_sent_at = Timestamptz(null=True, default=None)


class VapidKey(Table, tablename="vapid_key"):
    """The server's VAPID private key, made once by whichever process needs it first, so
    every process and host signs with the key the API hands out (id is always 1)."""

    id = Integer(primary_key=True)
    private_pem = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class Offer(SyncedColumns, Table, tablename="offer"):
    """A manager's campaign to customers: what is offered, to whom and when it goes out."""

    title = Varchar(length=120)
    text = Text(default="")
    product = ForeignKey(references=Product, null=True, default=None)
    price = ExactNumeric(digits=(14, 4), null=True, default=None)
    discount_pct = ExactNumeric(digits=(5, 2), null=True, default=None)
    currency = Varchar(length=3, default="EUR")
    image_url = Varchar(length=500, default="")
    valid_from = Timestamptz(null=True, default=None)
    valid_until = Timestamptz(null=True, default=None)
    # {"territory_ids": [...], "segments": [...], "bought_product_id", "never_product_id", "days"}
    target = JSON(default={})
    status = Varchar(
        length=20, default="draft", index=True
    )  # draft scheduled sending sent cancelled
    send_at = Timestamptz(null=True, default=None, index=True)
    sent_at = Timestamptz(null=True, default=None)
    author = ForeignKey(references=User, null=False)
    region = ForeignKey(references=Region, null=True, default=None, index=True)
    recipients = Integer(default=0)
    # The language of title and text; `texts` holds the other languages:
    # {"ru": {"title": ..., "text": ...}, ...}. A customer gets their locale's, else these.
    language = Varchar(length=2, default="en")
    texts = JSON(default={})


class OfferImage(Table, tablename="offer_image"):
    """An offer's picture, converted to JPEG and resized on upload (notifications/offer_images)."""

    id = UUID(primary_key=True)
    data = Bytea()
    width = Integer(default=0)
    height = Integer(default=0)
    author = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class Notification(SyncedColumns, Table, tablename="notification"):
    """One entry of a user's inbox; the source of truth that works offline (push only nudges)."""

    user = ForeignKey(references=User, null=False, index=True)
    kind = Varchar(length=40, index=True)
    title = Varchar(length=200)
    body = Text(default="")
    url = Varchar(length=500, default="/")
    data = JSON(default={})
    # Makes enqueueing idempotent: the same cause never makes a second notification.
    idempotency_key = Varchar(length=200, unique=True)
    due_at = Timestamptz(default=TimestamptzNow(), index=True)
    customer = ForeignKey(references=Customer, null=True, default=None, on_delete=OnDelete.set_null)
    offer = ForeignKey(references=Offer, null=True, default=None, on_delete=OnDelete.set_null)
    read_at = Timestamptz(null=True, default=None)
    displayed_at = Timestamptz(null=True, default=None)
    clicked_at = Timestamptz(null=True, default=None)


class Delivery(Table, tablename="notification_delivery"):
    """The outbox: one notification to one subscription, claimed by a worker under a lease."""

    id = UUID(primary_key=True)
    notification = ForeignKey(references=Notification, null=False, index=True)
    subscription = ForeignKey(
        references=PushSubscription, null=True, default=None, on_delete=OnDelete.set_null
    )
    # "<notification id>:<subscription id>": the same message is never queued twice.
    idempotency_key = Varchar(length=80, unique=True)
    status = Varchar(length=10, default="pending", index=True)  # pending sending sent failed dead
    due_at = Timestamptz(default=TimestamptzNow())
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    attempts = Integer(default=0)
    last_error = Varchar(length=300, default="")
    claimed_by = Varchar(length=64, null=True, default=None)
    claimed_until = Timestamptz(null=True, default=None, index=True)
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
