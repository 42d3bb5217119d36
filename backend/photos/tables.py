"""Photos taken on visits, and the resumable uploads that bring them to the server."""

from piccolo.columns import (
    UUID,
    BigInt,
    ForeignKey,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from backend.accounts.tables import User
from backend.base import SyncedColumns
from backend.customers.tables import Customer
from backend.visits.tables import Visit


class PhotoUpload(Table, tablename="photo_upload"):
    """One upload in progress: the bytes so far wait in the data directory (`.part` file)."""

    id = UUID(primary_key=True)  # made on the device: a retried create finds this row
    author = ForeignKey(references=User, null=False, index=True)
    customer = ForeignKey(references=Customer, null=False)
    visit = ForeignKey(references=Visit, null=True, default=None)
    size = BigInt()
    sha256 = Varchar(length=64)
    content_type = Varchar(length=40)
    taken_at = Timestamptz(null=True, default=None)
    offset = BigInt(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Photo(SyncedColumns, Table, tablename="photo"):
    """A stored photo (and its thumbnail) of a customer, taken on a visit or on its own."""

    customer = ForeignKey(references=Customer, null=False, index=True)
    visit = ForeignKey(references=Visit, null=True, default=None, index=True)
    author = ForeignKey(references=User, null=False)
    taken_at = Timestamptz(null=True, default=None)
    size = BigInt()
    sha256 = Varchar(length=64)
    content_type = Varchar(length=40)
    width = Integer(default=0)
    height = Integer(default=0)
    storage_key = Varchar(length=200)
    thumb_key = Varchar(length=200)
    thumb_size = Integer(default=0)
