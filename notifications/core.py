"""Pure rules of notifications: user preferences, message shape per kind, offer texts."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notifications.payload import PushAction, PushNotification
from notifications.quiet_hours import QuietHours
from notifications.webpush import Urgency

DAY = 24 * 3600
# How long a push service should keep a message for an offline device, per kind: a visit
# reminder is useless once the visit started; an offer lasts a few days.
TTL_SECONDS: dict[str, int] = {
    "visit_soon": 3600,
    "day_plan": 6 * 3600,
    "follow_up": DAY,
    "overdue_customers": DAY,
    "order_status": 2 * DAY,
    "missed_visits": DAY,
    "offer": 3 * DAY,
}
URGENCY: dict[str, Urgency] = {
    "visit_soon": Urgency.HIGH,
    "offer": Urgency.LOW,
}
ACTION_TITLES: dict[str, tuple[str, str]] = {
    "visit_soon": ("open-visit", "Open the visit"),
    "follow_up": ("open-visit", "Open the visit"),
    "offer": ("open-offer", "Open the offer"),
    "order_status": ("open-order", "Open the order"),
}


def zone_of(name: str | None) -> ZoneInfo:
    """The user's time zone, or UTC when the stored name is unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_hours_of(time_zone: str | None, preferences: dict[str, Any]) -> QuietHours | None:
    """Quiet hours from user preferences `{"quiet_hours": {"start": "22:00", "end": "07:00"}}`."""
    window = preferences.get("quiet_hours") if isinstance(preferences, dict) else None
    if not isinstance(window, dict) or not window.get("start") or not window.get("end"):
        return None
    try:
        start, end = (
            time.fromisoformat(str(window["start"])),
            time.fromisoformat(str(window["end"])),
        )
    except ValueError:
        return None  # a malformed preference must not stop delivery
    return QuietHours(start, end, zone_of(time_zone))


def lead_minutes_of(preferences: dict[str, Any], default: int) -> int:
    """Minutes before a visit at which its reminder goes out (per user, else the default)."""
    value = preferences.get("reminder_lead_minutes") if isinstance(preferences, dict) else None
    if isinstance(value, int) and 0 < value <= 24 * 60:
        return value
    return default


def wants(preferences: dict[str, Any], kind: str) -> bool:
    """False when the user switched this kind of reminder off (`{"reminders": {kind: false}}`)."""
    switches = preferences.get("reminders") if isinstance(preferences, dict) else None
    return not (isinstance(switches, dict) and switches.get(kind) is False)


def offers_opted_in(preferences: dict[str, Any]) -> bool:
    return isinstance(preferences, dict) and preferences.get("offers_opt_in") is True


def push_message(
    notification_id: UUID, kind: str, title: str, body: str, url: str, data: dict[str, Any]
) -> PushNotification:
    """What the service worker shows for one inbox entry, with the action that fits its kind."""
    actions = []
    if kind in ACTION_TITLES:
        action, label = ACTION_TITLES[kind]
        actions.append(PushAction(action=action, title=label, url=url))
    image = data.get("image_url") if isinstance(data, dict) else None
    return PushNotification(
        notification_id=str(notification_id),
        title=title,
        body=body,
        url=url,
        tag=f"{kind}-{notification_id.hex[:12]}",
        actions=actions,
        icon="/icons/icon-192.png",
        image=image or None,
    )


def topic_of(notification_id: UUID) -> str:
    """The Topic header: a repeat of the same notification replaces the undelivered one."""
    return notification_id.hex  # 32 characters of [0-9a-f], within the 32-char limit


def offer_body(
    text: str, price: Decimal | None, discount_pct: Decimal | None, currency: str
) -> str:
    """The notification text of an offer: its text plus the price or discount."""
    extra = ""
    if price is not None:
        extra = f"{price.quantize(Decimal('0.01'))} {currency}"
    elif discount_pct is not None:
        extra = f"-{discount_pct.normalize():f}%"
    return f"{text} ({extra})" if extra and text else (text or extra)


def utcnow() -> datetime:
    return datetime.now(UTC)


def offer_words(
    locale: str | None,
    language: str,
    title: str,
    text: str,
    texts: dict[str, dict[str, str]],
) -> tuple[str, str]:
    """Title and text of an offer for a reader: their locale's language when the offer has it,
    else the offer's own language (`title`/`text`)."""
    lang = (locale or "").split("-")[0].lower()
    words = texts.get(lang) if lang != language else None
    if isinstance(words, dict) and words.get("title"):
        return str(words["title"]), str(words.get("text") or "")
    return title, text
