"""Orders and their lines, with prices, discounts and tax snapshotted at capture."""

from decimal import Decimal

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from backend.accounts.tables import User
from backend.base import SyncedColumns
from backend.catalogue.tables import PriceList, Product
from backend.customers.tables import Customer
from backend.territories.tables import Distributor
from backend.visits.tables import Visit


class Order(SyncedColumns, Table, tablename="sales_order"):
    number = Varchar(length=40, unique=True)
    customer = ForeignKey(references=Customer, null=False, index=True)
    author = ForeignKey(references=User, null=False, index=True)
    distributor = ForeignKey(references=Distributor, null=True, default=None)
    visit = ForeignKey(references=Visit, null=True, default=None)
    price_list = ForeignKey(references=PriceList, null=True, default=None)
    currency = Varchar(length=3, default="EUR")
    # submitted, confirmed, shipped, delivered, cancelled
    status = Varchar(length=20, default="submitted", index=True)
    document_discount_pct = Numeric(digits=(5, 2), default=Decimal("0"))
    subtotal = Numeric(digits=(14, 2), default=Decimal("0"))
    discount_total = Numeric(digits=(14, 2), default=Decimal("0"))
    tax_total = Numeric(digits=(14, 2), default=Decimal("0"))
    total = Numeric(digits=(14, 2), default=Decimal("0"))
    # True when the device's figures differ from the server's recomputation.
    price_mismatch = Boolean(default=False)
    mismatches = JSON(default=[])
    notes = Text(default="")
    delivery_date = Timestamptz(null=True, default=None)
    captured_at = Timestamptz(null=True, default=None)


class OrderLine(Table, tablename="sales_order_line"):
    id = Varchar(length=36, primary_key=True)
    order = ForeignKey(references=Order, null=False, index=True)
    position = Integer(default=0)
    product = ForeignKey(references=Product, null=False)
    sku = Varchar(length=64)
    name = Varchar(length=300)
    unit = Varchar(length=20, default="pcs")
    quantity = Numeric(digits=(14, 3))
    unit_price = Numeric(digits=(14, 4))
    discount_pct = Numeric(digits=(5, 2), default=Decimal("0"))
    tax_rate = Numeric(digits=(5, 2), default=Decimal("0"))
    net = Numeric(digits=(14, 2), default=Decimal("0"))
    tax_amount = Numeric(digits=(14, 2), default=Decimal("0"))
    total = Numeric(digits=(14, 2), default=Decimal("0"))


class NumberSeries(Table, tablename="number_series"):
    """Server-side document counters, incremented inside the writing transaction."""

    name = Varchar(length=40, primary_key=True)
    next_value = Integer(default=1)
