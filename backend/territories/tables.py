"""Regions, territories and distributors: how the field is divided."""

from piccolo.columns import JSON, ForeignKey, Varchar
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
