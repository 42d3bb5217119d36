"""Customer visits: planned, checked in and out, with their outcome."""

from piccolo.columns import (
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from backend.accounts.tables import User
from backend.base import SyncedColumns
from backend.customers.tables import Customer


class Visit(SyncedColumns, Table, tablename="visit"):
    customer = ForeignKey(references=Customer, null=False, index=True)
    rep = ForeignKey(references=User, null=False, index=True)
    # planned, checked_in, done, skipped, cancelled
    status = Varchar(length=20, default="planned", index=True)
    planned_start = Timestamptz(null=True, default=None, index=True)
    planned_duration_min = Integer(default=30)
    check_in_at = Timestamptz(null=True, default=None)
    check_in_lat = DoublePrecision(null=True, default=None)
    check_in_lng = DoublePrecision(null=True, default=None)
    check_in_accuracy_m = DoublePrecision(null=True, default=None)
    # verified / too_far / no_fix, from the distance to the customer's pin and the accuracy
    check_in_verification = Varchar(length=20, default="")
    check_in_distance_m = DoublePrecision(null=True, default=None)
    # Why the rep checked in away from the pin (too_far): a code from the app's list and text.
    check_in_reason = Varchar(length=40, default="")
    check_in_reason_note = Text(default="")
    check_out_at = Timestamptz(null=True, default=None)
    check_out_lat = DoublePrecision(null=True, default=None)
    check_out_lng = DoublePrecision(null=True, default=None)
    check_out_accuracy_m = DoublePrecision(null=True, default=None)
    outcome = Varchar(length=40, default="")
    notes = Text(default="")
    next_action = Text(default="")
    next_action_due = Timestamptz(null=True, default=None)
    captured_at = Timestamptz(null=True, default=None)
