"""Columns shared by every table whose rows devices sync."""

from piccolo.columns import UUID, Integer, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow


class SyncedColumns:
    """id (may be made on a device), a version that grows on each change, server timestamps.

    deleted_at marks a soft delete, so devices learn of it through sync.
    """

    id = UUID(primary_key=True)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    deleted_at = Timestamptz(null=True, default=None)
