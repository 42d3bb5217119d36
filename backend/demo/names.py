"""Names in the languages our users speak: Estonian, Russian, Ukrainian and English."""

from __future__ import annotations

import random

SEGMENTS = ("retail", "kiosk", "horeca", "pharmacy", "wholesale")
SEGMENT_WEIGHTS = (40, 20, 22, 8, 10)

_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "et": {
        "retail": ("Pood {}", "Kauplus {}", "{} Toidukaubad"),
        "kiosk": ("Kiosk {}", "{} Putka"),
        "horeca": ("Kohvik {}", "Restoran {}", "{} Baar", "Söökla {}"),
        "pharmacy": ("Apteek {}",),
        "wholesale": ("{} Hulgiladu OÜ", "{} Kaubandus AS"),
    },
    "ru": {
        "retail": ("Магазин «{}»", "Продукты «{}»", "Минимаркет «{}»"),
        "kiosk": ("Киоск «{}»", "Ларёк «{}»"),
        "horeca": ("Кафе «{}»", "Ресторан «{}»", "Столовая «{}»"),
        "pharmacy": ("Аптека «{}»",),
        "wholesale": ("Оптовая база «{}»", "Склад «{}»"),
    },
    "uk": {
        "retail": ("Крамниця {}", "Магазин «{}»"),
        "kiosk": ("Кіоск «{}»",),
        "horeca": ("Кав'ярня «{}»", "Їдальня «{}»", "Бістро «{}»"),
        "pharmacy": ("Аптека «{}»",),
        "wholesale": ("Гуртівня «{}»",),
    },
    "en": {
        "retail": ("{} Corner Shop Ltd", "{} Market", "{} Grocers"),
        "kiosk": ("{} Kiosk", "{} News & Snacks"),
        "horeca": ("{} Café", "{} Bistro", "The {} Pub"),
        "pharmacy": ("{} Pharmacy",),
        "wholesale": ("{} Wholesale OÜ", "{} Trading Ltd"),
    },
}
_WORDS: dict[str, tuple[str, ...]] = {
    "et": (
        "Õunapuu",
        "Päikese",
        "Mereranna",
        "Kägu",
        "Männi",
        "Rukkilill",
        "Tähe",
        "Jõe",
        "Vana Toomas",
        "Sõbra",
        "Kännu",
        "Lõuna",
        "Härmatis",
        "Pääsuke",
        "Kuusiku",
        "Kalevipoja",
        "Rüütli",
        "Ülemiste",
        "Kadri",
        "Sirel",
    ),
    "ru": (
        "Ёлочка",
        "Берёзка",
        "Ромашка",
        "Солнышко",
        "Уют",
        "Ласточка",
        "Каштан",
        "Радуга",
        "Жемчужина",
        "Калинка",
        "Подсолнух",
        "Журавли",
        "Семья",
        "Весна",
    ),
    "uk": (
        "Їжачок",
        "Соняшник",
        "Калина",
        "Вишенька",
        "Ґудзик",
        "Джерело",
        "Барвінок",
        "Лелека",
        "Смачненько",
        "Затишок",
    ),
    "en": (
        "Harbour",
        "Old Town",
        "Baltic",
        "Northern Star",
        "Green Leaf",
        "Sunrise",
        "Lighthouse",
        "Amber",
        "Maple",
        "Seaside",
    ),
}
LANGS = ("et", "ru", "uk", "en")
LANG_WEIGHTS = (45, 30, 12, 13)

FIRST = {
    "et": ("Mari", "Kadri", "Tiit", "Jaan", "Liis", "Märt", "Ülle", "Peeter", "Triin", "Rein"),
    "ru": ("Ольга", "Сергей", "Наталья", "Андрей", "Елена", "Дмитрий", "Татьяна", "Алексей"),
    "uk": ("Оксана", "Тарас", "Ірина", "Богдан", "Галина", "Юрій", "Наталія", "Остап"),
    "en": ("Emma", "John", "Olivia", "James", "Sophie", "Daniel"),
}
LAST = {
    "et": ("Tamm", "Saar", "Mägi", "Kask", "Sepp", "Põder", "Kõiv", "Lepik", "Rebane", "Õun"),
    "ru": ("Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Волков", "Фёдорова"),
    "uk": ("Шевченко", "Коваленко", "Бондар", "Ткаченко", "Кравчук", "Мельник", "Гнатюк"),
    "en": ("Smith", "Brown", "Taylor", "Wilson", "Clarke", "Hughes"),
}
TITLES = ("owner", "store manager", "buyer", "shift lead", "accountant", "chef")

VISIT_NOTES = (
    "Riiul täidetud, uus kampaania väljas.",
    "Omanik puhkusel, järgmisel korral.",
    "Küsisid uut hinnakirja.",
    "Выложили новый ассортимент на полку.",
    "Просили скидку на напитки.",
    "Товар продаётся хорошо, нужен больший заказ.",
    "Попросили перезвонити в понеділок.",
    "Нова вітрина, все гаразд.",
    "Shelf space increased, good sell-through.",
    "Competitor promo running, follow up.",
    "Manager away, spoke to the shift lead.",
    "",
)
NEXT_ACTIONS = (
    "Send the new price list",
    "Saata pakkumine",
    "Позвонить закупщику",
    "Принести зразки",
    "Check stock of bottled water",
)
NOTES = (
    "Makse hilines kaks nädalat.",
    "Новый владелец с апреля.",
    "Планують ремонт влітку.",
    "Prefers deliveries before 10:00.",
    "Parkimine hoovis, sissepääs Tööstuse poolt.",
    "Интересуются безалкогольными напитками.",
    "Asked for invoices in English.",
)


def pick(rng: random.Random, items: tuple[str, ...], weights: tuple[int, ...] | None = None) -> str:
    return rng.choices(items, weights=weights)[0] if weights else rng.choice(items)


def customer_name(rng: random.Random, segment: str) -> tuple[str, str]:
    """(name, language) of a customer of a segment."""
    lang = pick(rng, LANGS, LANG_WEIGHTS)
    return pick(rng, _TEMPLATES[lang][segment]).format(pick(rng, _WORDS[lang])), lang


def person_name(rng: random.Random, lang: str) -> str:
    return f"{pick(rng, FIRST[lang])} {pick(rng, LAST[lang])}"
