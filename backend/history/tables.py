"""The customer history: one timeline of every touch."""

from piccolo.columns import JSON, UUID, ForeignKey, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User
from backend.base import SyncedColumns
from backend.customers.tables import Customer


class HistoryEvent(SyncedColumns, Table, tablename="history_event"):
    customer = ForeignKey(references=Customer, null=False, index=True)
    # visit, order, quote, note, offer_sent, offer_opened, offer_clicked, distributor_order, ...
    kind = Varchar(length=40, index=True)
    ref_id = UUID(null=True, default=None)
    actor = ForeignKey(references=User, null=True, default=None)
    summary = Varchar(length=500, default="")
    data = JSON(default={})
    # The device's clock when the thing happened, and the server's when it arrived.
    captured_at = Timestamptz(null=True, default=None)
    recorded_at = Timestamptz(default=TimestamptzNow(), index=True)
