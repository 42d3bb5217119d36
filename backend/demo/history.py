"""Six months of field work for one demo customer: visits, orders, notes and their history.

Pure generation: rows are built as Piccolo objects but nothing is written here. Each
customer gets its own random stream (seed + code), so adding customers never changes the
history of the others and a second load produces the very same ids.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from backend.demo import names
from backend.demo.bulk import Row, make
from backend.documents.pricing import line_snapshot
from backend.history.tables import HistoryEvent
from backend.orders.tables import Order, OrderLine
from backend.quotes.pricing import LineInput, PricingPolicy, price_document
from backend.visits.core import verify_position
from backend.visits.tables import Visit

TZ = ZoneInfo("Europe/Tallinn")
HISTORY_DAYS = 182
PLAN_AHEAD_DAYS = 14
OUTCOMES = ("ordered", "no_order", "closed", "not_available", "other")
OUTCOME_WEIGHTS = (55, 25, 6, 9, 5)
POLICY = PricingPolicy(currency="EUR")


@dataclass
class Batch:
    """Rows to insert, grouped by table, plus (id, customer) pairs for the change log."""

    visits: list[Row] = field(default_factory=list)
    orders: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class CustomerFacts:
    id: UUID
    code: str
    index: int
    lat: float
    lng: float
    frequency: int
    duration: int
    price_list: UUID
    distributor: UUID | None


@dataclass(frozen=True)
class Context:
    namespace: UUID
    seed: int
    now: datetime
    rep_of: UUID
    distributor_user: UUID | None
    prices: dict[UUID, dict[UUID, Decimal]]  # price list -> product -> price
    products: list[tuple[UUID, str, str, str, Decimal]]  # id, sku, name, unit, tax rate


def _delay(rng: random.Random) -> timedelta:
    """How long after the device captured something the server recorded it."""
    r = rng.random()
    if r < 0.7:
        return timedelta(seconds=rng.randint(1, 60))
    if r < 0.95:
        return timedelta(minutes=rng.randint(1, 60))
    return timedelta(hours=rng.randint(1, 36))  # a day offline


def _offset(
    rng: random.Random, lat: float, lng: float, lo: float, hi: float
) -> tuple[float, float]:
    r = rng.uniform(lo, hi)
    a = rng.random() * 2 * math.pi
    return (
        round(lat + r * math.cos(a) / 111_320.0, 6),
        round(lng + r * math.sin(a) / (111_320.0 * math.cos(math.radians(lat))), 6),
    )


class _Writer:
    def __init__(self, ctx: Context, c: CustomerFacts, batch: Batch) -> None:
        self.ctx, self.c, self.batch = ctx, c, batch
        self.rng = random.Random(f"{ctx.seed}:{c.code}")

    def uid(self, kind: str, key: str) -> UUID:
        return uuid5(self.ctx.namespace, f"{kind}:{self.c.code}:{key}")

    def event(
        self,
        key: str,
        kind: str,
        captured: datetime,
        *,
        ref: UUID | None,
        actor: UUID,
        summary: str,
        data: dict[str, Any],
    ) -> None:
        recorded = min(self.ctx.now, captured + _delay(self.rng))
        self.batch.events.append(
            make(
                HistoryEvent,
                id=self.uid("event", key),
                customer=self.c.id,
                kind=kind,
                ref_id=ref,
                actor=actor,
                summary=summary[:500],
                data=data,
                captured_at=captured,
                recorded_at=recorded,
                created_at=recorded,
                updated_at=recorded,
            )
        )

    def order(
        self,
        key: str,
        when: datetime,
        author: UUID,
        *,
        visit: UUID | None,
        distributor: UUID | None,
        kind: str,
    ) -> None:
        rng = self.rng
        order_id = self.uid("order", key)
        picks = rng.sample(self.ctx.products, rng.randint(2, 8))
        prices = self.ctx.prices[self.c.price_list]
        inputs = [
            LineInput(
                product_id=str(p[0]),
                sku=p[1],
                name=p[2],
                unit=p[3],
                tax_rate=p[4],
                quantity=Decimal(rng.choice((1, 2, 3, 4, 6, 10, 12, 24))),
                unit_price=prices[p[0]],
                discount_pct=Decimal(rng.choice((0, 0, 0, 0, 5, 10))),
            )
            for p in picks
        ]
        doc_pct = Decimal(rng.choice((0, 0, 0, 2, 3)))
        priced = price_document(inputs, document_discount_pct=doc_pct, policy=POLICY)
        number = f"DEMO{self.ctx.seed}-{self.c.index:05d}-{key}"
        age = self.ctx.now - when
        status = (
            "delivered"
            if age > timedelta(days=7)
            else "confirmed"
            if age > timedelta(days=2)
            else "submitted"
        )
        recorded = min(self.ctx.now, when + _delay(rng))
        self.batch.orders.append(
            make(
                Order,
                id=order_id,
                number=number,
                customer=self.c.id,
                author=author,
                distributor=distributor,
                visit=visit,
                price_list=self.c.price_list,
                currency="EUR",
                status=status,
                document_discount_pct=doc_pct,
                subtotal=priced.subtotal,
                discount_total=priced.document_discount_amount,
                tax_total=priced.tax_total,
                total=priced.total,
                captured_at=when,
                created_at=recorded,
                updated_at=recorded,
                delivery_date=when + timedelta(days=2),
            )
        )
        for pos, line in enumerate(priced.lines):
            self.batch.lines.append(
                make(
                    OrderLine,
                    id=str(uuid5(order_id, str(pos))),
                    order=order_id,
                    position=pos,
                    **line_snapshot(line),
                )
            )
        self.event(
            f"order-{key}",
            kind,
            when,
            ref=order_id,
            actor=author,
            summary=f"Order {number}: {priced.total} EUR, {len(priced.lines)} lines",
            data={
                "number": number,
                "total": str(priced.total),
                "lines": len(priced.lines),
                "status": status,
            },
        )

    def visits(self) -> None:
        rng, c, ctx = self.rng, self.c, self.ctx
        today = ctx.now.astimezone(TZ).date()
        day = today - timedelta(days=HISTORY_DAYS - rng.randrange(c.frequency))
        end = today + timedelta(days=PLAN_AHEAD_DAYS)
        k = 0
        while day <= end:
            slot = time(8 + rng.randrange(9), rng.choice((0, 15, 30, 45)))
            start = datetime.combine(day, slot, TZ).astimezone(UTC)
            self.visit(k, start)
            k += 1
            day += timedelta(days=c.frequency + rng.choice((-1, 0, 0, 1)))

    def visit(self, k: int, start: datetime) -> None:
        rng, c, ctx = self.rng, self.c, self.ctx
        vid = self.uid("visit", str(k))
        planned_at = start - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
        # Coming visits were planned in the past too, never by a clock running ahead.
        planned_at = min(planned_at, ctx.now - timedelta(hours=rng.randint(1, 48)))
        v = make(
            Visit,
            id=vid,
            customer=c.id,
            rep=ctx.rep_of,
            planned_start=start,
            planned_duration_min=c.duration,
            created_at=planned_at,
            captured_at=planned_at,
        )
        if start + timedelta(hours=2) > ctx.now:
            v.update(status="planned", updated_at=planned_at)
            self.event(
                f"visit-{k}-plan",
                "visit",
                planned_at,
                ref=vid,
                actor=ctx.rep_of,
                summary="Visit planned",
                data={"step": "planned", "status": "planned"},
            )
            self.batch.visits.append(v)
            return
        fate = rng.random()
        if fate > 0.92:
            status = "skipped" if fate > 0.96 else "cancelled"
            reason = rng.choice(
                (
                    "no time today",
                    "shop closed for renovation",
                    "перенесли на следующую неделю",
                    "klient palus edasi lükata",
                )
            )
            when = start - timedelta(minutes=rng.randint(10, 240))
            v.update(status=status, notes=reason, captured_at=when, updated_at=when)
            self.event(
                f"visit-{k}-close",
                "visit",
                when,
                ref=vid,
                actor=ctx.rep_of,
                summary=f"Visit {status}: {reason}",
                data={
                    "step": "skip" if status == "skipped" else "cancel",
                    "status": status,
                    "reason": reason,
                },
            )
            self.batch.visits.append(v)
            return
        check_in = start + timedelta(minutes=rng.randint(-20, 40))
        position = rng.random()
        if position < 0.05:
            lat = lng = accuracy = None
        elif position < 0.08:
            (lat, lng), accuracy = _offset(rng, c.lat, c.lng, 300, 600), rng.uniform(5, 40)
        else:
            (lat, lng), accuracy = _offset(rng, c.lat, c.lng, 5, 120), rng.uniform(4, 50)
        verification, distance = verify_position(lat, lng, accuracy, c.lat, c.lng)
        check_out = check_in + timedelta(minutes=max(5, c.duration + rng.randint(-10, 15)))
        outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
        note = rng.choice(names.VISIT_NOTES)
        next_action = rng.choice(names.NEXT_ACTIONS) if rng.random() < 0.2 else ""
        out_lat, out_lng = (lat, lng) if lat is not None else (None, None)
        v.update(
            status="done",
            check_in_at=check_in,
            check_out_at=check_out,
            check_in_lat=lat,
            check_in_lng=lng,
            check_in_accuracy_m=accuracy,
            check_in_verification=verification,
            check_in_distance_m=distance,
            check_out_lat=out_lat,
            check_out_lng=out_lng,
            check_out_accuracy_m=accuracy,
            outcome=outcome,
            notes=note,
            next_action=next_action,
            next_action_due=check_out + timedelta(days=7) if next_action else None,
            captured_at=check_out,
            updated_at=check_out + timedelta(minutes=1),
        )
        self.batch.visits.append(v)
        self.event(
            f"visit-{k}-in",
            "visit",
            check_in,
            ref=vid,
            actor=ctx.rep_of,
            summary=f"Checked in ({verification.replace('_', ' ')})",
            data={
                "step": "check_in",
                "status": "checked_in",
                "verification": verification,
                "distance_m": None if distance is None else round(distance),
            },
        )
        self.event(
            f"visit-{k}-out",
            "visit",
            check_out,
            ref=vid,
            actor=ctx.rep_of,
            summary=f"Visit done: {outcome.replace('_', ' ')}",
            data={
                "step": "check_out",
                "status": "done",
                "outcome": outcome,
                "notes": note,
                "next_action": next_action,
            },
        )
        if outcome == "ordered":
            self.order(
                f"{k:03d}",
                check_out - timedelta(minutes=rng.randint(1, 5)),
                ctx.rep_of,
                visit=vid,
                distributor=None,
                kind="order",
            )

    def distributor_orders(self) -> None:
        ctx, rng = self.ctx, self.rng
        if self.c.distributor is None or ctx.distributor_user is None:
            return
        when = ctx.now - timedelta(days=HISTORY_DAYS - rng.randrange(30))
        n = 0
        while when < ctx.now - timedelta(hours=1):
            self.order(
                f"D{n:02d}",
                when,
                ctx.distributor_user,
                visit=None,
                distributor=self.c.distributor,
                kind="distributor_order",
            )
            n += 1
            when += timedelta(days=rng.randint(20, 35), hours=rng.randint(-5, 5))

    def notes(self) -> None:
        ctx, rng = self.ctx, self.rng
        if rng.random() > 0.4:
            return
        for n in range(rng.randint(1, 3)):
            when = ctx.now - timedelta(days=rng.uniform(1, HISTORY_DAYS))
            text = rng.choice(names.NOTES)
            self.event(
                f"note-{n}",
                "note",
                when,
                ref=None,
                actor=ctx.rep_of,
                summary=text,
                data={"text": text},
            )


def generate(ctx: Context, customer: CustomerFacts, batch: Batch) -> None:
    """Append one customer's six months of work to the batch."""
    w = _Writer(ctx, customer, batch)
    w.visits()
    w.distributor_orders()
    w.notes()
