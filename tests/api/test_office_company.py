"""The company header the office edits: text fields and a logo in any common format, stored
so that every new quote's PDF prints it (as the JPEG both PDF engines draw)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator

import pytest
from PIL import Image
from pypdf import PdfReader

from backend.settings import get_settings
from tests.factories import make_catalogue, make_world_fast


@pytest.fixture
def clean_company() -> Iterator[None]:
    """The data directory is shared by the session: leave no header behind."""
    data_dir = get_settings().data_dir
    yield
    for name in ("company.json", "company-logo.jpg"):
        (data_dir / name).unlink(missing_ok=True)


def _image(fmt: str, mode: str = "RGBA") -> bytes:
    img = Image.new(mode, (900, 300), (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255))
    for x in range(100, 800):
        for y in range(100, 200):
            img.putpixel((x, y), (200, 30, 30, 255) if mode == "RGBA" else (200, 30, 30))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


async def _quote_pdf(client, w, cat) -> tuple[dict, bytes]:
    body = {
        "customer_id": str(w.c1),
        "lines": [{"product_id": str(cat.p1), "quantity": "2"}],
    }
    r = await client.post("/api/quotes", json=body, headers=w.headers["rep1"])
    assert r.status_code == 201, r.text
    q = r.json()
    pdf = await client.get(f"/api/quotes/{q['id']}/pdf", headers=w.headers["rep1"])
    assert pdf.status_code == 200
    return q, pdf.content


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF", "JPEG"])
async def test_a_logo_in_any_common_format_is_printed_on_new_quotes(client, clean_company, fmt):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    admin = w.headers["admin"]
    r = await client.patch(
        "/api/company",
        headers=admin,
        json={"name": "Põhja Kaubandus OÜ", "vat_no": "EE100200300", "address": "Narva mnt 5"},
    )
    assert r.status_code == 200, r.text
    image = _image(fmt, "RGB" if fmt == "JPEG" else "RGBA")
    r = await client.put(
        "/api/company/logo",
        headers=admin,
        files={"logo": (f"logo.{fmt.lower()}", image, f"image/{fmt.lower()}")},
    )
    assert r.status_code == 200, r.text
    assert r.json()["has_logo"] is True and r.json()["name"] == "Põhja Kaubandus OÜ"
    q, pdf = await _quote_pdf(client, w, cat)
    logo = base64.b64decode(q["document"]["company"]["logo_jpeg_base64"])
    assert logo[:2] == b"\xff\xd8"  # converted to JPEG for both PDF engines
    stored = Image.open(io.BytesIO(logo))
    assert stored.format == "JPEG" and max(stored.size) <= 600
    # Transparent parts became white, not black.
    assert stored.convert("RGB").getpixel((2, 2)) >= (240, 240, 240)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "Põhja Kaubandus OÜ" in page.extract_text() and "EE100200300" in page.extract_text()
    assert len(page.images) >= 1
    served = await client.get("/api/company/logo", headers=admin)
    assert served.status_code == 200 and served.content == logo


async def test_only_admins_edit_and_garbage_is_refused_by_field(client, clean_company):
    w = await make_world_fast()
    r = await client.patch("/api/company", headers=w.headers["rep1"], json={"name": "Mine"})
    assert r.status_code == 403
    r = await client.put(
        "/api/company/logo",
        headers=w.headers["admin"],
        content=b"%PDF-1.4 not an image",
        # A raw body works as well as a multipart upload.
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "logo"
    r = await client.patch("/api/company", headers=w.headers["admin"], json={"colour": "red"})
    assert r.status_code in (400, 422) and "colour" in r.text
    company = (await client.get("/api/company", headers=w.headers["rep1"])).json()
    assert company["has_logo"] is False and company["name"] == ""
