"""Pricing a document on the server, the same steps for orders and quotes.

The arithmetic is backend.quotes.pricing (the device runs the same rules in JavaScript);
what is here are the server's steps around it:

* ``check_lines``: the lines as sent, each figure within its column's digits and range;
* ``price_lines``: unit prices from a price list, tax rates from the products, every figure
  recomputed, refused (422, each field named) when a product is unknown or not in the list,
  a discount above the list's limit (where it applies) or a figure too large to store;
* ``device_mismatches``: what the device showed compared with that, every difference listed
  (the server's figure is the one kept);
* ``line_snapshot`` / ``document_figures``: what a line and a document store of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from backend.catalogue import repository as catalogue_repo
from backend.catalogue.core import HUNDRED, check_decimal
from backend.decimals import limit, out_of_range
from backend.documents.schemas import DeviceTotals, PricedLineCreate
from backend.errors import FieldError, ValidationFailed
from backend.quotes.pricing import (
    LineInput,
    PricedDocument,
    PricedLine,
    PricingError,
    PricingPolicy,
    compare,
    price_document,
)

# The columns' digits (orders and quotes alike, backend.documents.columns): what both
# engines can hold.
AMOUNT = (14, 2)  # up to 999999999999.99
UNIT_PRICE = (16, 4)  # up to 999999999999.9999
QUANTITY = (14, 3)
MAX_QUANTITY = Decimal("99999999999")

DEVICE_LINE_FIGURES = ("unit_price", "tax_rate", "net", "tax_amount", "total")
DEVICE_TOTALS = ("subtotal", "document_discount_amount", "net_total", "tax_total", "total")


# --- the lines as sent ------------------------------------------------------------------


def check_lines(errors: list[FieldError], lines: Sequence[PricedLineCreate]) -> None:
    """Append an error for every figure of the lines outside its digits or range."""
    for i, line in enumerate(lines):
        check_decimal(
            errors,
            f"lines[{i}].quantity",
            line.quantity,
            places=3,
            positive=True,
            lo=None,
            hi=MAX_QUANTITY,
        )
        check_decimal(errors, f"lines[{i}].discount_pct", line.discount_pct, places=2, hi=HUNDRED)
        if line.unit_price is not None:
            check_decimal(
                errors, f"lines[{i}].unit_price", line.unit_price, places=4, hi=limit(UNIT_PRICE)
            )
        if line.tax_rate is not None:
            check_decimal(errors, f"lines[{i}].tax_rate", line.tax_rate, places=2, hi=HUNDRED)


def check_document_discount(errors: list[FieldError], pct: Decimal | None) -> None:
    if pct is not None:
        check_decimal(errors, "document_discount_pct", pct, places=2, hi=HUNDRED)


def discount_errors(
    lines: Sequence[PricedLineCreate],
    document_discount_pct: Decimal,
    limit: Decimal | None,
    list_code: str,
) -> list[FieldError]:
    """Discounts above the price list's limit (an agreed quote's are checked when quoted)."""
    if limit is None:
        return []
    message = f"at most {format(Decimal(limit).normalize(), 'f')} % with price list {list_code}"
    errors = [
        FieldError(f"lines[{i}].discount_pct", message, "over_limit")
        for i, line in enumerate(lines)
        if line.discount_pct > limit
    ]
    if document_discount_pct > limit:
        errors.append(FieldError("document_discount_pct", message, "over_limit"))
    return errors


# --- pricing ----------------------------------------------------------------------------


async def price_list_row(price_list_id: Any, whose: str = "the customer") -> dict[str, Any]:
    """The price list a document is priced with; refused (422, ``no_price_list``) if none."""
    price_list = await catalogue_repo.get_price_list_row(price_list_id) if price_list_id else None
    if price_list is None:
        raise ValidationFailed(
            detail=f"{whose.capitalize()} has no price list; nothing can be priced.",
            errors=[FieldError("customer_id", f"{whose} has no price list", "no_price_list")],
        )
    return price_list


async def price_lines(
    lines: Sequence[PricedLineCreate],
    document_discount_pct: Decimal,
    price_list: Mapping[str, Any],
    *,
    agreed_prices: bool = False,
    list_discount_limit: bool = False,
) -> PricedDocument:
    """Price the lines with the price list's prices and the products' tax rates.

    agreed_prices: a line's own unit_price (and tax_rate) was agreed with the customer (an
    accepted quote) and is kept. list_discount_limit: discounts above the price list's
    max_discount_pct are refused (orders do, except at agreed prices; quotes do not).
    """
    product_ids = [line.product_id for line in lines]
    products = await catalogue_repo.get_products_for_pricing(product_ids)
    items = await catalogue_repo.get_item_rows(price_list["id"], product_ids)
    errors: list[FieldError] = []
    inputs: list[LineInput] = []
    for i, line in enumerate(lines):
        product, item = products.get(line.product_id), items.get(line.product_id)
        if product is None or not product["active"]:
            errors.append(FieldError(f"lines[{i}].product_id", "no such product", "unknown"))
            continue
        if agreed_prices and line.unit_price is not None:
            unit_price = line.unit_price
            tax_rate = line.tax_rate if line.tax_rate is not None else product["tax_rate"]
        elif item is None:
            errors.append(
                FieldError(
                    f"lines[{i}].product_id",
                    f"{product['sku']} has no price in price list {price_list['code']}",
                    "not_priced",
                )
            )
            continue
        else:
            unit_price, tax_rate = item["price"], product["tax_rate"]
        inputs.append(
            LineInput(
                product_id=str(product["id"]),
                sku=product["sku"],
                name=product["name"],
                quantity=line.quantity,
                unit_price=Decimal(unit_price),
                tax_rate=Decimal(tax_rate),
                discount_pct=line.discount_pct,
                unit=product["unit"],
            )
        )
    if list_discount_limit:
        errors.extend(
            discount_errors(
                lines, document_discount_pct, price_list["max_discount_pct"], price_list["code"]
            )
        )
    if errors:
        raise ValidationFailed(
            detail="Some lines cannot be priced; nothing was stored.", errors=errors
        )
    policy = PricingPolicy(
        currency=price_list["currency"], prices_include_tax=price_list["prices_include_tax"]
    )
    try:
        priced = price_document(inputs, document_discount_pct=document_discount_pct, policy=policy)
    except PricingError as exc:
        index = exc.line_index
        name = f"lines[{index}].{exc.field}" if index is not None else exc.field
        raise ValidationFailed(detail=str(exc), errors=[FieldError(name, str(exc))]) from None
    if too_large := size_problems(priced):
        raise ValidationFailed(
            detail="Some amounts are too large to store; nothing was stored.", errors=too_large
        )
    return priced


def size_problems(priced: PricedDocument) -> list[FieldError]:
    """Figures too large for the columns, each named by its field: refused on both engines
    alike (PostgreSQL would fail on the overflow, SQLite would store it unchecked)."""
    errors: list[FieldError] = []

    def check(name: str, value: Decimal, digits: tuple[int, int]) -> None:
        problem = out_of_range(value, digits)
        if problem:
            errors.append(FieldError(name, f"comes to {value}: {problem}", "out_of_range"))

    for i, line in enumerate(priced.lines):
        check(f"lines[{i}].unit_price", line.unit_price, UNIT_PRICE)
        for name in ("gross", "net", "tax_amount", "total"):
            check(f"lines[{i}].{name}", getattr(line, name), AMOUNT)
    check("subtotal", priced.subtotal, AMOUNT)
    check("discount_total", discount_total(priced), AMOUNT)
    check("tax_total", priced.tax_total, AMOUNT)
    check("total", priced.total, AMOUNT)
    return errors


# --- the device's figures ---------------------------------------------------------------


def device_document(
    line_snapshots: Sequence[Mapping[str, Decimal | None]],
    totals: Mapping[str, Decimal | None],
) -> dict[str, Any]:
    """The figures a device sent, in the shape pricing.compare reads (absent ones left out)."""
    return {
        **{k: str(v) for k, v in totals.items() if v is not None},
        "lines": [{k: str(v) for k, v in snap.items() if v is not None} for snap in line_snapshots],
    }


def price_mismatches(device: Mapping[str, Any], server: PricedDocument) -> list[dict[str, Any]]:
    """Every figure the device sent that differs from the server's; figures it did not send
    are not differences."""
    return [
        {
            "field": m.field,
            "line_index": m.line_index,
            "device": None if m.device is None else str(m.device),
            "server": None if m.server is None else str(m.server),
        }
        for m in compare(device, server)
        if m.device is not None and m.field != "lines"
    ]


def device_mismatches(
    lines: Sequence[PricedLineCreate], totals: DeviceTotals | None, priced: PricedDocument
) -> list[dict[str, Any]]:
    """The differences between what the device showed (lines and totals) and the server."""
    snapshots = [{k: getattr(line, k) for k in DEVICE_LINE_FIGURES} for line in lines]
    sent = {} if totals is None else {k: getattr(totals, k) for k in DEVICE_TOTALS}
    return price_mismatches(device_document(snapshots, sent), priced)


# --- what is stored ---------------------------------------------------------------------


def discount_total(priced: PricedDocument) -> Decimal:
    """The lines' discounts and the document's, together."""
    line_discounts = sum((line.discount_amount for line in priced.lines), Decimal(0))
    return line_discounts + priced.document_discount_amount


def document_figures(priced: PricedDocument) -> dict[str, Any]:
    """The PricedDocumentColumns' figures of a priced document, by column name."""
    return {
        "currency": priced.currency,
        "document_discount_pct": priced.document_discount_pct,
        "subtotal": priced.subtotal,
        "discount_total": discount_total(priced),
        "tax_total": priced.tax_total,
        "total": priced.total,
    }


def mismatch_figures(mismatches: list[dict[str, Any]]) -> dict[str, Any]:
    return {"price_mismatch": bool(mismatches), "mismatches": mismatches}


def line_snapshot(line: PricedLine) -> dict[str, Any]:
    """The figures an order or quote line stores, frozen at capture."""
    return {
        "product": UUID(line.product_id),
        "sku": line.sku,
        "name": line.name,
        "unit": line.unit,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "discount_pct": line.discount_pct,
        "tax_rate": line.tax_rate,
        "net": line.net,
        "tax_amount": line.tax_amount,
        "total": line.total,
    }
