"""Texts of the notifications the server writes itself, in the recipient's language.

Offers carry the text their author wrote; order status changes are worded here, in the
four languages of the app (en, ru, uk, et), English for any other locale.
"""

from __future__ import annotations

from typing import Any

STATUS_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "submitted": "submitted",
        "confirmed": "confirmed",
        "shipped": "shipped",
        "delivered": "delivered",
        "cancelled": "cancelled",
    },
    "ru": {
        "submitted": "отправлен",
        "confirmed": "подтверждён",
        "shipped": "отгружен",
        "delivered": "доставлен",
        "cancelled": "отменён",
    },
    "uk": {
        "submitted": "надіслано",
        "confirmed": "підтверджено",
        "shipped": "відвантажено",
        "delivered": "доставлено",
        "cancelled": "скасовано",
    },
    "et": {
        "submitted": "esitatud",
        "confirmed": "kinnitatud",
        "shipped": "teele saadetud",
        "delivered": "kohale toimetatud",
        "cancelled": "tühistatud",
    },
}

_ORDER_STATUS = {
    "en": ("Order {number}: {new}", "It was {old}."),
    "ru": ("Заказ {number}: {new}", "Был: {old}."),
    "uk": ("Замовлення {number}: {new}", "Було: {old}."),
    "et": ("Tellimus {number}: {new}", "Enne: {old}."),
}


def language(locale: str | None) -> str:
    """The app language of a locale such as "ru-RU"; English when it has none of ours."""
    short = (locale or "en").split("-")[0].lower()
    return short if short in _ORDER_STATUS else "en"


def order_status_text(locale: str | None, number: str, old: str, new: str) -> tuple[str, str]:
    """Title and body of the push telling someone an order moved from `old` to `new`."""
    lang = language(locale)
    words = STATUS_WORDS[lang]
    title, body = _ORDER_STATUS[lang]
    return (
        title.format(number=number, new=words.get(new, new)),
        body.format(old=words.get(old, old)),
    )


_REORDER = {
    "en": ("{shop} asks to order again", "Order {number}, {lines} line(s): open it to confirm."),
    "ru": (
        "{shop} просит повторить заказ",
        "Заказ {number}, строк: {lines}. Откройте, чтобы подтвердить.",
    ),
    "uk": (
        "{shop} просить повторити замовлення",
        "Замовлення {number}, рядків: {lines}. Відкрийте, щоб підтвердити.",
    ),
    "et": (
        "{shop} soovib uuesti tellida",
        "Tellimus {number}, ridu: {lines}. Avage, et kinnitada.",
    ),
}


def reorder_text(locale: str | None, shop: str, number: str, lines: int) -> tuple[str, str]:
    """Title and body of the push asking a rep or distributor to confirm a customer's reorder."""
    title, body = _REORDER[language(locale)]
    return title.format(shop=shop), body.format(number=number, lines=lines)


def _plural(lang: str, n: int, forms: dict[str, str]) -> str:
    """The CLDR plural form of n (one/few/many/other) for ru and uk, one/other for en and et."""
    if lang in ("ru", "uk"):
        if n % 10 == 1 and n % 100 != 11:
            key = "one"
        elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            key = "few"
        else:
            key = "many"
    else:
        key = "one" if n == 1 else "other"
    return forms.get(key, forms["other"]).format(n=n)


# kind -> lang -> (title, body). {n} counts go through _PLURALS by the key after "n:".
_REMINDERS: dict[str, dict[str, tuple[str, str]]] = {
    "visit_soon": {
        "en": ("Visit at {at}: {customer}", "Starts in {minutes} min"),
        "ru": ("Визит в {at}: {customer}", "Начало через {minutes} мин"),
        "uk": ("Візит о {at}: {customer}", "Початок через {minutes} хв"),
        "et": ("Külastus kell {at}: {customer}", "Algab {minutes} min pärast"),
    },
    "day_plan": {
        "en": ("Today's plan: {visits}", "First visit at {first}"),
        "ru": ("План на сегодня: {visits}", "Первый визит в {first}"),
        "uk": ("План на сьогодні: {visits}", "Перший візит о {first}"),
        "et": ("Tänane plaan: {visits}", "Esimene külastus kell {first}"),
    },
    "overdue_customers": {
        "en": ("{customers} overdue for a visit", "Plan them into the coming days"),
        "ru": ("Пора посетить: {customers}", "Запланируйте их на ближайшие дни"),
        "uk": ("Час відвідати: {customers}", "Заплануйте їх на найближчі дні"),
        "et": ("Külastus üle tähtaja: {customers}", "Planeerige need lähipäevadesse"),
    },
    "follow_up": {
        "en": ("Follow-up due: {customer}", "{action}"),
        "ru": ("Пора вернуться: {customer}", "{action}"),
        "uk": ("Час повернутися: {customer}", "{action}"),
        "et": ("Järeltegevuse aeg: {customer}", "{action}"),
    },
    "missed_visits": {
        "en": ("{missed} missed today", "Nobody checked in to them"),
        "ru": ("Пропущено сегодня: {missed}", "Никто не отметился на них"),
        "uk": ("Пропущено сьогодні: {missed}", "Ніхто не відмітився на них"),
        "et": ("Täna vahele jäänud: {missed}", "Keegi ei registreerinud neil saabumist"),
    },
}

_COUNTS: dict[str, dict[str, dict[str, str]]] = {
    "visits": {
        "en": {"one": "{n} visit", "other": "{n} visits"},
        "ru": {
            "one": "{n} визит",
            "few": "{n} визита",
            "many": "{n} визитов",
            "other": "{n} визита",
        },
        "uk": {
            "one": "{n} візит",
            "few": "{n} візити",
            "many": "{n} візитів",
            "other": "{n} візиту",
        },
        "et": {"one": "{n} külastus", "other": "{n} külastust"},
    },
    "missed": {
        "en": {"one": "{n} planned visit was", "other": "{n} planned visits were"},
        "ru": {
            "one": "{n} визит",
            "few": "{n} визита",
            "many": "{n} визитов",
            "other": "{n} визита",
        },
        "uk": {
            "one": "{n} візит",
            "few": "{n} візити",
            "many": "{n} візитів",
            "other": "{n} візиту",
        },
        "et": {"one": "{n} külastus", "other": "{n} külastust"},
    },
    "customers": {
        "en": {"one": "{n} customer is", "other": "{n} customers are"},
        "ru": {
            "one": "{n} клиент",
            "few": "{n} клиента",
            "many": "{n} клиентов",
            "other": "{n} клиента",
        },
        "uk": {
            "one": "{n} клієнт",
            "few": "{n} клієнти",
            "many": "{n} клієнтів",
            "other": "{n} клієнта",
        },
        "et": {"one": "{n} klient", "other": "{n} klienti"},
    },
}


def count_text(locale: str | None, what: str, n: int) -> str:
    """ "3 visits", "5 визитов", "2 клієнти", "1 külastus": a count in the reader's words."""
    lang = language(locale)
    return _plural(lang, n, _COUNTS[what][lang])


def reminder_text(locale: str | None, kind: str, **values: Any) -> tuple[str, str]:
    """Title and body of a reminder push in the recipient's language.

    Counts are passed as ints under "visits" or "customers" and worded with their plural.
    """
    lang = language(locale)
    filled = {
        k: count_text(lang, k, v) if k in _COUNTS and isinstance(v, int) else v
        for k, v in values.items()
    }
    title, body = _REMINDERS[kind][lang]
    return title.format(**filled), body.format(**filled)
