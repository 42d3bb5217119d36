"""Quotes and their lines: numbered offers with validity, status and the PDF's fingerprints."""

from piccolo.columns import JSON, Boolean, Date, ForeignKey, Text, Timestamptz, Varchar
from piccolo.table import Table

from backend.accounts.tables import User
from backend.base import SyncedColumns
from backend.catalogue.tables import Product
from backend.customers.tables import Contact, Customer
from backend.documents.columns import ApprovalColumns, PricedDocumentColumns, PricedLineColumns
from backend.orders.tables import Order


class Quote(ApprovalColumns, PricedDocumentColumns, SyncedColumns, Table, tablename="quote"):
    """A quote; its prices, totals and approval are PricedDocumentColumns/ApprovalColumns."""

    number = Varchar(length=40, unique=True)
    customer = ForeignKey(references=Customer, null=False, index=True)
    contact = ForeignKey(references=Contact, null=True, default=None)
    author = ForeignKey(references=User, null=False, index=True)
    locale = Varchar(length=8, default="en")
    # draft, sent, accepted, rejected; "expired" is computed on read from valid_until
    status = Varchar(length=20, default="draft", index=True)
    issue_date = Date()
    valid_until = Date(index=True)
    terms = Text(default="")
    notes = Text(default="")
    # [{"rate", "base", "tax"}] as strings: what the customer owes per tax rate.
    tax_breakdown = JSON(default=[])
    # The company header as printed, snapshotted so a later settings change never alters it.
    company = JSON(default={})
    fingerprint = Varchar(length=64, default="")
    device_pdf_sha256 = Varchar(length=64, null=True, default=None)
    server_pdf_sha256 = Varchar(length=64, null=True, default=None)
    pdf_match = Boolean(null=True, default=None)
    order = ForeignKey(references=Order, null=True, default=None)
    captured_at = Timestamptz(null=True, default=None)


class QuoteLine(PricedLineColumns, Table, tablename="quote_line"):
    quote = ForeignKey(references=Quote, null=False, index=True)
    product = ForeignKey(references=Product, null=False)
