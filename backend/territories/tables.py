"""Regions, territories and distributors: how the field is divided."""

from piccolo.columns import JSON, UUID, ForeignKey, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.base import SyncedColumns
from backend.catalogue.tables import PriceList


class Region(SyncedColumns, Table, tablename="region"):
    name = Varchar(length=200)
    code = Varchar(length=40, unique=True)
    time_zone = Varchar(length=64, default="Europe/Tallinn")
    currency = Varchar(length=3, default="EUR")


class Territory(SyncedColumns, Table, tablename="territory"):
    region = ForeignKey(references=Region, null=False)
    name = Varchar(length=200)
    code = Varchar(length=40, unique=True)
    # GeoJSON Polygon or MultiPolygon, or null when customers are assigned by hand.
    polygon = JSON(null=True, default=None)


class Distributor(SyncedColumns, Table, tablename="distributor"):
    region = ForeignKey(references=Region, null=False)
    name = Varchar(length=200)
    code = Varchar(length=40, unique=True)
    phone = Varchar(length=40, default="")
    email = Varchar(length=200, default="")
    price_list = ForeignKey(references=PriceList, null=True, default=None)


class TerritoryMoveBatch(Table, tablename="territory_move_batch"):
    """Customers moved between territories in one step (a rebalance or a polygon assignment),
    kept so the step can be undone exactly."""

    id = UUID(primary_key=True)
    region = ForeignKey(references=Region, null=False, index=True)
    kind = Varchar(length=20)  # rebalance | polygon
    # [{"customer_id", "from_territory_id" (None: had none), "to_territory_id"}]
    moves = JSON(default=[])
    created_by = UUID()
    created_at = Timestamptz(default=TimestamptzNow())
    undone_at = Timestamptz(null=True, default=None)
