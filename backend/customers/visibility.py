"""Who reads which customer fields: internal ones are stripped for the partner roles.

Which customers a principal reads is backend/scope.py's `customer_condition`; this module says
which of their fields (visibility.md): distributors and customers never read the internal
ones, on any surface (REST reads and lists, sync, exports).
"""

from __future__ import annotations

from typing import Any

import msgspec

from backend.principal import Principal

# Internal customer fields; anything added later is internal too unless listed in PUBLIC.
INTERNAL = frozenset(
    {
        "notes",
        "credit_limit",
        "segment",
        "tier",
        "visit_frequency_days",
        "visit_duration_min",
        "territory_id",
        "last_visit_at",
        "next_visit_due_at",
    }
)
PUBLIC = frozenset(
    {
        "id",
        "code",
        "name",
        "legal_name",
        "street",
        "city",
        "postal_code",
        "country",
        "lat",
        "lng",
        "geocode_quality",
        "region_id",
        "distributor_id",
        "price_list_id",
        "phone",
        "email",
        "opening_hours",
        "time_zone",
        "version",
        "created_at",
        "updated_at",
        "distance_m",
    }
)


def shaped(principal: Principal, read: Any) -> Any:
    """A customer read (or list item) as this principal may see it."""
    if not principal.is_partner:
        return read
    return {k: v for k, v in msgspec.structs.asdict(read).items() if k in PUBLIC}
