"""Pure order rules: status transitions, order numbers and device-vs-server price checks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from backend.quotes.pricing import PricedDocument, PricedLine, compare

STATUSES = ("submitted", "confirmed", "shipped", "delivered", "cancelled")
# Forward one step at a time; cancelling only before anything has left the warehouse.
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"confirmed", "cancelled"}),
    "confirmed": frozenset({"shipped", "cancelled"}),
    "shipped": frozenset({"delivered"}),
    "delivered": frozenset(),
    "cancelled": frozenset(),
}

SERVER_PREFIX = "SO"
# A device number: the install's code (handed out by sync), a dash, the device's own counter.
# One dash only, so it can never look like a server number "SO-2026-000123".
DEVICE_NUMBER = re.compile(r"^(?!SO-)[A-Z0-9]{2,16}-[1-9][0-9]{0,8}$")


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def series_name(year: int) -> str:
    """The NumberSeries row that counts one year's server-assigned order numbers."""
    return f"{SERVER_PREFIX}-{year}"


def server_number(year: int, value: int) -> str:
    return f"{SERVER_PREFIX}-{year}-{value:06d}"


def is_device_number(number: str) -> bool:
    return DEVICE_NUMBER.fullmatch(number) is not None


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
