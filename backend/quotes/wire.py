"""The quote as JSON, the one form both the server and the device render a PDF from.

The server builds this JSON from its rows (backend.quoting) and renders
``render_quote_pdf(quote_document_from_json(doc))``; the device receives the very same JSON and
runs the same two calls in Pyodide, so both produce the same bytes. Pure standard library.

Shape (decimals are strings, never JSON numbers; dates ``YYYY-MM-DD``; the logo base64 JPEG):
``{"number", "issue_date", "valid_until", "currency", "locale", "document_discount_pct",
"terms", "notes", "company": {name, address, vat_no, reg_no, phone, email, logo_jpeg_base64},
"customer": {name, address, code}, "contact": {name, phone, email} | null,
"policy": {rounding, money_places, prices_include_tax},
"lines": [{product_id, sku, name, quantity, unit_price, tax_rate, discount_pct, unit}]}``
"""

from __future__ import annotations

import base64
import binascii
import decimal
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from backend.quotes.document import Company, Contact, Customer, QuoteDocument
from backend.quotes.pricing import LineInput, PricingPolicy

WIRE_VERSION = 1
_COMPANY = ("name", "address", "vat_no", "reg_no", "phone", "email", "logo_jpeg_base64")
_CUSTOMER = ("name", "address", "code")
_CONTACT = ("name", "phone", "email")
_POLICY = ("rounding", "money_places", "prices_include_tax")
_LINE = ("product_id", "sku", "name", "quantity", "unit_price", "tax_rate", "discount_pct", "unit")
_TOP = (
    "version",
    "number",
    "issue_date",
    "valid_until",
    "currency",
    "locale",
    "document_discount_pct",
    "terms",
    "notes",
    "company",
    "customer",
    "contact",
    "policy",
    "lines",
)


class QuoteJsonError(ValueError):
    """The quote JSON is malformed; the message names the field."""


def canonical_decimal(value: Decimal) -> str:
    """A Decimal as its shortest exact text (10.0000 -> "10"): the same on every engine."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _obj(value: Any, where: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise QuoteJsonError(f"{where}: must be an object")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise QuoteJsonError(f"{where}: unknown field(s) {', '.join(unknown)}")
    return value


def _str(obj: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = obj.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value):
        raise QuoteJsonError(f"{where}.{key}: must be a {'non-empty ' if required else ''}string")
    return value


def _dec(obj: Mapping[str, Any], key: str, where: str, default: str | None = None) -> Decimal:
    value = obj.get(key, default)
    # Strings only: a JSON number would have passed through a float somewhere.
    if not isinstance(value, str):
        raise QuoteJsonError(f"{where}.{key}: must be a decimal string")
    try:
        amount = Decimal(value)
    except decimal.InvalidOperation:
        raise QuoteJsonError(f"{where}.{key}: not a decimal: {value!r}") from None
    if not amount.is_finite():
        raise QuoteJsonError(f"{where}.{key}: must be finite")
    return amount


def _date(obj: Mapping[str, Any], key: str) -> date:
    value = obj.get(key)
    try:
        return date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise QuoteJsonError(f"{key}: must be a date YYYY-MM-DD") from None


def quote_document_from_json(doc: Mapping[str, Any]) -> QuoteDocument:
    """The QuoteDocument a quote JSON describes; raises QuoteJsonError on malformed input."""
    top = _obj(doc, "quote", _TOP)
    if top.get("version", WIRE_VERSION) != WIRE_VERSION:
        raise QuoteJsonError(f"version: this engine reads version {WIRE_VERSION}")
    company_in = _obj(top.get("company"), "company", _COMPANY)
    logo_b64 = company_in.get("logo_jpeg_base64")
    logo: bytes | None = None
    if logo_b64 is not None:
        if not isinstance(logo_b64, str):
            raise QuoteJsonError("company.logo_jpeg_base64: must be a base64 string or null")
        try:
            logo = base64.b64decode(logo_b64, validate=True)
        except binascii.Error:
            raise QuoteJsonError("company.logo_jpeg_base64: not base64") from None
    company = Company(
        name=_str(company_in, "name", "company", required=True),
        **{k: _str(company_in, k, "company") for k in _COMPANY[1:6]},
        logo_jpeg=logo,
    )
    customer_in = _obj(top.get("customer"), "customer", _CUSTOMER)
    customer = Customer(
        name=_str(customer_in, "name", "customer", required=True),
        address=_str(customer_in, "address", "customer"),
        code=_str(customer_in, "code", "customer"),
    )
    contact = None
    if top.get("contact") is not None:
        contact_in = _obj(top["contact"], "contact", _CONTACT)
        contact = Contact(
            name=_str(contact_in, "name", "contact", required=True),
            phone=_str(contact_in, "phone", "contact"),
            email=_str(contact_in, "email", "contact"),
        )
    policy_in = _obj(top.get("policy", {}), "policy", _POLICY)
    places = policy_in.get("money_places", 2)
    include = policy_in.get("prices_include_tax", False)
    if isinstance(places, bool) or not isinstance(places, int):
        raise QuoteJsonError("policy.money_places: must be a whole number")
    if not isinstance(include, bool):
        raise QuoteJsonError("policy.prices_include_tax: must be true or false")
    currency = _str(top, "currency", "quote", required=True)
    policy = PricingPolicy(
        currency=currency,
        rounding=policy_in.get("rounding", "half_up"),
        money_places=places,
        prices_include_tax=include,
    )
    raw_lines = top.get("lines")
    if not isinstance(raw_lines, list):
        raise QuoteJsonError("lines: must be a list")
    lines = []
    for i, raw in enumerate(raw_lines):
        where = f"lines[{i}]"
        line = _obj(raw, where, _LINE)
        lines.append(
            LineInput(
                product_id=_str(line, "product_id", where),
                sku=_str(line, "sku", where),
                name=_str(line, "name", where),
                quantity=_dec(line, "quantity", where),
                unit_price=_dec(line, "unit_price", where),
                tax_rate=_dec(line, "tax_rate", where),
                discount_pct=_dec(line, "discount_pct", where, "0"),
                unit=_str(line, "unit", where) or "pcs",
            )
        )
    return QuoteDocument(
        number=_str(top, "number", "quote", required=True),
        issue_date=_date(top, "issue_date"),
        valid_until=_date(top, "valid_until"),
        company=company,
        customer=customer,
        contact=contact,
        lines=lines,
        currency=currency,
        locale=_str(top, "locale", "quote", required=True),
        document_discount_pct=_dec(top, "document_discount_pct", "quote", "0"),
        terms=_str(top, "terms", "quote"),
        notes=_str(top, "notes", "quote"),
        policy=policy,
    )


def quote_document_to_json(quote: QuoteDocument) -> dict[str, Any]:
    """The JSON of a QuoteDocument; quote_document_from_json reads it back to an equal quote."""
    company = quote.company
    contact = quote.contact
    return {
        "version": WIRE_VERSION,
        "number": quote.number,
        "issue_date": quote.issue_date.isoformat(),
        "valid_until": quote.valid_until.isoformat(),
        "currency": quote.currency,
        "locale": quote.locale,
        "document_discount_pct": canonical_decimal(quote.document_discount_pct),
        "terms": quote.terms,
        "notes": quote.notes,
        "company": {
            "name": company.name,
            "address": company.address,
            "vat_no": company.vat_no,
            "reg_no": company.reg_no,
            "phone": company.phone,
            "email": company.email,
            "logo_jpeg_base64": (
                base64.b64encode(company.logo_jpeg).decode("ascii")
                if company.logo_jpeg is not None
                else None
            ),
        },
        "customer": {
            "name": quote.customer.name,
            "address": quote.customer.address,
            "code": quote.customer.code,
        },
        "contact": (
            None
            if contact is None
            else {"name": contact.name, "phone": contact.phone, "email": contact.email}
        ),
        "policy": {
            "rounding": quote.policy.rounding,
            "money_places": quote.policy.money_places,
            "prices_include_tax": quote.policy.prices_include_tax,
        },
        "lines": [
            {
                "product_id": line.product_id,
                "sku": line.sku,
                "name": line.name,
                "quantity": canonical_decimal(line.quantity),
                "unit_price": canonical_decimal(line.unit_price),
                "tax_rate": canonical_decimal(line.tax_rate),
                "discount_pct": canonical_decimal(line.discount_pct),
                "unit": line.unit,
            }
            for line in quote.lines
        ],
    }


def _canon(value: Any) -> str:
    if isinstance(value, float | bool):
        raise QuoteJsonError(f"decimal expected, got {type(value).__name__}")
    try:
        return canonical_decimal(Decimal(str(value)))
    except decimal.InvalidOperation:
        raise QuoteJsonError(f"not a decimal: {value!r}") from None


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def customer_address(customer: Mapping[str, Any]) -> str:
    """The customer's postal address as printed: street, then postal code and city."""
    town = f"{customer.get('postal_code') or ''} {customer.get('city') or ''}".strip()
    return "\n".join(part for part in (customer.get("street") or "", town) if part)


def compose_quote_json(
    quote: Mapping[str, Any],
    lines: list[Mapping[str, Any]],
    customer: Mapping[str, Any],
    contact: Mapping[str, Any] | None,
    company: Mapping[str, Any],
    policy: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The quote JSON from its records, the same on server (rows) and device (replica).

    ``quote``: number, issue_date, valid_until, currency, locale, document_discount_pct,
    terms, notes. ``lines``: product_id, sku, name, unit, quantity, unit_price, tax_rate,
    discount_pct. ``customer``: name, code, street, postal_code, city. ``contact``: name, phone,
    email. ``company``: the keys of the JSON's company object. Decimals may be Decimals or
    strings; either way they are written canonically, so both sides compose the same text.
    """
    policy = policy or {}
    return {
        "version": WIRE_VERSION,
        "number": str(quote["number"]),
        "issue_date": _iso(quote["issue_date"]),
        "valid_until": _iso(quote["valid_until"]),
        "currency": str(quote.get("currency") or "EUR"),
        "locale": str(quote.get("locale") or "en"),
        "document_discount_pct": _canon(quote.get("document_discount_pct") or "0"),
        "terms": str(quote.get("terms") or ""),
        "notes": str(quote.get("notes") or ""),
        "company": {
            "name": str(company.get("name") or ""),
            **{k: str(company.get(k) or "") for k in _COMPANY[1:6]},
            "logo_jpeg_base64": company.get("logo_jpeg_base64") or None,
        },
        "customer": {
            "name": str(customer.get("name") or ""),
            "address": customer_address(customer),
            "code": str(customer.get("code") or ""),
        },
        "contact": (
            None
            if not contact
            else {
                "name": str(contact.get("name") or ""),
                "phone": str(contact.get("phone") or ""),
                "email": str(contact.get("email") or ""),
            }
        ),
        "policy": {
            "rounding": str(policy.get("rounding") or "half_up"),
            "money_places": int(policy.get("money_places", 2)),
            "prices_include_tax": bool(policy.get("prices_include_tax", False)),
        },
        "lines": [
            {
                "product_id": str(line["product_id"]),
                "sku": str(line.get("sku") or ""),
                "name": str(line.get("name") or ""),
                "quantity": _canon(line["quantity"]),
                "unit_price": _canon(line["unit_price"]),
                "tax_rate": _canon(line.get("tax_rate") or "0"),
                "discount_pct": _canon(line.get("discount_pct") or "0"),
                "unit": str(line.get("unit") or "pcs"),
            }
            for line in lines
        ],
    }
