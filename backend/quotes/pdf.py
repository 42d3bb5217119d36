"""The quote PDF: a pure, deterministic function from a quote to bytes, on server and device alike.

Only the standard library and reportlab are imported, so Pyodide can run this module. Images
are taken only as JPEG bytes, which reportlab embeds itself (DCTDecode) without Pillow.
Nothing in the file depends on the clock, the process or the platform: reportlab runs in
invariant mode, the creation date is the quote's issue date, and no stream is zlib-compressed
(deflate output may differ between zlib builds, e.g. CPython's and Pyodide's).
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config, rl_settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from backend.quotes.document import (
    Company,
    Contact,
    Customer,
    QuoteDocument,
    canonical_content,
    pdf_sha256,
    quote_fingerprint,
)
from backend.quotes.drawing import FONT, FONT_BOLD, LinesTable, Logo, QuoteCanvas
from backend.quotes.labels import LABELS, format_date, format_decimal
from backend.quotes.pricing import PricedDocument

__all__ = [
    "Company",
    "Contact",
    "Customer",
    "QuoteDocument",
    "canonical_content",
    "pdf_sha256",
    "quote_fingerprint",
    "render_quote_pdf",
]

_FONT_DIR = Path(__file__).resolve().parent / "fonts"
_CELL_SIZE = 7.5
_CELL_PAD = 3


def _register_fonts() -> None:
    """Register the embedded DejaVu fonts once per process; they cover Latin, Cyrillic, Baltic."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


# reportlab settings that change the bytes of a quote. They can be overridden per process
# (RL_* environment variables, ~/.reportlab_settings); the device runs reportlab's defaults,
# so the server must too or its file would never match the device's.
_BYTE_SETTINGS = (
    "useA85",
    "ttfAsciiReadable",
    "pdfMultiLine",
    "pdfComments",
    "paraFontSizeHeightOffset",
    "longTableOptimize",
    "reserveTTFNotdef",
    "hyphenationLang",
    "embeddedHyphenation",
    "uriWasteReduce",
    "decimalSymbol",
    "canvas_basefontname",
)


def _check_reportlab_settings() -> None:
    """Refuse to render with reportlab settings other than the defaults the device uses."""
    changed = [
        name
        for name in _BYTE_SETTINGS
        if getattr(rl_config, name, None) != getattr(rl_settings, name, None)
    ]
    if changed:
        raise RuntimeError(
            "reportlab settings differ from the defaults, quote PDFs would not match the "
            f"device's: {', '.join(changed)}"
        )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle("head", parent=base, fontSize=6.5, leading=8),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=13, leading=17),
        "heading": ParagraphStyle("heading", parent=base, fontName=FONT_BOLD, fontSize=9.5),
    }


def _text(value: str) -> str:
    """User text made safe for reportlab's paragraph mark-up, keeping its line breaks."""
    return "<br/>".join(escape(part) for part in value.splitlines())


def _build_story(quote: QuoteDocument, priced: PricedDocument, width: float) -> list[Flowable]:
    t = LABELS[quote.locale]
    loc = quote.locale
    st = _styles()
    places = quote.policy.money_places

    def money(value: Decimal) -> str:
        return format_decimal(value, loc, places=places)

    def bold(value: str) -> str:
        return f"<b>{escape(value)}</b>"

    company = quote.company
    company_lines = [f'<font size="12">{bold(company.name)}</font>']
    if company.address:
        company_lines.append(_text(company.address))
    for key, value in (
        ("vat_no", company.vat_no),
        ("reg_no", company.reg_no),
        ("phone", company.phone),
        ("email", company.email),
    ):
        if value:
            company_lines.append(f"{escape(t[key])}: {escape(value)}")
    company_cell: list[Flowable] = [Paragraph("<br/>".join(company_lines), st["base"])]
    title_cell = [
        Paragraph(escape(t["quote"]), st["title"]),
        Paragraph(
            f"{escape(t['number'])} {bold(quote.number)}<br/>"
            f"{escape(t['issue_date'])}: {escape(format_date(quote.issue_date, loc))}<br/>"
            f"{escape(t['valid_until'])}: {escape(format_date(quote.valid_until, loc))}",
            st["base"],
        ),
    ]
    if company.logo_jpeg is not None:
        header_row: list[Any] = [
            Logo(company.logo_jpeg, 30 * mm, 18 * mm),
            company_cell,
            title_cell,
        ]
        header_widths = [34 * mm, width * 0.58 - 34 * mm, width * 0.42]
    else:
        header_row = [company_cell, title_cell]
        header_widths = [width * 0.58, width * 0.42]
    header = Table([header_row], colWidths=header_widths)
    header.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )

    customer = quote.customer
    customer_lines = [bold(customer.name)]
    if customer.code:
        customer_lines.append(f"{escape(t['customer_code'])}: {escape(customer.code)}")
    if customer.address:
        customer_lines.append(_text(customer.address))
    parties: list[list[Any]] = [
        [Paragraph(escape(t["customer"]), st["heading"]), ""],
        [Paragraph("<br/>".join(customer_lines), st["base"]), ""],
    ]
    if quote.contact is not None:
        contact = quote.contact
        contact_lines = [bold(contact.name)]
        if contact.phone:
            contact_lines.append(f"{escape(t['phone'])}: {escape(contact.phone)}")
        if contact.email:
            contact_lines.append(f"{escape(t['email'])}: {escape(contact.email)}")
        parties[0][1] = Paragraph(escape(t["contact"]), st["heading"])
        parties[1][1] = Paragraph("<br/>".join(contact_lines), st["base"])
    parties_table = Table(parties, colWidths=[width / 2, width / 2])
    parties_table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.lightgrey),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
            ]
        )
    )

    head = [
        t["col_no"],
        t["col_sku"],
        t["col_description"],
        t["col_qty"],
        t["col_unit"],
        t["col_price"],
        t["col_discount"],
        t["col_vat"],
        t["col_net"],
    ]
    rows: list[list[Any]] = [[Paragraph(bold(h), st["head"]) for h in head]]
    minimum = [8, 20, 15, 13, 12, 18, 12, 11, 22]  # mm; the description takes the rest
    head_size = st["head"].fontSize
    col_widths = [
        # Wide enough that no header word is broken, whatever the language.
        max(
            w * mm,
            max(pdfmetrics.stringWidth(word, FONT_BOLD, head_size) for word in label.split())
            + 2 * _CELL_PAD
            + 1,
        )
        for w, label in zip(minimum, head, strict=True)
    ]
    col_widths[2] = width - (sum(col_widths) - col_widths[2])

    def cell(value: str, column: int) -> str | Paragraph:
        # Paragraphs wrap but cost ~10x a plain string; most names fit on one line.
        if pdfmetrics.stringWidth(value, FONT, _CELL_SIZE) <= col_widths[column] - 2 * _CELL_PAD:
            return value
        return Paragraph(escape(value), st["small"])

    for index, line in enumerate(priced.lines, start=1):
        price_places = max(places, -int(line.unit_price.as_tuple().exponent))
        rows.append(
            [
                str(index),
                cell(line.sku, 1),
                cell(line.name, 2),
                format_decimal(line.quantity, loc),
                line.unit,
                format_decimal(line.unit_price, loc, places=price_places),
                format_decimal(line.discount_pct, loc) if line.discount_pct else "",
                format_decimal(line.tax_rate, loc),
                money(line.net),
            ]
        )
    lines_table = LinesTable(rows, colWidths=col_widths, repeatRows=1)
    lines_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, _CELL_SIZE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                ("ALIGN", (4, 1), (4, -1), "LEFT"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )

    totals: list[list[str]] = [[t["subtotal"], money(priced.subtotal)]]
    if priced.document_discount_amount:
        pct = format_decimal(priced.document_discount_pct, loc)
        totals.append(
            [t["document_discount"].format(pct=pct), "-" + money(priced.document_discount_amount)]
        )
    totals.append([t["net_total"], money(priced.net_total)])
    totals_table = Table(totals, colWidths=[45 * mm, 30 * mm], hAlign="RIGHT")
    totals_table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.5), ("ALIGN", (1, 0), (1, -1), "RIGHT")])
    )

    tax_rows: list[list[str]] = [[t["vat_rate"], t["base"], t["vat"]]]
    for bucket in priced.tax_breakdown:
        tax_rows.append(
            [format_decimal(bucket.rate, loc) + " %", money(bucket.base), money(bucket.tax)]
        )
    tax_rows.append([t["tax_total"], "", money(priced.tax_total)])
    tax_rows.append([t["total"], "", f"{money(priced.total)} {priced.currency}"])
    tax_table = Table(tax_rows, colWidths=[45 * mm, 30 * mm, 30 * mm], hAlign="RIGHT")
    tax_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
                ("FONT", (0, -1), (-1, -1), FONT_BOLD, 10),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                ("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black),
            ]
        )
    )

    story: list[Flowable] = [
        header,
        Spacer(1, 5 * mm),
        parties_table,
        Spacer(1, 5 * mm),
        lines_table,
        Spacer(1, 4 * mm),
        KeepTogether([totals_table, Spacer(1, 2 * mm), tax_table]),
        Spacer(1, 5 * mm),
        Paragraph(
            escape(t["validity"].format(date=format_date(quote.valid_until, loc))), st["base"]
        ),
    ]
    for key, value in (("terms", quote.terms), ("notes", quote.notes)):
        if value.strip():
            story.append(
                KeepTogether(
                    [
                        Spacer(1, 3 * mm),
                        Paragraph(escape(t[key]), st["heading"]),
                        Paragraph(_text(value), st["base"]),
                    ]
                )
            )
    return story


def render_quote_pdf(quote: QuoteDocument) -> bytes:
    """Render a quote to PDF bytes; the same quote gives the same bytes on any run or platform."""
    _check_reportlab_settings()
    _register_fonts()
    priced = quote.priced()
    t = LABELS[quote.locale]
    fingerprint = quote_fingerprint(quote)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=20 * mm,
        invariant=1,
        pageCompression=0,
        title=f"{t['quote']} {quote.number}",
        author=quote.company.name,
        subject=quote.customer.name,
        creator="rounds",
        lang=quote.locale,
    )
    canvasmaker = partial(
        QuoteCanvas,
        issue_date=quote.issue_date,
        footer_title=f"{t['quote']} {quote.number}",
        footer_fingerprint=f"{t['fingerprint']}: SHA-256 {fingerprint}",
        page_label=t["page"],
    )
    doc.build(_build_story(quote, priced, doc.width), canvasmaker=canvasmaker)
    return buffer.getvalue()
