"""Wire contract of GET /api/reports/plan-vs-actual (terms defined in docs/reports.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

import msgspec


class Figures(msgspec.Struct, kw_only=True):
    """What happened in one period (or all of them): visits, check-ins, sales, distance."""

    planned: int = 0
    done: int = 0
    missed: int = 0
    unplanned: int = 0
    checkins: int = 0
    verified_checkins: int = 0
    orders: int = 0
    orders_value: Decimal = Decimal("0.00")
    quotes_sent: int = 0
    quotes_accepted: int = 0
    # Kilometres; None when not known (no route planned / no check-in with a position).
    planned_km: float | None = None
    driven_km: float | None = None


class PlanActualItem(Figures, kw_only=True):
    rep_id: UUID
    rep_name: str
    # The day, or the Monday of the ISO week.
    period: date


class PlanActualRead(msgspec.Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    group: Literal["day", "week"]
    items: list[PlanActualItem]
    totals: Figures
