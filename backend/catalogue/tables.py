"""Products and price lists."""

from decimal import Decimal

from piccolo.columns import Boolean, Date, ForeignKey, Text, Varchar
from piccolo.table import Table

from backend.base import SyncedColumns
from backend.decimals import ExactNumeric


class Product(SyncedColumns, Table, tablename="product"):
    sku = Varchar(length=64, unique=True)
    name = Varchar(length=300)
    description = Text(default="")
    category = Varchar(length=120, default="", index=True)
    unit = Varchar(length=20, default="pcs")
    barcode = Varchar(length=64, default="")
    tax_rate = ExactNumeric(digits=(5, 2), default=Decimal("0"))
    active = Boolean(default=True)


class PriceList(SyncedColumns, Table, tablename="price_list"):
    code = Varchar(length=40, unique=True)
    name = Varchar(length=200)
    currency = Varchar(length=3, default="EUR")
    prices_include_tax = Boolean(default=False)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    # The largest line or document discount (percent) an order priced with this list may
    # carry, e.g. a distributor's terms; None: no limit beyond 100 %.
    max_discount_pct = ExactNumeric(digits=(5, 2), null=True, default=None)


class PriceListItem(SyncedColumns, Table, tablename="price_list_item"):
    price_list = ForeignKey(references=PriceList, null=False, index=True)
    product = ForeignKey(references=Product, null=False, index=True)
    price = ExactNumeric(digits=(14, 4))
    min_quantity = ExactNumeric(digits=(14, 3), default=Decimal("1"))
