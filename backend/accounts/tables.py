"""People who use Rounds, their sessions and login throttling."""

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.base import SyncedColumns
from backend.customers.tables import Customer
from backend.territories.tables import Distributor, Region, Territory


class User(SyncedColumns, Table, tablename="app_user"):
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=255)
    name = Varchar(length=200)
    role = Varchar(length=20, index=True)  # admin, manager, rep, distributor, customer
    region = ForeignKey(references=Region, null=True, default=None)
    distributor = ForeignKey(references=Distributor, null=True, default=None)
    customer = ForeignKey(references=Customer, null=True, default=None)
    locale = Varchar(length=8, default="en")
    time_zone = Varchar(length=64, default="Europe/Tallinn")
    phone = Varchar(length=40, default="")
    active = Boolean(default=True)
    # Working day and home base for route planning; reminder preferences.
    preferences = JSON(default={})


class RepTerritory(Table, tablename="rep_territory"):
    """Which territories a rep covers (a rep may cover several)."""

    user = ForeignKey(references=User, null=False, index=True)
    territory = ForeignKey(references=Territory, null=False, index=True)


class Session(Table, tablename="auth_session"):
    """A login: the refresh token's hash and whether it was revoked.

    Refreshing revokes the session and opens a new one in the same `family` (the id of the
    login's first session); a revoked session's refresh token presented again revokes the
    whole family, since one of the two holders of that token is not its owner.
    """

    id = Varchar(length=64, primary_key=True)
    user = ForeignKey(references=User, null=False, index=True)
    family = Varchar(length=64, default="", index=True)
    refresh_hash = Varchar(length=128, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    user_agent = Varchar(length=300, default="")


class LoginThrottle(Table, tablename="login_throttle"):
    """Failed logins per (e-mail, client address) and per client address.

    Kept in the database so every process agrees; `blocked_until` is when the next attempt
    from that address is heard again (growing delays, never a lock-out of other addresses).
    """

    key = Varchar(length=400, primary_key=True)
    failures = Integer(default=0)
    last_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    blocked_until = Timestamptz(null=True, default=None)
