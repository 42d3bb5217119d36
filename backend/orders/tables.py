"""Orders and their lines, with prices, discounts and tax snapshotted at capture."""

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from backend.accounts.tables import User
from backend.base import SyncedColumns
from backend.catalogue.tables import Product
from backend.customers.tables import Customer
from backend.documents.columns import ApprovalColumns, PricedDocumentColumns, PricedLineColumns
from backend.territories.tables import Distributor
from backend.visits.tables import Visit


class Order(ApprovalColumns, PricedDocumentColumns, SyncedColumns, Table, tablename="sales_order"):
    """An order; its prices, totals and approval are PricedDocumentColumns/ApprovalColumns."""

    number = Varchar(length=40, unique=True)
    customer = ForeignKey(references=Customer, null=False, index=True)
    author = ForeignKey(references=User, null=False, index=True)
    distributor = ForeignKey(references=Distributor, null=True, default=None)
    visit = ForeignKey(references=Visit, null=True, default=None)
    # submitted, confirmed, shipped, delivered, cancelled
    status = Varchar(length=20, default="submitted", index=True)
    notes = Text(default="")
    delivery_date = Timestamptz(null=True, default=None)
    captured_at = Timestamptz(null=True, default=None)


class OrderLine(PricedLineColumns, Table, tablename="sales_order_line"):
    order = ForeignKey(references=Order, null=False, index=True)
    product = ForeignKey(references=Product, null=False, index=True)  # offer audiences


class NumberSeries(Table, tablename="number_series"):
    """Server-side document counters, incremented inside the writing transaction."""

    name = Varchar(length=40, primary_key=True)
    next_value = Integer(default=1)
