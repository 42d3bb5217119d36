"""Who decided on a document's discounts, and why, is internal: the partner roles (distributor,
customer) read only that a document awaits approval, was approved or rejected."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from backend.principal import Principal

T = TypeVar("T")


def shaped_document(principal: Principal, read: T) -> T:
    """An order or quote read as this principal may see it (same fields, internal ones blank)."""
    if not principal.is_partner:
        return read
    doc: Any = read
    return msgspec.structs.replace(doc, approval_by_id=None, approval_reason="")  # type: ignore[no-any-return]
