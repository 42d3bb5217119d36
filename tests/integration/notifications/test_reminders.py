"""Reminder rules on the database: what each produces, in the user's time zone, and only once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from backend.accounts.tables import User
from backend.customers.tables import Customer
from backend.settings import get_settings
from backend.visits.tables import Visit
from notifications.reminders import run_reminders
from notifications.tables import Notification
from tests.factories import make_customer, make_region, make_territory, make_user

SETTINGS = replace(get_settings(), reminder_lead_minutes=30, reminder_plan_hour=7)
# 08:00 in Tallinn (UTC+2 in November).
MORNING = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


async def _visit(customer, rep, start, **extra):  # type: ignore[no-untyped-def]
    vid = uuid4()
    await Visit.insert(Visit(id=vid, customer=customer, rep=rep, planned_start=start, **extra))
    return vid


async def _inbox(user) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = (
        await Notification.select(Notification.kind, Notification.title)
        .where(Notification.user == user)
        .order_by(Notification.kind)
    )
    return [(r["kind"], r["title"]) for r in rows]


async def _world():  # type: ignore[no-untyped-def]
    region = await make_region()
    territory = await make_territory(region)
    rep = await make_user("rep", region=region, territories=[territory])
    manager = await make_user("manager", region=region)
    shop = await make_customer(territory=territory, name="Kohvik Õun")
    return region, territory, rep, manager, shop


async def test_visit_reminder_uses_each_reps_lead_time_once(db):
    region, territory, rep, _manager, shop = await _world()
    eager = await make_user("rep", region=region, territories=[territory])
    await User.update({User.preferences: {"reminder_lead_minutes": 90}}).where(User.id == eager)
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    await _visit(shop, rep, now + timedelta(minutes=60))  # outside the default 30 min
    soon = await _visit(shop, rep, now + timedelta(minutes=25))
    await _visit(shop, eager, now + timedelta(minutes=60))  # inside 90 min
    await _visit(shop, rep, now + timedelta(minutes=10), status="cancelled")
    await run_reminders(SETTINGS, now)
    await run_reminders(SETTINGS, now + timedelta(seconds=30))  # again: nothing new
    assert await _inbox(rep) == [("visit_soon", "Visit at 14:25: Kohvik Õun")]
    assert await _inbox(eager) == [("visit_soon", "Visit at 15:00: Kohvik Õun")]
    row = await Notification.select(Notification.url).where(Notification.user == rep).first()
    assert row["url"] == f"/#/visit/{shop}/{soon}"
    # Rescheduled to a new time: a new reminder for the new time.
    await Visit.update({Visit.planned_start: now + timedelta(minutes=40)}).where(Visit.id == soon)
    await run_reminders(SETTINGS, now + timedelta(minutes=15))
    assert len(await _inbox(rep)) == 2


async def test_morning_plan_and_overdue_digest_in_local_time(db):
    _region, territory, rep, _manager, shop = await _world()
    await Customer.update(
        {Customer.visit_frequency_days: 14, Customer.last_visit_at: MORNING - timedelta(days=20)}
    ).where(Customer.id == shop)
    fresh = await make_customer(
        territory=territory, visit_frequency_days=14, last_visit_at=MORNING - timedelta(days=2)
    )
    await _visit(shop, rep, MORNING + timedelta(hours=3))
    await _visit(fresh, rep, MORNING + timedelta(hours=5))
    await _visit(shop, rep, MORNING + timedelta(days=1))  # tomorrow: not in today's plan
    await run_reminders(SETTINGS, MORNING - timedelta(hours=2))  # 06:00 local: too early
    assert await _inbox(rep) == []
    await run_reminders(SETTINGS, MORNING)
    await run_reminders(SETTINGS, MORNING + timedelta(hours=1))
    assert await _inbox(rep) == [
        ("day_plan", "Today's plan: 2 visits"),
        ("overdue_customers", "1 customer is overdue for a visit"),
    ]


async def test_follow_ups_and_switching_a_kind_off(db):
    region, territory, rep, _manager, shop = await _world()
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    await _visit(
        shop,
        rep,
        now - timedelta(days=2),
        status="done",
        next_action="Send samples",
        next_action_due=now - timedelta(minutes=5),
    )
    await _visit(
        shop,
        rep,
        now - timedelta(days=2),
        status="done",
        next_action="Later",
        next_action_due=now + timedelta(days=1),
    )
    await run_reminders(SETTINGS, now)
    assert await _inbox(rep) == [("follow_up", "Follow-up due: Kohvik Õun")]
    other = await make_user("rep", region=region, territories=[territory])
    await User.update({User.preferences: {"reminders": {"follow_up": False}}}).where(
        User.id == other
    )
    await _visit(
        shop,
        other,
        now - timedelta(days=1),
        status="done",
        next_action="Call",
        next_action_due=now - timedelta(minutes=1),
    )
    await run_reminders(SETTINGS, now)
    assert await _inbox(other) == []


async def test_manager_hears_of_missed_visits_in_the_evening(db):
    _region, _territory, rep, manager, shop = await _world()
    evening = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 20:30 in Tallinn
    await _visit(shop, rep, evening - timedelta(hours=8))  # never checked in
    await _visit(shop, rep, evening - timedelta(hours=6), status="done")
    await run_reminders(SETTINGS, evening - timedelta(hours=3))
    assert await _inbox(manager) == []
    await run_reminders(SETTINGS, evening)
    await run_reminders(SETTINGS, evening + timedelta(minutes=30))
    assert await _inbox(manager) == [("missed_visits", "1 planned visit was missed today")]


async def test_reminders_are_written_in_each_users_language(db):
    _region, _territory, rep, _manager, shop = await _world()
    await User.update({User.locale: "ru"}).where(User.id == rep)
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    await _visit(
        shop,
        rep,
        now - timedelta(days=2),
        status="done",
        next_action="Привезти образцы",
        next_action_due=now - timedelta(minutes=5),
    )
    await run_reminders(SETTINGS, now)
    assert await _inbox(rep) == [("follow_up", "Пора вернуться: Kohvik Õun")]
    body = await Notification.select(Notification.body).where(Notification.user == rep).first()
    assert body is not None and body["body"] == "Привезти образцы"
