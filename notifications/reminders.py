"""Reminder rules, run periodically inside the worker; idempotency keys stop any repeat.

Every rule derives a key from what it reminds of (the visit and its time, the user and their
local date), so running the rules again, or in several workers at once, adds nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

import structlog

from backend.accounts.tables import RepTerritory, User
from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.history.recorder import record_event
from backend.principal import Role
from backend.settings import Settings
from backend.visits.tables import Visit
from notifications.core import lead_minutes_of, wants, zone_of
from notifications.outbox import enqueue_notification
from notifications.quiet_hours import wall_clock_to_utc
from notifications.texts import order_status_text, reminder_text, reorder_text

log = structlog.get_logger(__name__)
MAX_LEAD = timedelta(hours=3)
FOLLOW_UP_LOOKBACK = timedelta(days=7)
MORNING_UNTIL = 12  # the plan and overdue digests go out between plan_hour and noon
EVENING_FROM = 20  # managers hear of missed visits from 20:00 local time


def _prefs(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return value if isinstance(value, dict) else {}


async def _users(role: str) -> list[dict[str, Any]]:
    rows = await User.select(
        User.id, User.time_zone, User.preferences, User.region, User.locale
    ).where((User.role == role) & User.active.eq(True) & User.deleted_at.is_null())
    return [{**r, "preferences": _prefs(r["preferences"])} for r in rows]


def _visit_url(row: dict[str, Any]) -> str:
    """The PWA's visit screen (hash routes: #/visit/<customer>/<visit>)."""
    return f"/#/visit/{row['customer']}/{row['id']}"


def _local_day(now: datetime, zone_name: str) -> tuple[date, int, datetime, datetime]:
    """(local date, local hour, day start UTC, day end UTC) for a user's time zone."""
    zone = zone_of(zone_name)
    local = now.astimezone(zone)
    start = wall_clock_to_utc(local.date(), time(0), zone)
    end = wall_clock_to_utc(local.date() + timedelta(days=1), time(0), zone)
    return local.date(), local.hour, start, end


async def _notify(
    user_id: UUID, kind: str, title: str, body: str, url: str, key: str, now: datetime, **data: Any
) -> bool:
    async with write_transaction():
        return (
            await enqueue_notification(user_id, kind, title, body, url, key, now, data) is not None
        )


async def visits_coming_up(settings: Settings, now: datetime) -> int:
    """A visit starts within the rep's lead time (default 30 min)."""
    rows = await Visit.select(
        Visit.id,
        Visit.rep,
        Visit.planned_start,
        Visit.customer,
        Visit.customer.name.as_alias("customer_name"),
        Visit.rep.time_zone.as_alias("tz"),
        Visit.rep.preferences.as_alias("prefs"),
        Visit.rep.locale.as_alias("locale"),
    ).where(
        (Visit.status == "planned")
        & Visit.deleted_at.is_null()
        & (Visit.planned_start > now)
        & (Visit.planned_start <= now + MAX_LEAD)
    )
    made = 0
    for r in rows:
        prefs = _prefs(r["prefs"])
        lead = timedelta(minutes=min(lead_minutes_of(prefs, settings.reminder_lead_minutes), 180))
        if r["planned_start"] - lead > now or not wants(prefs, "visit_soon"):
            continue
        at = r["planned_start"].astimezone(zone_of(r["tz"])).strftime("%H:%M")
        key = f"visit_soon:{r['id']}:{r['planned_start'].isoformat()}"
        title, body = reminder_text(
            r["locale"],
            "visit_soon",
            at=at,
            customer=r["customer_name"],
            minutes=int((r["planned_start"] - now).total_seconds() // 60),
        )
        made += await _notify(
            r["rep"],
            "visit_soon",
            title,
            body,
            _visit_url(r),
            key,
            now,
            visit_id=str(r["id"]),
        )
    return made


async def morning_digests(settings: Settings, now: datetime) -> int:
    """The day's plan is ready, and customers overdue for a visit: once per rep per local day."""
    reps = []
    for rep in await _users("rep"):
        day, hour, start, end = _local_day(now, rep["time_zone"])
        if settings.reminder_plan_hour <= hour < MORNING_UNTIL:
            reps.append((rep, day, start, end))
    if not reps:
        return 0
    made = 0
    ids = [r[0]["id"] for r in reps]
    earliest, latest = min(r[2] for r in reps), max(r[3] for r in reps)
    visits = await Visit.select(Visit.rep, Visit.planned_start).where(
        Visit.rep.is_in(ids)
        & (Visit.status == "planned")
        & Visit.deleted_at.is_null()
        & (Visit.planned_start >= earliest)
        & (Visit.planned_start < latest)
    )
    territories: dict[UUID, set[UUID]] = defaultdict(set)
    for link in await RepTerritory.select().where(RepTerritory.user.is_in(ids)):
        territories[link["user"]].add(link["territory"])
    customers = await Customer.select(
        Customer.territory, Customer.last_visit_at, Customer.visit_frequency_days
    ).where((Customer.visit_frequency_days > 0) & Customer.deleted_at.is_null())
    for rep, day, start, end in reps:
        zone, prefs = zone_of(rep["time_zone"]), rep["preferences"]
        today = sorted(
            v["planned_start"]
            for v in visits
            if v["rep"] == rep["id"] and start <= v["planned_start"] < end
        )
        if today and wants(prefs, "day_plan"):
            first = today[0].astimezone(zone).strftime("%H:%M")
            title, body = reminder_text(rep["locale"], "day_plan", visits=len(today), first=first)
            made += await _notify(
                rep["id"],
                "day_plan",
                title,
                body,
                "/#/today",
                f"day_plan:{rep['id']}:{day}",
                now,
                date=str(day),
            )
        overdue = sum(
            1
            for c in customers
            if c["territory"] in territories[rep["id"]]
            and (
                c["last_visit_at"] is None
                or c["last_visit_at"] + timedelta(days=c["visit_frequency_days"]) < now
            )
        )
        if overdue and wants(prefs, "overdue_customers"):
            title, body = reminder_text(rep["locale"], "overdue_customers", customers=overdue)
            made += await _notify(
                rep["id"],
                "overdue_customers",
                title,
                body,
                "/#/customers",
                f"overdue:{rep['id']}:{day}",
                now,
                count=overdue,
            )
    return made


async def follow_ups_due(settings: Settings, now: datetime) -> int:
    """A visit's next action fell due."""
    rows = await Visit.select(
        Visit.id,
        Visit.rep,
        Visit.customer,
        Visit.next_action,
        Visit.next_action_due,
        Visit.customer.name.as_alias("customer_name"),
        Visit.rep.preferences.as_alias("prefs"),
        Visit.rep.locale.as_alias("locale"),
    ).where(
        Visit.deleted_at.is_null()
        & (Visit.next_action != "")
        & (Visit.next_action_due <= now)
        & (Visit.next_action_due > now - FOLLOW_UP_LOOKBACK)
    )
    made = 0
    for r in rows:
        if not wants(_prefs(r["prefs"]), "follow_up"):
            continue
        key = f"follow_up:{r['id']}:{r['next_action_due'].isoformat()}"
        title, body = reminder_text(
            r["locale"], "follow_up", customer=r["customer_name"], action=r["next_action"]
        )
        async with write_transaction():
            nid = await enqueue_notification(
                r["rep"],
                "follow_up",
                title,
                body,
                _visit_url(r),
                key,
                now,
                {"visit_id": str(r["id"])},
            )
            if nid is None:
                continue
            # The system reminded the rep: no user did it (actor role "system").
            await record_event(
                r["customer"],
                "reminder",
                ref_id=r["id"],
                summary=f"Reminder sent: {r['next_action']}"[:500],
                data={"notification_id": str(nid), "kind": "follow_up", "rep_id": str(r["rep"])},
                captured_at=now,
            )
        made += 1
    return made


async def missed_visits(settings: Settings, now: datetime) -> int:
    """Managers, in the evening: planned visits of their region nobody checked in to today."""
    made = 0
    for manager in await _users("manager"):
        day, hour, start, end = _local_day(now, manager["time_zone"])
        if hour < EVENING_FROM or manager["region"] is None:
            continue
        missed = await Visit.count().where(
            (Visit.status == "planned")
            & Visit.deleted_at.is_null()
            & (Visit.planned_start >= start)
            & (Visit.planned_start < min(end, now))
            & (Visit.customer.region == manager["region"])
        )
        if missed and wants(manager["preferences"], "missed_visits"):
            title, body = reminder_text(manager["locale"], "missed_visits", missed=missed)
            made += await _notify(
                manager["id"],
                "missed_visits",
                title,
                body,
                "/#/today",
                f"missed:{manager['id']}:{day}",
                now,
                count=missed,
            )
    return made


async def order_status_changed(
    order_id: UUID,
    customer_id: UUID,
    number: str,
    old: str,
    new: str,
    *,
    author_id: UUID | None = None,
    actor_id: UUID | None = None,
) -> None:
    """Hook for the orders service, inside its transaction: tell the author and the customer."""
    live = User.active.eq(True) & User.deleted_at.is_null()
    who: Any = (User.role == Role.CUSTOMER) & (User.customer == customer_id)
    if author_id is not None:
        who = who | (User.id == author_id)
    users = await User.select(User.id, User.role, User.locale).where(live & who)
    for user in users:
        if user["id"] == actor_id:
            continue  # whoever made the change knows already
        title, body = order_status_text(user["locale"], number, old, new)
        # Each app opens the order on its own screen: customers in their own view.
        url = (
            f"/#/my/order/{order_id}"
            if user["role"] == "customer"
            else f"/#/order/{customer_id}/{order_id}"
        )
        await enqueue_notification(
            user["id"],
            "order_status",
            title,
            body,
            url,
            f"order_status:{order_id}:{new}:{user['id']}",
            data={"order_id": str(order_id), "status": new},
            customer_id=customer_id,
        )


RULES = (visits_coming_up, morning_digests, follow_ups_due, missed_visits)


async def run_reminders(settings: Settings, now: datetime) -> int:
    """Run every rule once; a failing rule is logged and does not stop the others."""
    made = 0
    for rule in RULES:
        try:
            made += await rule(settings, now)
        except Exception:
            log.exception("reminders.rule_failed", rule=rule.__name__)
    if made:
        log.info("reminders.enqueued", count=made)
    return made


async def reorder_requested(
    order_id: UUID, customer_id: UUID, shop: str, number: str, lines: int, author_id: UUID
) -> None:
    """Hook for the orders service: ask whoever took the order to confirm it again."""
    author = await User.select(User.id, User.locale).where(
        (User.id == author_id) & User.active.eq(True) & User.deleted_at.is_null()
    )
    for user in author:
        title, body = reorder_text(user["locale"], shop, number, lines)
        await enqueue_notification(
            user["id"],
            "reorder_request",
            title,
            body,
            f"/#/order/{customer_id}/{order_id}",
            f"reorder:{order_id}:{datetime.now(UTC).date().isoformat()}:{user['id']}",
            data={"order_id": str(order_id)},
            customer_id=customer_id,
        )
