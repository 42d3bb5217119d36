"""The catalogue of texts the server writes for people, in en, ru, uk and et.

The server stores and logs its texts in English (one canonical form, searchable, stable for
tests); a reader gets them in their language at the edge: history summaries, sync rejection
reasons and problem details are matched against the English templates below and rewritten
with the same values. A text with no template (a note someone typed) is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

LANGUAGES = ("en", "ru", "uk", "et")


def language(locale: str | None) -> str:
    """The app language of a locale such as "ru-RU" or "uk_UA"; English when it has none of ours."""
    short = re.split(r"[-_]", (locale or "en").strip())[0].lower()
    return short if short in LANGUAGES else "en"


def from_accept_language(header: str | None) -> str | None:
    """The first of our languages in an Accept-Language header, by its q order; else None."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        short = re.split(r"[-_]", tag.strip())[0].lower()
        if short in LANGUAGES and q > 0:
            ranked.append((-q, i, short))
    return min(ranked)[2] if ranked else None


# Words that appear inside templates: statuses, outcomes, verifications, decisions.
WORDS: dict[str, dict[str, str]] = {
    "submitted": {"ru": "отправлен", "uk": "надіслано", "et": "esitatud"},
    "confirmed": {"ru": "подтверждён", "uk": "підтверджено", "et": "kinnitatud"},
    "shipped": {"ru": "отгружен", "uk": "відвантажено", "et": "teele saadetud"},
    "delivered": {"ru": "доставлен", "uk": "доставлено", "et": "kohale toimetatud"},
    "cancelled": {"ru": "отменён", "uk": "скасовано", "et": "tühistatud"},
    "missed": {"ru": "пропущен", "uk": "пропущено", "et": "vahele jäänud"},
    "draft": {"ru": "черновик", "uk": "чернетка", "et": "mustand"},
    "sent": {"ru": "отправлено", "uk": "надіслано", "et": "saadetud"},
    "accepted": {"ru": "принято", "uk": "прийнято", "et": "vastu võetud"},
    "rejected": {"ru": "отклонено", "uk": "відхилено", "et": "tagasi lükatud"},
    "expired": {"ru": "истекло", "uk": "минуло", "et": "aegunud"},
    "approved": {"ru": "одобрены", "uk": "схвалено", "et": "kinnitatud"},
    "verified": {"ru": "подтверждено", "uk": "підтверджено", "et": "kinnitatud"},
    "too far": {"ru": "слишком далеко", "uk": "надто далеко", "et": "liiga kaugel"},
    "no fix": {"ru": "нет координат", "uk": "немає координат", "et": "asukoht puudub"},
    "ordered": {"ru": "заказ получен", "uk": "замовлення отримано", "et": "tellimus võetud"},
    "no order": {"ru": "без заказа", "uk": "без замовлення", "et": "tellimuseta"},
    "closed": {"ru": "закрыто", "uk": "зачинено", "et": "suletud"},
    "not available": {"ru": "никого нет", "uk": "нікого немає", "et": "kedagi polnud"},
    "other": {"ru": "другое", "uk": "інше", "et": "muu"},
}


# Customer fields as a "Changed: {fields}" summary names them (key: the API's field name),
# in en, ru, uk, et. The summary is stored with the English names.
FIELD_NAMES: dict[str, tuple[str, str, str, str]] = {
    "code": ("code", "код", "код", "kood"),
    "name": ("name", "название", "назва", "nimi"),
    "legal_name": ("legal name", "юридическое название", "юридична назва", "juriidiline nimi"),
    "street": ("street", "улица", "вулиця", "tänav"),
    "city": ("city", "город", "місто", "linn"),
    "postal_code": ("postal code", "почтовый индекс", "поштовий індекс", "postiindeks"),
    "country": ("country", "страна", "країна", "riik"),
    "lat": ("latitude", "широта", "широта", "laiuskraad"),
    "lng": ("longitude", "долгота", "довгота", "pikkuskraad"),
    "territory_id": ("territory", "территория", "територія", "territoorium"),
    "distributor_id": ("distributor", "дистрибьютор", "дистриб'ютор", "edasimüüja"),
    "price_list_id": ("price list", "прайс-лист", "прайс-лист", "hinnakiri"),
    "segment": ("segment", "сегмент", "сегмент", "segment"),
    "tier": ("tier", "уровень", "рівень", "tase"),
    "phone": ("phone", "телефон", "телефон", "telefon"),
    "email": ("email", "эл. почта", "ел. пошта", "e-post"),
    "notes": ("notes", "заметки", "нотатки", "märkmed"),
    "opening_hours": ("opening hours", "часы работы", "години роботи", "lahtiolekuajad"),
    "time_zone": ("time zone", "часовой пояс", "часовий пояс", "ajavöönd"),
    "visit_frequency_days": (
        "visit frequency",
        "частота визитов",
        "частота візитів",
        "külastuste sagedus",
    ),
    "visit_duration_min": (
        "visit duration",
        "длительность визита",
        "тривалість візиту",
        "külastuse kestus",
    ),
    "credit_limit": ("credit limit", "кредитный лимит", "кредитний ліміт", "krediidilimiit"),
}
# An English name (or, in entries stored before the names were worded, the API's) -> key.
_FIELD_KEYS = {names[0]: key for key, names in FIELD_NAMES.items()} | {k: k for k in FIELD_NAMES}


def field_names(fields: list[str] | str, lang: str) -> str:
    """Fields (API names, or a stored "phone, email") as a summary lists them in `lang`."""
    names = [n.strip() for n in fields.split(",")] if isinstance(fields, str) else fields
    i = LANGUAGES.index(lang)
    return ", ".join(FIELD_NAMES[_FIELD_KEYS[n]][i] if n in _FIELD_KEYS else n for n in names)


def word(value: str, lang: str) -> str:
    """A status or outcome word in `lang` ("no_order" and "no order" alike); else unchanged."""
    key = value.replace("_", " ").strip().lower()
    return WORDS.get(key, {}).get(lang, value)


# English template -> (ru, uk, et). {name} matches any text; {w:name} is a WORDS word.
# More specific templates come first: the first full match wins.
TEMPLATES: list[tuple[str, tuple[str, str, str]]] = [
    # History summaries (orders, quotes, visits, reorders, customers, photos, reminders).
    (
        "Order {number} changed: {total} {currency}",
        (
            "Заказ {number} изменён: {total} {currency}",
            "Замовлення {number} змінено: {total} {currency}",
            "Tellimust {number} muudeti: {total} {currency}",
        ),
    ),
    ("Changed: {fields}", ("Изменено: {fields}", "Змінено: {fields}", "Muudetud: {fields}")),
    (
        "Prospect created: {name}",
        (
            "Новый потенциальный клиент: {name}",
            "Новий потенційний клієнт: {name}",
            "Uus potentsiaalne klient: {name}",
        ),
    ),
    (
        "Customer created: {name}",
        ("Новый клиент: {name}", "Новий клієнт: {name}", "Uus klient: {name}"),
    ),
    (
        "Contact added: {name}",
        ("Добавлен контакт: {name}", "Додано контакт: {name}", "Lisatud kontakt: {name}"),
    ),
    ("Photo", ("Фото", "Фото", "Foto")),
    # Why a rep checked in away from the customer's pin (the {reason} of a check-in).
    (
        "the pin is in the wrong place ({note})",
        (
            "метка стоит не там ({note})",
            "мітка стоїть не там ({note})",
            "nööpnõel on vales kohas ({note})",
        ),
    ),
    (
        "the pin is in the wrong place",
        ("метка стоит не там", "мітка стоїть не там", "nööpnõel on vales kohas"),
    ),
    (
        "met the customer elsewhere ({note})",
        (
            "встреча с клиентом в другом месте ({note})",
            "зустріч із клієнтом в іншому місці ({note})",
            "kohtus kliendiga mujal ({note})",
        ),
    ),
    (
        "met the customer elsewhere",
        (
            "встреча с клиентом в другом месте",
            "зустріч із клієнтом в іншому місці",
            "kohtus kliendiga mujal",
        ),
    ),
    (
        "poor GPS signal ({note})",
        ("плохой сигнал GPS ({note})", "поганий сигнал GPS ({note})", "nõrk GPS-signaal ({note})"),
    ),
    ("poor GPS signal", ("плохой сигнал GPS", "поганий сигнал GPS", "nõrk GPS-signaal")),
    (
        "Reminder sent: {action}",
        (
            "Отправлено напоминание: {action}",
            "Надіслано нагадування: {action}",
            "Saadetud meeldetuletus: {action}",
        ),
    ),
    (
        "Offer sent: {title}",
        (
            "Отправлено предложение: {title}",
            "Надіслано пропозицію: {title}",
            "Saadetud eripakkumine: {title}",
        ),
    ),
    (
        "Notification shown: {title}",
        (
            "Показано уведомление: {title}",
            "Показано сповіщення: {title}",
            "Teavitus näidatud: {title}",
        ),
    ),
    (
        "Notification opened: {title}",
        (
            "Открыто уведомление: {title}",
            "Відкрито сповіщення: {title}",
            "Teavitus avatud: {title}",
        ),
    ),
    (
        "Opted in to offers",
        ("Подписался на предложения", "Підписався на пропозиції", "Liitus eripakkumistega"),
    ),
    (
        "Opted out of offers",
        ("Отписался от предложений", "Відписався від пропозицій", "Loobus eripakkumistest"),
    ),
    (
        "Order {number}: {w:old} → {w:new}",
        (
            "Заказ {number}: {old} → {new}",
            "Замовлення {number}: {old} → {new}",
            "Tellimus {number}: {old} → {new}",
        ),
    ),
    (
        "Order {number}: discounts {w:decision} by {name}",
        (
            "Заказ {number}: скидки {decision}, {name}",
            "Замовлення {number}: знижки {decision}, {name}",
            "Tellimus {number}: allahindlused {decision}, {name}",
        ),
    ),
    (
        "Order {number}: {total} {currency} (discounts await approval)",
        (
            "Заказ {number}: {total} {currency} (скидки ждут одобрения)",
            "Замовлення {number}: {total} {currency} (знижки чекають на схвалення)",
            "Tellimus {number}: {total} {currency} (allahindlused ootavad kinnitust)",
        ),
    ),
    (
        "Order {number}: {total} {currency}, {lines} lines",
        (
            "Заказ {number}: {total} {currency}, строк: {lines}",
            "Замовлення {number}: {total} {currency}, рядків: {lines}",
            "Tellimus {number}: {total} {currency}, ridu: {lines}",
        ),
    ),
    (
        "Order {number}: {total} {currency}",
        (
            "Заказ {number}: {total} {currency}",
            "Замовлення {number}: {total} {currency}",
            "Tellimus {number}: {total} {currency}",
        ),
    ),
    (
        "Asked to order {number} again",
        (
            "Просьба повторить заказ {number}",
            "Прохання повторити замовлення {number}",
            "Palve tellimust {number} korrata",
        ),
    ),
    (
        "Quote {number}: {w:old} → {w:new}",
        (
            "Предложение {number}: {old} → {new}",
            "Пропозиція {number}: {old} → {new}",
            "Hinnapakkumine {number}: {old} → {new}",
        ),
    ),
    (
        "Quote {number}: discounts {w:decision} by {name}",
        (
            "Предложение {number}: скидки {decision}, {name}",
            "Пропозиція {number}: знижки {decision}, {name}",
            "Hinnapakkumine {number}: allahindlused {decision}, {name}",
        ),
    ),
    (
        "Quote {number}: {total} {currency} ({w:status})",
        (
            "Предложение {number}: {total} {currency} ({status})",
            "Пропозиція {number}: {total} {currency} ({status})",
            "Hinnapakkumine {number}: {total} {currency} ({status})",
        ),
    ),
    (
        "Quote {number} edited",
        (
            "Предложение {number} изменено",
            "Пропозицію {number} змінено",
            "Hinnapakkumist {number} muudeti",
        ),
    ),
    ("Visit planned", ("Визит запланирован", "Візит заплановано", "Külastus planeeritud")),
    ("Visit rescheduled", ("Визит перенесён", "Візит перенесено", "Külastus lükati edasi")),
    (
        "Checked in ({w:verification}): {reason}",
        (
            "Отметка на месте ({verification}): {reason}",
            "Відмітка на місці ({verification}): {reason}",
            "Saabumine registreeritud ({verification}): {reason}",
        ),
    ),
    (
        "Checked in ({w:verification})",
        (
            "Отметка на месте ({verification})",
            "Відмітка на місці ({verification})",
            "Saabumine registreeritud ({verification})",
        ),
    ),
    (
        "Visit done: {w:outcome}",
        ("Визит завершён: {outcome}", "Візит завершено: {outcome}", "Külastus tehtud: {outcome}"),
    ),
    (
        "Visit {w:status}: {reason}",
        ("Визит {status}: {reason}", "Візит {status}: {reason}", "Külastus {status}: {reason}"),
    ),
    # Sync rejection reasons and problem details a user reads on the Sync screen.
    (
        "The row was deleted on the server.",
        ("Запись удалена на сервере.", "Запис видалено на сервері.", "Kirje kustutati serveris."),
    ),
    ("No such row.", ("Такой записи нет.", "Такого запису немає.", "Sellist kirjet pole.")),
    (
        "Changed on the server since your version; owned documents are never merged.",
        (
            "Изменено на сервере после вашей версии; документы не объединяются.",
            "Змінено на сервері після вашої версії; документи не об'єднуються.",
            "Serveris muudetud pärast teie versiooni; dokumente ei liideta.",
        ),
    ),
    (
        "The mutation's fields are not valid.",
        ("Поля изменения неверны.", "Поля зміни неправильні.", "Muudatuse väljad ei sobi."),
    ),
    (
        "The mutation's fields hold values that cannot be stored.",
        (
            "В полях изменения есть значения, которые нельзя сохранить.",
            "У полях зміни є значення, які не можна зберегти.",
            "Muudatuse väljades on väärtusi, mida ei saa salvestada.",
        ),
    ),
    (
        "The mutation was refused: {reason}.",
        (
            "Изменение отклонено: {reason}.",
            "Зміну відхилено: {reason}.",
            "Muudatus lükati tagasi: {reason}.",
        ),
    ),
    (
        "{field} is required.",
        ("Поле {field} обязательно.", "Поле {field} обов'язкове.", "Väli {field} on kohustuslik."),
    ),
    (
        "{field} is not a valid id.",
        (
            "{field}: неверный идентификатор.",
            "{field}: неправильний ідентифікатор.",
            "{field}: vigane tunnus.",
        ),
    ),
    (
        "The database is busy; try again shortly.",
        (
            "База данных занята; повторите чуть позже.",
            "База даних зайнята; спробуйте трохи згодом.",
            "Andmebaas on hõivatud; proovige varsti uuesti.",
        ),
    ),
    (
        "This client id belongs to another user.",
        (
            "Этот идентификатор клиента принадлежит другому пользователю.",
            "Цей ідентифікатор клієнта належить іншому користувачу.",
            "See kliendi tunnus kuulub teisele kasutajale.",
        ),
    ),
    ("The note is empty.", ("Заметка пустая.", "Нотатка порожня.", "Märkus on tühi.")),
    (
        "Your role may not add notes.",
        (
            "Ваша роль не может добавлять заметки.",
            "Ваша роль не може додавати нотатки.",
            "Teie roll ei saa märkusi lisada.",
        ),
    ),
    # Field messages inside problem details.
    (
        "a value breaks a rule of the database",
        (
            "значение нарушает правило базы данных",
            "значення порушує правило бази даних",
            "väärtus rikub andmebaasi reeglit",
        ),
    ),
    (
        "a number or date is out of range",
        (
            "число или дата вне допустимого диапазона",
            "число або дата поза допустимим діапазоном",
            "arv või kuupäev on lubatud vahemikust väljas",
        ),
    ),
    (
        "a value was refused by the database",
        (
            "база данных отклонила значение",
            "база даних відхилила значення",
            "andmebaas lükkas väärtuse tagasi",
        ),
    ),
    ("must not be blank", ("не может быть пустым", "не може бути порожнім", "ei tohi olla tühi")),
    # Request fields msgspec refused (backend/problems.py plain_message).
    (
        "Some values are not valid: see each field.",
        (
            "Некоторые значения неверны: см. поля.",
            "Деякі значення неправильні: див. поля.",
            "Mõned väärtused ei sobi: vaata välju.",
        ),
    ),
    ("is required", ("обязательно", "обов’язкове", "on kohustuslik")),
    (
        "is not a field this request takes",
        ("такого поля здесь нет", "такого поля тут немає", "sellist välja siin pole"),
    ),
    ("must not be empty", ("не может быть пустым", "не може бути порожнім", "ei tohi olla tühi")),
    (
        "must have at least {n} characters",
        ("не короче {n} символов", "не коротше {n} символів", "vähemalt {n} märki"),
    ),
    (
        "must have at most {n} characters",
        ("не длиннее {n} символов", "не довше {n} символів", "kuni {n} märki"),
    ),
    (
        "may hold at most {n} items",
        ("не больше {n} элементов", "не більше {n} елементів", "kuni {n} kirjet"),
    ),
    (
        "needs at least {n} items",
        (
            "нужно не меньше {n} элементов",
            "потрібно щонайменше {n} елементів",
            "vähemalt {n} kirjet",
        ),
    ),
    ("is not a number", ("не число", "не число", "pole arv")),
    (
        "must be a whole number",
        ("должно быть целым числом", "має бути цілим числом", "peab olema täisarv"),
    ),
    ("must be at least {n}", ("не меньше {n}", "не менше {n}", "vähemalt {n}")),
    ("must be at most {n}", ("не больше {n}", "не більше {n}", "kuni {n}")),
    ("must be more than {n}", ("больше {n}", "більше {n}", "suurem kui {n}")),
    (
        "is not one of the allowed values",
        ("недопустимое значение", "недопустиме значення", "pole lubatud väärtus"),
    ),
    ("is not a date and time", ("не дата и время", "не дата й час", "pole kuupäev ja kellaaeg")),
    ("is not a date", ("не дата", "не дата", "pole kuupäev")),
    (
        "is not a valid id",
        ("неверный идентификатор", "неправильний ідентифікатор", "vigane tunnus"),
    ),
    ("is not in the expected form", ("неверный формат", "неправильний формат", "vale kujuga")),
]

# Problem titles by slug (errors.PROBLEM_TYPES holds the English ones).
TITLES: dict[str, tuple[str, str, str]] = {
    "bad-request": ("Неверный запрос", "Неправильний запит", "Vigane päring"),
    "validation-failed": ("Запрос содержит ошибки", "Запит містить помилки", "Päring ei sobi"),
    "unauthenticated": ("Нужно войти", "Потрібно увійти", "Vajalik on sisse logida"),
    "permission-denied": ("Нет доступа", "Немає доступу", "Pole lubatud"),
    "not-found": ("Не найдено", "Не знайдено", "Ei leitud"),
    "method-not-allowed": ("Метод не разрешён", "Метод не дозволено", "Meetod pole lubatud"),
    "conflict": ("Конфликт", "Конфлікт", "Konflikt"),
    "gone": ("Удалено", "Видалено", "Kustutatud"),
    "payload-too-large": ("Слишком большой запрос", "Завеликий запит", "Päring on liiga suur"),
    "unsupported-media-type": (
        "Неподдерживаемый формат",
        "Непідтримуваний формат",
        "Toetamata vorming",
    ),
    "too-many-requests": ("Слишком много запросов", "Забагато запитів", "Liiga palju päringuid"),
    "pdf-budget-exceeded": (
        "Предложение не удаётся напечатать в пределах лимита сервера",
        "Пропозицію не вдається надрукувати в межах ліміту сервера",
        "Hinnapakkumist ei saa serveri piires printida",
    ),
    "internal-error": (
        "Внутренняя ошибка сервера",
        "Внутрішня помилка сервера",
        "Serveri sisemine viga",
    ),
    "temporarily-unavailable": (
        "Временно недоступно",
        "Тимчасово недоступно",
        "Ajutiselt kättesaamatu",
    ),
    "domain-error": ("Запрос отклонён", "Запит відхилено", "Päring lükati tagasi"),
    "value-refused": ("Значение отклонено", "Значення відхилено", "Väärtus lükati tagasi"),
    "repeated-mid": ("Повтор в пакете", "Повтор у пакеті", "Korduv muudatus"),
}

_SLOT = re.compile(r"\{(w:)?(\w+)\}")


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    words: frozenset[str]
    texts: tuple[str, str, str]


@lru_cache(maxsize=1)
def _compiled() -> list[_Template]:
    out = []
    for english, texts in TEMPLATES:
        parts, pos, words = [], 0, set()
        for m in _SLOT.finditer(english):
            parts.append(re.escape(english[pos : m.start()]))
            parts.append(f"(?P<{m.group(2)}>.+?)")
            if m.group(1):
                words.add(m.group(2))
            pos = m.end()
        parts.append(re.escape(english[pos:]))
        out.append(_Template(re.compile("".join(parts), re.DOTALL), frozenset(words), texts))
    return out


def _slot(key: str, value: str, tpl: _Template, lang: str) -> str:
    if key in tpl.words:
        return word(value, lang)
    if key == "reason":
        return localise(value, lang)
    if key == "fields":
        return field_names(value, lang)
    return value


def localise(text: str, locale: str | None) -> str:
    """`text` (one of the English templates, filled) in the reader's language; else unchanged."""
    lang = language(locale)
    if lang == "en" or not text:
        return text
    i = LANGUAGES.index(lang) - 1
    for tpl in _compiled():
        m = tpl.pattern.fullmatch(text)
        if m:
            values = {k: _slot(k, v, tpl, lang) for k, v in m.groupdict().items()}
            return tpl.texts[i].format(**values)
    return text


def title(slug: str, english: str, locale: str | None) -> str:
    """A problem's title in the reader's language."""
    lang = language(locale)
    row = TITLES.get(slug)
    return row[LANGUAGES.index(lang) - 1] if lang != "en" and row else english


def localise_problem(body: dict, locale: str | None) -> dict:
    """A problem-details body (or a sync rejection) with title, detail and field messages
    in the reader's language; the slug, status and field names stay as they are."""
    lang = language(locale)
    if lang == "en":
        return body
    out = dict(body)
    slug = str(out.get("type", "")).rsplit("/", 1)[-1] or str(out.get("code", ""))
    if "title" in out:
        out["title"] = title(slug, str(out["title"]), lang)
    if isinstance(out.get("detail"), str):
        out["detail"] = localise(out["detail"], lang)
    if isinstance(out.get("errors"), list):
        out["errors"] = [
            {**e, "message": localise(str(e.get("message", "")), lang)}
            if isinstance(e, dict)
            else e
            for e in out["errors"]
        ]
    return out


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Short weekday names as each language writes them in opening hours.
_WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ru": ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"),
    "uk": ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Нд"),
    "et": ("E", "T", "K", "N", "R", "L", "P"),
}
_CLOSED = {"en": "closed", "ru": "закрыто", "uk": "зачинено", "et": "suletud"}


def weekday_name(day: str | int, locale: str | None) -> str:
    """ "mon".."sun" (or 0..6 from Monday) as the weekday's short name in the reader's language."""
    i = day if isinstance(day, int) else DAYS.index(str(day)[:3].lower())
    return _WEEKDAYS[language(locale)][i]


def opening_hours_text(hours: dict[str, Any] | None, locale: str | None) -> str:
    """{"mon": [["08:00", "17:00"]], ...} as one line: "Пн 08:00–17:00; …; Вс закрыто"."""
    lang = language(locale)
    parts = []
    for day in DAYS:
        if not hours or day not in hours:
            continue
        spans = hours[day] or []
        text = ", ".join("–".join(s) for s in spans) if spans else _CLOSED[lang]
        parts.append(f"{weekday_name(day, lang)} {text}")
    return "; ".join(parts)
