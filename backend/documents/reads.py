"""Stored rows of a priced document and its lines, as the read structs' fields."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, TypeVar

from backend.documents.schemas import PricedLineRead, PriceMismatch

L = TypeVar("L", bound=PricedLineRead)


def quantized(value: Any, places: int) -> Decimal:
    # SQLite drops a NUMERIC's scale ("37.00" comes back as 37): give it back, same on both.
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


def json_value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value  # text on some engines


def line_read(cls: type[L], row: dict[str, Any]) -> L:
    """A stored line (PricedLineColumns) as OrderLineRead or QuoteLineRead."""
    return cls(
        id=row["id"],
        position=row["position"],
        product_id=row["product"],
        sku=row["sku"],
        name=row["name"],
        unit=row["unit"],
        quantity=quantized(row["quantity"], 3),
        unit_price=quantized(row["unit_price"], 4),
        discount_pct=quantized(row["discount_pct"], 2),
        tax_rate=quantized(row["tax_rate"], 2),
        net=quantized(row["net"], 2),
        tax_amount=quantized(row["tax_amount"], 2),
        total=quantized(row["total"], 2),
    )


def priced_fields(row: dict[str, Any]) -> dict[str, Any]:
    """A stored document's PricedDocumentColumns and ApprovalColumns as read fields."""
    return {
        "price_list_id": row["price_list"],
        "currency": row["currency"],
        "document_discount_pct": quantized(row["document_discount_pct"], 2),
        "subtotal": quantized(row["subtotal"], 2),
        "discount_total": quantized(row["discount_total"], 2),
        "tax_total": quantized(row["tax_total"], 2),
        "total": quantized(row["total"], 2),
        "price_mismatch": row["price_mismatch"],
        "mismatches": [PriceMismatch(**m) for m in json_value(row["mismatches"]) or []],
        "approval": row.get("approval"),
        "approval_by_id": row.get("approval_by"),
        "approval_at": row.get("approval_at"),
        "approval_reason": row.get("approval_reason") or "",
    }
