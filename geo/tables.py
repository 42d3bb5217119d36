"""Geo tables: the geocoding cache, batch geocoding jobs, and planned routes."""

from decimal import Decimal

from piccolo.columns import (
    JSON,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import User
from backend.base import SyncedColumns
from backend.decimals import ExactNumeric


class GeocodeCache(Table, tablename="geocode_cache"):
    """One geocoder answer per normalised query, so an address is asked for once."""

    key = Varchar(length=64, primary_key=True)  # sha256 of provider + normalised query
    provider = Varchar(length=40)
    query = Text()
    lat = DoublePrecision(null=True, default=None)
    lng = DoublePrecision(null=True, default=None)
    quality = Varchar(length=20)  # rooftop / street / locality / failed
    display_name = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class GeocodeJob(Table, tablename="geocode_job"):
    """A batch geocoding run with its progress, readable from any process."""

    id = Varchar(length=36, primary_key=True)
    created_by = ForeignKey(references=User, null=True, default=None)
    status = Varchar(length=20, default="queued")  # queued / running / done / failed
    total = Integer(default=0)
    done = Integer(default=0)
    failed = Integer(default=0)
    skipped = Integer(default=0)
    customer_ids = JSON(default=[])
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)


class Route(SyncedColumns, Table, tablename="route"):
    """A rep's plan for one day: ordered stops with planned times and the solver's figures."""

    rep = ForeignKey(references=User, null=False, index=True)
    day = Date(index=True)
    # [{"customer_id", "visit_id", "planned_arrival", "planned_departure", "lat", "lng"}]
    stops = JSON(default=[])
    distance_m = Integer(default=0)
    duration_s = Integer(default=0)
    cost = ExactNumeric(digits=(14, 2), default=Decimal("0"))
    stats = JSON(default={})
    # planned (from the server's solver) or reordered (by the device, until replaced)
    source = Varchar(length=20, default="planned")
    # published: the rep's route (synced); draft: a team plan reps do not see until published
    state = Varchar(length=20, default="published", index=True)
