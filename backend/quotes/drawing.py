"""reportlab building blocks of the quote PDF: JPEG logo, fast lines table, numbered pages."""

from __future__ import annotations

import hashlib
from datetime import date
from hashlib import md5
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, pdfutils
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

FONT = "RoundsDejaVuSans"
FONT_BOLD = "RoundsDejaVuSans-Bold"


class Jpeg:
    """JPEG bytes in the shape reportlab's image XObject reads directly, bypassing Pillow."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.width, self.height = pdfutils.readJPEGInfo(BytesIO(data))[:2]

    def jpeg_fh(self) -> BytesIO:
        return BytesIO(self.data)

    def __str__(self) -> str:
        # reportlab names the image XObject after str(image): keep it content-derived.
        return "jpeg-" + hashlib.sha256(self.data).hexdigest()


class Logo(Flowable):
    """A JPEG logo scaled to fit a box, keeping its aspect ratio."""

    def __init__(self, data: bytes, max_width: float, max_height: float) -> None:
        super().__init__()
        self.image = Jpeg(data)
        scale = min(max_width / self.image.width, max_height / self.image.height)
        self.width = self.image.width * scale
        self.height = self.image.height * scale

    def draw(self) -> None:
        self.canv.drawImage(self.image, 0, 0, self.width, self.height)  # type: ignore[arg-type]


class LinesTable(Table):
    """A Table writing its one-line text cells through one text object per page.

    Stock Table opens a text object per cell (BT/ET, font, colour); with 1,000+ cells that is
    most of the render time. Same look, same determinism, the render about 40 % faster. Uses
    two private names of reportlab 5.1's PDFTextObject (``_code``, ``_textOut``).
    """

    _text: Any = None
    _text_style: tuple[str, float, Any] | None = None

    def draw(self) -> None:
        self._text = self.canv.beginText()
        self._text_style = None
        super().draw()
        text, self._text = self._text, None
        self.canv.saveState()
        self.canv.drawText(text)
        self.canv.restoreState()

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        text = self._text
        if (
            text is None
            or not isinstance(cellval, str)
            or "\n" in cellval
            or cellstyle.valign != "TOP"
            or cellstyle.alignment not in ("LEFT", "RIGHT")
            or cellstyle.href
            or cellstyle.destination
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        style = (cellstyle.fontname, cellstyle.fontsize, cellstyle.color)
        if style != self._text_style:
            text.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            text.setFillColor(cellstyle.color)
            self._text_style = style
        colpos, rowpos = pos
        colwidth, rowheight = size
        y = rowpos + rowheight - cellstyle.topPadding - cellstyle.fontsize
        if cellstyle.alignment == "LEFT":
            x = colpos + cellstyle.leftPadding
        else:
            width = pdfmetrics.stringWidth(cellval, cellstyle.fontname, cellstyle.fontsize)
            x = colpos + colwidth - cellstyle.rightPadding - width
        # setTextOrigin/textOut would format through reportlab's pure-Python fp_str and
        # measure the string a second time; the cells need neither (same PDF operators).
        text._code.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        text._textOut(cellval)


class QuoteCanvas(Canvas):
    """Canvas with a fixed creation date and a 'Page N of M' plus fingerprint footer."""

    def __init__(
        self,
        *args: Any,
        issue_date: date,
        footer_title: str,
        footer_fingerprint: str,
        page_label: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._footer_title = footer_title
        self._footer_fingerprint = footer_fingerprint
        self._page_label = page_label
        self._pages: list[dict[str, Any]] = []
        self._pin_timestamp(issue_date)

    def _pin_timestamp(self, issue_date: date) -> None:
        # Invariant mode would stamp 2000-01-01 or $SOURCE_DATE_EPOCH; stamp the issue date
        # instead, and reseed the file /ID the same way reportlab does, from that date.
        ts = self._doc._timeStamp
        ts.YMDhms = (issue_date.year, issue_date.month, issue_date.day, 0, 0, 0)
        ts.dhh = ts.dmm = 0
        ts.tzname = "UTC"
        ts.t = float(date(issue_date.year, issue_date.month, issue_date.day).toordinal())
        signature = md5(usedforsecurity=False)
        signature.update(b"a reportlab document")
        signature.update(ascii(ts.t).encode())
        self._doc.signature = signature

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, count)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, count: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setStrokeColor(colors.grey)
        self.setLineWidth(0.5)
        self.line(15 * mm, 14 * mm, width - 15 * mm, 14 * mm)
        self.setFillColor(colors.dimgrey)
        self.setFont(FONT, 8)
        self.drawString(15 * mm, 10 * mm, self._footer_title)
        self.drawRightString(width - 15 * mm, 10 * mm, self._page_label.format(n=number, m=count))
        self.setFont(FONT, 6.5)
        self.drawString(15 * mm, 6.5 * mm, self._footer_fingerprint)
        self.restoreState()
