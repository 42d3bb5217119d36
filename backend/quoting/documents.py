"""A stored quote as the JSON both engines render, its fingerprint and its server-side PDF."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from backend.quotes.document import quote_fingerprint
from backend.quotes.pdf import pdf_sha256, render_quote_pdf
from backend.quotes.wire import compose_quote_json, quote_document_from_json
from backend.quoting import repository as repo


async def quote_json(row: dict[str, Any], line_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The quote JSON from its rows, composed by the same pure function the device runs."""
    customer = await repo.get_customer_for_document(row["customer"]) or {"name": "?"}
    contact = await repo.get_contact_for_document(row["contact"]) if row["contact"] else None
    price_list_include_tax = bool(row.get("prices_include_tax", False))
    return compose_quote_json(
        {
            "number": row["number"],
            "issue_date": row["issue_date"],
            "valid_until": row["valid_until"],
            "currency": row["currency"],
            "locale": row["locale"],
            "document_discount_pct": row["document_discount_pct"],
            "terms": row["terms"],
            "notes": row["notes"],
        },
        [
            {
                "product_id": str(line["product"]),
                "sku": line["sku"],
                "name": line["name"],
                "unit": line["unit"],
                "quantity": line["quantity"],
                "unit_price": line["unit_price"],
                "tax_rate": line["tax_rate"],
                "discount_pct": line["discount_pct"],
            }
            for line in line_rows
        ],
        customer,
        contact,
        repo.company_of(row),
        {"prices_include_tax": price_list_include_tax},
    )


async def load_quote_json(quote_id: UUID) -> dict[str, Any] | None:
    row = await repo.get_quote_row(quote_id)
    if row is None:
        return None
    return await quote_json(await with_policy(row), await repo.list_line_rows(quote_id))


async def with_policy(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its price list's tax-inclusion flag, which the pricing policy needs."""
    from backend.catalogue import repository as catalogue_repo

    include = False
    if row["price_list"] is not None:
        price_list = await catalogue_repo.get_price_list_row(row["price_list"])
        include = bool(price_list and price_list["prices_include_tax"])
    return {**row, "prices_include_tax": include}


def fingerprint_of(doc: dict[str, Any]) -> str:
    """SHA-256 of the quote's canonical content, as printed in the PDF footer."""
    return quote_fingerprint(quote_document_from_json(doc))


def render(doc: dict[str, Any]) -> tuple[bytes, str]:
    """The PDF bytes of a quote JSON and their SHA-256."""
    data = render_quote_pdf(quote_document_from_json(doc))
    return data, pdf_sha256(data)
