"""Customers and their contacts."""

from decimal import Decimal

from piccolo.columns import (
    JSON,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from backend.base import SyncedColumns
from backend.catalogue.tables import PriceList
from backend.decimals import ExactNumeric
from backend.territories.tables import Distributor, Region, Territory


class Customer(SyncedColumns, Table, tablename="customer"):
    code = Varchar(length=40, unique=True)
    name = Varchar(length=300, index=True)
    legal_name = Varchar(length=300, default="")
    street = Varchar(length=300, default="")
    city = Varchar(length=120, default="")
    postal_code = Varchar(length=20, default="")
    country = Varchar(length=2, default="EE")
    lat = DoublePrecision(null=True, default=None)
    lng = DoublePrecision(null=True, default=None)
    # rooftop / street / locality / failed / manual / none; pending: to geocode (geo.geocoding)
    geocode_quality = Varchar(length=20, default="none")
    region = ForeignKey(references=Region, null=True, default=None, index=True)
    territory = ForeignKey(references=Territory, null=True, default=None, index=True)
    distributor = ForeignKey(references=Distributor, null=True, default=None, index=True)
    price_list = ForeignKey(references=PriceList, null=True, default=None)
    segment = Varchar(length=40, default="", index=True)
    tier = Varchar(length=10, default="")
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    notes = Text(default="")
    # {"mon": [["08:00","17:00"]], ..., "closed": ["2026-12-24"]}
    opening_hours = JSON(default={})
    time_zone = Varchar(length=64, default="Europe/Tallinn")
    visit_frequency_days = Integer(default=0)  # 0: no regular visits
    visit_duration_min = Integer(default=30)
    credit_limit = ExactNumeric(digits=(14, 2), default=Decimal("0"))
    last_visit_at = Timestamptz(null=True, default=None)
    # Lower-cased name, code and address for searching without case tricks per engine.
    search_text = Text(default="")


class Contact(SyncedColumns, Table, tablename="contact"):
    customer = ForeignKey(references=Customer, null=False, index=True)
    name = Varchar(length=200)
    title = Varchar(length=120, default="")
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    is_primary = Boolean(default=False)
    locale = Varchar(length=8, default="")
    offers_opt_in = Boolean(default=False)
