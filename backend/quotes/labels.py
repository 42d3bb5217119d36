"""Quote PDF wording and number formats in the four languages the product ships with."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "quote": "Quote",
        "number": "No.",
        "issue_date": "Date",
        "valid_until": "Valid until",
        "customer": "Customer",
        "contact": "Contact",
        "customer_code": "Customer code",
        "vat_no": "VAT no.",
        "reg_no": "Reg. no.",
        "phone": "Phone",
        "email": "Email",
        "col_no": "#",
        "col_sku": "SKU",
        "col_description": "Description",
        "col_qty": "Qty",
        "col_unit": "Unit",
        "col_price": "Unit price",
        "col_discount": "Disc. %",
        "col_vat": "VAT %",
        "col_net": "Net amount",
        "subtotal": "Subtotal",
        "document_discount": "Discount {pct} %",
        "net_total": "Total excl. VAT",
        "vat_rate": "VAT rate",
        "base": "Taxable base",
        "vat": "VAT",
        "tax_total": "VAT total",
        "total": "Total",
        "validity": "This quote is valid until {date}.",
        "terms": "Terms",
        "notes": "Notes",
        "page": "Page {n} of {m}",
        "fingerprint": "Fingerprint",
    },
    "ru": {
        "quote": "Коммерческое предложение",
        "number": "№",
        "issue_date": "Дата",
        "valid_until": "Действительно до",
        "customer": "Клиент",
        "contact": "Контактное лицо",
        "customer_code": "Код клиента",
        "vat_no": "Номер плательщика НДС",
        "reg_no": "Рег. номер",
        "phone": "Телефон",
        "email": "Эл. почта",
        "col_no": "№",
        "col_sku": "Артикул",
        "col_description": "Наименование",
        "col_qty": "Кол-во",
        "col_unit": "Ед.",
        "col_price": "Цена",
        "col_discount": "Скидка %",
        "col_vat": "НДС %",
        "col_net": "Сумма без НДС",
        "subtotal": "Промежуточный итог",
        "document_discount": "Скидка {pct} %",
        "net_total": "Итого без НДС",
        "vat_rate": "Ставка НДС",
        "base": "Облагаемая сумма",
        "vat": "НДС",
        "tax_total": "Итого НДС",
        "total": "Итого к оплате",
        "validity": "Предложение действительно до {date}.",
        "terms": "Условия",
        "notes": "Примечания",
        "page": "Страница {n} из {m}",
        "fingerprint": "Отпечаток документа",
    },
    "uk": {
        "quote": "Комерційна пропозиція",
        "number": "№",
        "issue_date": "Дата",
        "valid_until": "Дійсна до",
        "customer": "Клієнт",
        "contact": "Контактна особа",
        "customer_code": "Код клієнта",
        "vat_no": "Номер платника ПДВ",
        "reg_no": "Реєстр. номер",
        "phone": "Телефон",
        "email": "Ел. пошта",
        "col_no": "№",
        "col_sku": "Артикул",
        "col_description": "Найменування",
        "col_qty": "К-сть",
        "col_unit": "Од.",
        "col_price": "Ціна",
        "col_discount": "Знижка %",
        "col_vat": "ПДВ %",
        "col_net": "Сума без ПДВ",
        "subtotal": "Проміжний підсумок",
        "document_discount": "Знижка {pct} %",
        "net_total": "Разом без ПДВ",
        "vat_rate": "Ставка ПДВ",
        "base": "Оподатковувана сума",
        "vat": "ПДВ",
        "tax_total": "Разом ПДВ",
        "total": "Разом до сплати",
        "validity": "Пропозиція дійсна до {date}.",
        "terms": "Умови",
        "notes": "Примітки",
        "page": "Сторінка {n} з {m}",
        "fingerprint": "Відбиток документа",
    },
    "et": {
        "quote": "Hinnapakkumine",
        "number": "Nr",
        "issue_date": "Kuupäev",
        "valid_until": "Kehtib kuni",
        "customer": "Klient",
        "contact": "Kontaktisik",
        "customer_code": "Kliendikood",
        "vat_no": "KMKR nr",
        "reg_no": "Registrikood",
        "phone": "Telefon",
        "email": "E-post",
        "col_no": "Nr",
        "col_sku": "Kood",
        "col_description": "Nimetus",
        "col_qty": "Kogus",
        "col_unit": "Ühik",
        "col_price": "Ühiku hind",
        "col_discount": "Allah. %",
        "col_vat": "KM %",
        "col_net": "Summa km-ta",
        "subtotal": "Vahesumma",
        "document_discount": "Allahindlus {pct} %",
        "net_total": "Kokku km-ta",
        "vat_rate": "KM määr",
        "base": "Maksustatav summa",
        "vat": "Käibemaks",
        "tax_total": "Käibemaks kokku",
        "total": "Kokku tasuda",
        "validity": "Pakkumine kehtib kuni {date}.",
        "terms": "Tingimused",
        "notes": "Märkused",
        "page": "Lehekülg {n} / {m}",
        "fingerprint": "Sõrmejälg",
    },
}

LOCALES = tuple(LABELS)
_NBSP = "\u00a0"


def format_decimal(value: Decimal, locale: str, *, places: int | None = None) -> str:
    """Digits grouped the local way, without floats: 1,234.50 (en) or 1 234,50 (ru, uk, et)."""
    if places is None:
        # Quantities and rates: as few places as the value needs (1.5, 22, 0.125).
        text = format(value.normalize(), "f")
    else:
        text = format(value, f".{places}f")
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-")
    whole, _, frac = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    group_sep, point = (",", ".") if locale == "en" else (_NBSP, ",")
    out = sign + group_sep.join(groups)
    return f"{out}{point}{frac}" if frac else out


def format_date(value: date, locale: str) -> str:
    """ISO dates in English, day.month.year in the other languages."""
    return value.isoformat() if locale == "en" else value.strftime("%d.%m.%Y")
