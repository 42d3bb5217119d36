"""The server's text catalogue: each template in four languages, filled with the same values."""

from __future__ import annotations

import re

import pytest

from backend.errors import PROBLEM_TYPES, problem_body
from backend.texts import (
    LANGUAGES,
    TEMPLATES,
    TITLES,
    from_accept_language,
    language,
    localise,
    localise_problem,
    opening_hours_text,
    weekday_name,
)
from notifications.texts import count_text, reminder_text

SLOT = re.compile(r"\{(?:w:)?(\w+)\}")


def test_every_template_has_three_translations_with_the_same_placeholders():
    for english, texts in TEMPLATES:
        want = set(SLOT.findall(english))
        assert len(texts) == 3, english
        for text in texts:
            assert set(re.findall(r"\{(\w+)\}", text)) == want, (english, text)
            assert text != english


def test_every_problem_title_is_translated():
    assert set(PROBLEM_TYPES) <= set(TITLES)


@pytest.mark.parametrize(
    ("text", "locale", "want"),
    [
        ("Order 01-5: submitted → confirmed", "ru", "Заказ 01-5: отправлен → подтверждён"),
        ("Order 01-5: 12.30 EUR", "uk-UA", "Замовлення 01-5: 12.30 EUR"),
        (
            "Order 01-5: 12.30 EUR (discounts await approval)",
            "et",
            "Tellimus 01-5: 12.30 EUR (allahindlused ootavad kinnitust)",
        ),
        ("Checked in (too far)", "et", "Saabumine registreeritud (liiga kaugel)"),
        ("Visit done: no_order", "ru", "Визит завершён: без заказа"),
        ("Quote 02-Q3: sent → accepted", "uk", "Пропозиція 02-Q3: надіслано → прийнято"),
        (
            "The mutation was refused: a number or date is out of range.",
            "et",
            "Muudatus lükati tagasi: arv või kuupäev on lubatud vahemikust väljas.",
        ),
        ("Visit planned", "en", "Visit planned"),
        ("Bring the samples on Friday", "ru", "Bring the samples on Friday"),  # typed: as is
        ("Visit planned", "de", "Visit planned"),  # not one of ours: English
    ],
)
def test_localise(text, locale, want):
    assert localise(text, locale) == want


def test_problem_details_keep_slug_status_and_field_names():
    _, body = problem_body("not-found", "No such row.", errors=[])
    ru = localise_problem(body, "ru")
    assert (ru["title"], ru["detail"], ru["status"], ru["type"]) == (
        "Не найдено",
        "Такой записи нет.",
        404,
        body["type"],
    )
    assert localise_problem(body, "en") == body


def test_languages_from_locales_and_accept_language():
    assert [language(x) for x in ("ru-RU", "uk_UA", "ET", None, "fr")] == [
        "ru",
        "uk",
        "et",
        "en",
        "en",
    ]
    assert from_accept_language("de-DE, ru;q=0.8, en;q=0.5") == "ru"
    assert from_accept_language("en;q=0.2, et;q=0.9") == "et"
    assert from_accept_language("fr, de") is None
    assert from_accept_language(None) is None


def test_weekday_names_and_opening_hours():
    assert [weekday_name("mon", lang) for lang in LANGUAGES] == ["Mon", "Пн", "Пн", "E"]
    assert weekday_name("sunday", "uk") == "Нд"
    hours = {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "sun": []}
    assert opening_hours_text(hours, "ru") == "Пн 08:00–12:00, 13:00–17:00; Вс закрыто"
    assert opening_hours_text(hours, "et") == "E 08:00–12:00, 13:00–17:00; P suletud"


@pytest.mark.parametrize(
    ("locale", "n", "want"),
    [
        ("en", 1, "1 visit"),
        ("en", 2, "2 visits"),
        ("ru", 1, "1 визит"),
        ("ru", 3, "3 визита"),
        ("ru", 5, "5 визитов"),
        ("ru", 11, "11 визитов"),
        ("ru", 21, "21 визит"),
        ("uk", 22, "22 візити"),
        ("uk", 14, "14 візитів"),
        ("et", 1, "1 külastus"),
        ("et", 7, "7 külastust"),
    ],
)
def test_counts_take_each_languages_plural(locale, n, want):
    assert count_text(locale, "visits", n) == want


def test_reminders_in_each_language():
    assert reminder_text("ru", "day_plan", visits=5, first="08:30") == (
        "План на сегодня: 5 визитов",
        "Первый визит в 08:30",
    )
    assert reminder_text("en", "overdue_customers", customers=1)[0] == (
        "1 customer is overdue for a visit"
    )
    assert reminder_text("et", "follow_up", customer="Kohvik", action="Helista")[0] == (
        "Järeltegevuse aeg: Kohvik"
    )
    assert reminder_text("uk", "missed_visits", missed=2)[0] == "Пропущено сьогодні: 2 візити"


@pytest.mark.parametrize(
    ("english", "locale", "expected"),
    [
        ("Order 01-7 changed: 12.00 EUR", "ru", "Заказ 01-7 изменён: 12.00 EUR"),
        ("Changed: phone, email", "et", "Muudetud: telefon, e-post"),
        ("Changed: visit frequency, x_new", "uk", "Змінено: частота візитів, x_new"),
        ("Changed: postal_code", "ru", "Изменено: почтовый индекс"),  # stored before naming
        ("Prospect created: Kohvik Õun", "uk", "Новий потенційний клієнт: Kohvik Õun"),
        ("Photo", "ru", "Фото"),
        ("Reminder sent: call back", "et", "Saadetud meeldetuletus: call back"),
        (
            "Checked in (too far): poor GPS signal (tunnel)",
            "uk",
            "Відмітка на місці (надто далеко): поганий сигнал GPS (tunnel)",
        ),
    ],
)
def test_this_sessions_history_summaries_read_in_the_readers_language(
    english: str, locale: str, expected: str
) -> None:
    # Records, photos, reminders and edits added this session write these summaries.
    assert localise(english, locale) == expected
