"""Quotes and their lines: numbered offers with validity, status and the PDF's fingerprints."""

from decimal import Decimal

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
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
from backend.customers.tables import Contact, Customer
from backend.orders.tables import Order


class Quote(SyncedColumns, Table, tablename="quote"):
    number = Varchar(length=40, unique=True)
    customer = ForeignKey(references=Customer, null=False, index=True)
    contact = ForeignKey(references=Contact, null=True, default=None)
    author = ForeignKey(references=User, null=False, index=True)
    price_list = ForeignKey(references=PriceList, null=True, default=None)
    currency = Varchar(length=3, default="EUR")
    locale = Varchar(length=8, default="en")
    # draft, sent, accepted, rejected; "expired" is computed on read from valid_until
    status = Varchar(length=20, default="draft", index=True)
    issue_date = Date()
    valid_until = Date(index=True)
    terms = Text(default="")
    notes = Text(default="")
    document_discount_pct = Numeric(digits=(5, 2), default=Decimal("0"))
    subtotal = Numeric(digits=(14, 2), default=Decimal("0"))
    discount_total = Numeric(digits=(14, 2), default=Decimal("0"))
    tax_total = Numeric(digits=(14, 2), default=Decimal("0"))
    total = Numeric(digits=(14, 2), default=Decimal("0"))
    # [{"rate", "base", "tax"}] as strings: what the customer owes per tax rate.
    tax_breakdown = JSON(default=[])
    price_mismatch = Boolean(default=False)
    mismatches = JSON(default=[])
    # The company header as printed, snapshotted so a later settings change never alters it.
    company = JSON(default={})
    fingerprint = Varchar(length=64, default="")
    device_pdf_sha256 = Varchar(length=64, null=True, default=None)
    server_pdf_sha256 = Varchar(length=64, null=True, default=None)
    pdf_match = Boolean(null=True, default=None)
    order = ForeignKey(references=Order, null=True, default=None)
    captured_at = Timestamptz(null=True, default=None)


class QuoteLine(Table, tablename="quote_line"):
    id = Varchar(length=36, primary_key=True)
    quote = ForeignKey(references=Quote, null=False, index=True)
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
