"""Quote PDF: names in Cyrillic and Estonian, page breaks, totals, determinism, no Pillow needed."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from backend.quotes import pdf as quote_pdf
from backend.quotes.labels import LABELS, format_decimal
from backend.quotes.pdf import (
    Company,
    pdf_sha256,
    quote_fingerprint,
    render_quote_pdf,
)
from backend.quotes.pricing import price_document

sys.path.insert(0, str(Path(__file__).parent))
from quote_factory import jpeg_logo_bytes, make_quote

ROOT = Path(__file__).resolve().parents[3]
D = Decimal


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_cyrillic_and_estonian_names_come_out_exactly() -> None:
    text = "\n".join(page_texts(render_quote_pdf(make_quote())))
    assert "Ёлкин Юрий" in text
    assert "Їжак Ґанна Євгенівна" in text
    assert "Õun Šokolaad Žürii" in text
    assert "Prices & terms <as agreed>." in text  # user text is escaped, not parsed as mark-up


def test_fonts_are_embedded_subsets() -> None:
    reader = PdfReader(io.BytesIO(render_quote_pdf(make_quote())))
    resources: Any = reader.pages[0]["/Resources"]
    fonts = [f.get_object() for f in resources["/Font"].values()]
    dejavu = [f for f in fonts if str(f["/BaseFont"]).endswith("+DejaVuSans")]
    assert dejavu, [str(f["/BaseFont"]) for f in fonts]
    assert all("/FontFile2" in f["/FontDescriptor"].get_object() for f in dejavu)


def test_a_120_line_quote_breaks_across_pages_with_the_header_on_each() -> None:
    quote = make_quote(120)
    pages = page_texts(render_quote_pdf(quote))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Description" in text and "Unit price" in text and "Net amount" in text
        assert f"Page {number} of {len(pages)}" in text
        assert quote_fingerprint(quote) in text
    # Every line is printed exactly once, none is lost at a page break.
    whole = "\n".join(pages)
    assert all(whole.count(f"SKU-{i:04d}") == 1 for i in range(120))


def test_totals_and_tax_breakdown_match_the_pricing() -> None:
    quote = make_quote(6)
    priced = price_document(quote.line_inputs(), document_discount_pct=quote.document_discount_pct)
    text = "\n".join(page_texts(render_quote_pdf(quote)))
    assert f"{format_decimal(priced.total, 'en', places=2)} EUR" in text
    assert format_decimal(priced.tax_total, "en", places=2) in text
    for bucket in priced.tax_breakdown:
        assert format_decimal(bucket.base, "en", places=2) in text
    assert "This quote is valid until 2026-04-08." in text


@pytest.mark.parametrize("locale", ["en", "ru", "uk", "et"])
def test_every_locale_prints_its_own_labels(locale: str) -> None:
    text = "\n".join(page_texts(render_quote_pdf(make_quote(locale=locale))))
    labels = LABELS[locale]
    assert labels["page"].format(n=1, m=1) in text
    # Column headings may wrap between words but never break a word.
    words = set(text.split())
    for key in [k for k in labels if k.startswith("col_")]:
        assert set(labels[key].split()) <= words, labels[key]
    assert labels["total"] in text
    assert "Õun Šokolaad Žürii" in text


def test_same_quote_same_bytes_and_metadata_date_is_the_issue_date() -> None:
    quote = make_quote(40, with_logo=True)
    first = render_quote_pdf(quote)
    assert render_quote_pdf(quote) == first
    render_quote_pdf(make_quote(7, locale="uk"))  # another document in between changes nothing
    assert render_quote_pdf(quote) == first
    info: Any = PdfReader(io.BytesIO(first)).metadata
    assert str(info["/CreationDate"]).startswith("D:20260309000000")


def test_a_changed_quote_changes_fingerprint_and_bytes() -> None:
    quote = make_quote()
    bumped = dataclasses.replace(
        quote,
        lines=[*quote.lines[:-1], dataclasses.replace(quote.lines[-1], unit_price=D("12.346"))],
    )
    assert quote_fingerprint(bumped) != quote_fingerprint(quote)
    assert pdf_sha256(render_quote_pdf(bumped)) != pdf_sha256(render_quote_pdf(quote))


def test_how_a_decimal_is_spelled_changes_neither_fingerprint_nor_bytes() -> None:
    quote = make_quote()
    respelled = dataclasses.replace(
        quote,
        lines=[
            dataclasses.replace(x, quantity=x.quantity.quantize(D("0.001"))) for x in quote.lines
        ],
        document_discount_pct=D("2.50"),
    )
    assert quote_fingerprint(respelled) == quote_fingerprint(quote)
    assert render_quote_pdf(respelled) == render_quote_pdf(quote)


def test_priced_lines_render_like_their_inputs() -> None:
    quote = make_quote(5)
    priced = price_document(quote.line_inputs()).lines
    assert render_quote_pdf(dataclasses.replace(quote, lines=priced)) == render_quote_pdf(quote)


def test_logo_is_embedded_as_the_jpeg_itself() -> None:
    logo = jpeg_logo_bytes()
    quote = make_quote(with_logo=True)
    resources: Any = PdfReader(io.BytesIO(render_quote_pdf(quote))).pages[0]["/Resources"]
    images = [x.get_object() for x in resources["/XObject"].values()]
    assert len(images) == 1 and images[0]["/Filter"][-1] == "/DCTDecode"  # not re-encoded
    assert images[0].get_data() == logo


def test_a_png_logo_is_refused() -> None:
    with pytest.raises(ValueError, match="logo_jpeg"):
        make_quote(company=Company(name="X", logo_jpeg=b"\x89PNG\r\n\x1a\n"))


def test_an_unknown_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="locale"):
        make_quote(locale="de")


_RENDER_IN_CHILD = """
import hashlib, io, sys
at_start = set(sys.modules)  # what site (.pth files) loaded before us
sys.path.insert(0, {tests!r})
{prelude}
from quote_factory import make_quote
from backend.quotes.pdf import render_quote_pdf
quote = make_quote(60, with_logo=True)
sys.stdout.write(hashlib.sha256(render_quote_pdf(quote)).hexdigest())
sys.stdout.write(" " + repr(getattr(sys.modules.get("PIL"), "__file__", None)))
sys.stdout.write(" " + str("PIL.Image" in sys.modules))
tops = {{m.split(".")[0] for m in set(sys.modules) - at_start}} - set(sys.stdlib_module_names)
sys.stdout.write(" " + ",".join(sorted(tops)))
"""


def _render_in_child(prelude: str, env: dict[str, str]) -> list[str]:
    code = _RENDER_IN_CHILD.format(tests=str(Path(__file__).parent), prelude=prelude)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split(" ")


def _expected_sha() -> str:
    quote = make_quote(60, with_logo=True)
    return pdf_sha256(render_quote_pdf(quote))


@pytest.mark.slow  # a Python subprocess
def test_a_fresh_process_renders_identical_bytes() -> None:
    # Another hash seed and a SOURCE_DATE_EPOCH (which reportlab would otherwise stamp).
    sha, _, _, _ = _render_in_child(
        "", {"PYTHONHASHSEED": "12345", "SOURCE_DATE_EPOCH": "1700000000"}
    )
    assert sha == _expected_sha()


@pytest.mark.slow  # a Python subprocess
def test_without_pillow_the_device_stand_in_renders_identical_bytes() -> None:
    # What the device does: Pyodide has no Pillow, so the stand-in shadows it on sys.path.
    standin = Path(quote_pdf.__file__).with_name("pil_standin")
    prelude = f"sys.path.insert(0, {str(standin)!r})"
    sha, pil_file, pil_image_loaded, loaded = _render_in_child(prelude, {})
    assert pil_file.strip("'").startswith(str(standin))
    assert pil_image_loaded == "False"  # Pillow's Image module never loaded
    assert sha == _expected_sha()
    # Only what Pyodide will have: the standard library, reportlab and our own modules.
    assert set(loaded.split(",")) <= {"backend", "reportlab", "PIL", "quote_factory"}


def test_reportlab_cannot_even_start_when_pillow_is_missing() -> None:
    # Why the stand-in exists: reportlab.lib.utils imports PIL unconditionally (reportlab 5.x).
    code = "import sys; sys.modules['PIL'] = None; import reportlab.pdfgen.canvas"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0 and "PIL" in result.stderr


@pytest.mark.slow  # a Python subprocess
def test_a_process_with_changed_reportlab_settings_refuses_to_render() -> None:
    # RL_useA85=0 would silently change every file's bytes; better to fail loudly.
    code = (
        "import sys; sys.path.insert(0, 'tests/unit/quotes')\n"
        "from quote_factory import make_quote\n"
        "from backend.quotes.pdf import render_quote_pdf\n"
        "render_quote_pdf(make_quote())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "RL_useA85": "0"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0 and "useA85" in result.stderr


def test_a_long_product_name_wraps_instead_of_being_cut() -> None:
    quote = make_quote(2)
    long_name = "Шоколад молочный с цельным фундуком и изюмом, коробка подарочная 24 × 100 г"
    lines = [quote.lines[0], dataclasses.replace(quote.lines[1], name=long_name)]
    text = " ".join(page_texts(render_quote_pdf(dataclasses.replace(quote, lines=lines))))
    assert all(word in text for word in long_name.split())
