"""The change log, the devices that sync, their stored results, and the engine's own state."""

from piccolo.columns import JSON, UUID, BigInt, BigSerial, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table


class SyncChange(Table, tablename="sync_change"):
    """One row changed, written in the same transaction as the change.

    The pull order is (txid, seq); see sync/changelog.py for why that is safe.
    """

    seq = BigSerial(primary_key=True)
    txid = BigInt(default=0, index=True)
    collection = Varchar(length=40)
    row_id = UUID(index=True)
    op = Varchar(length=8)  # put / del
    customer_id = UUID(null=True, default=None, index=True)
    # For a customer changing territory or distributor: where it came from and went to.
    scope_from = JSON(null=True, default=None)
    scope_to = JSON(null=True, default=None)
    user_id = UUID(null=True, default=None)
    changed_at = Timestamptz(default=TimestamptzNow(), index=True)


class SyncClient(Table, tablename="sync_client"):
    """An installed app: bound to the first user that pushes with it."""

    client_id = UUID(primary_key=True)
    # Lazy: the engine imports no business area (the users table is the accounts area's).
    user: ForeignKey = ForeignKey(
        references=LazyTableReference("User", module_path="backend.accounts.tables"),
        null=False,
        index=True,
    )
    # A short number unique per installed app, so its document numbers never collide.
    code = BigInt(unique=True)
    last_mid = BigInt(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    # Device health (GET /api/devices): what the app last reported and when it last synced.
    app_version = Varchar(length=40, default="")
    pending = Integer(null=True, default=None)  # outbox entries waiting, as last reported
    rejected = Integer(default=0)  # mutations of this client answered "rejected"
    last_pull_at = Timestamptz(null=True, default=None)
    last_push_at = Timestamptz(null=True, default=None)
    # The change-log position (txid, seq) of the last cursor a pull gave it.
    pulled_txid = BigInt(null=True, default=None)
    pulled_seq = BigInt(null=True, default=None)


class SyncResult(Table, tablename="sync_result"):
    """A mutation's result as first answered, replayed for duplicates."""

    client_id = UUID(index=True)
    mid = BigInt(index=True)
    result = JSON()


class SyncState(Table, tablename="sync_state"):
    """One row: this database's epoch, the purge horizon and the client-code counter."""

    id = Integer(primary_key=True)
    # Random per database: a cursor from another (or a re-created) database is refused.
    epoch = Varchar(length=32)
    # Every change-log entry at or below (purged_txid, purged_seq) has been purged.
    purged_txid = BigInt(default=0)
    purged_seq = BigInt(default=0)
    next_code = BigInt(default=1)


class SyncFieldState(Table, tablename="sync_field_state"):
    """Per synced row of a merged collection: each field's value and the version that set it.

    Filled by record_change from whatever service wrote the row, so REST and sync writes both
    count when a device's update is merged against its base_version.
    """

    collection = Varchar(length=40)
    row_id = UUID(index=True)
    # {"field": [value, version], ...}
    fields = JSON(default={})
