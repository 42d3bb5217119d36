"""Piccolo column mixins of a priced document (an order, a quote) and of its lines.

A table lists them before SyncedColumns and Table (``class Order(ApprovalColumns,
PricedDocumentColumns, SyncedColumns, Table)``): Piccolo orders a table's columns from the last
base to the table itself, so the id stays the first column.

The tables keep their own names, keys and links (customer, author, the parent document);
what is priced is declared here once, so both tables hold the same figures with the same
digits. Changing a column here changes both tables (and needs a migration).
"""

from decimal import Decimal

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar

from backend.accounts.tables import User
from backend.catalogue.tables import PriceList
from backend.decimals import ExactNumeric


class PricedDocumentColumns:
    """The price list a document was priced with and its totals, frozen at capture."""

    price_list = ForeignKey(references=PriceList, null=True, default=None)
    currency = Varchar(length=3, default="EUR")
    document_discount_pct = ExactNumeric(digits=(5, 2), default=Decimal("0"))
    subtotal = ExactNumeric(digits=(14, 2), default=Decimal("0"))
    discount_total = ExactNumeric(digits=(14, 2), default=Decimal("0"))
    tax_total = ExactNumeric(digits=(14, 2), default=Decimal("0"))
    total = ExactNumeric(digits=(14, 2), default=Decimal("0"))
    # True when the device's figures differ from the server's recomputation; every
    # difference listed in mismatches ([{"field", "line_index", "device", "server"}]).
    price_mismatch = Boolean(default=False)
    mismatches = JSON(default=[])


class ApprovalColumns:
    """Discounts above the author's limit (backend.documents.approval): "pending" until a
    manager of the region (or an admin) approves or rejects it; None when none was needed."""

    approval = Varchar(length=10, null=True, default=None, index=True)
    approval_by = ForeignKey(references=User, null=True, default=None)
    approval_at = Timestamptz(null=True, default=None)
    approval_reason = Text(default="")


class PricedLineColumns:
    """One priced line: the product's snapshot and its figures, frozen at capture.

    The line's parent document and its product stay on the table (their keys and indexes
    differ between orders and quotes).
    """

    id = Varchar(length=36, primary_key=True)
    position = Integer(default=0)
    sku = Varchar(length=64)
    name = Varchar(length=300)
    unit = Varchar(length=20, default="pcs")
    quantity = ExactNumeric(digits=(14, 3))
    unit_price = ExactNumeric(digits=(16, 4))
    discount_pct = ExactNumeric(digits=(5, 2), default=Decimal("0"))
    tax_rate = ExactNumeric(digits=(5, 2), default=Decimal("0"))
    net = ExactNumeric(digits=(14, 2), default=Decimal("0"))
    tax_amount = ExactNumeric(digits=(14, 2), default=Decimal("0"))
    total = ExactNumeric(digits=(14, 2), default=Decimal("0"))
