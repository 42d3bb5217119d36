"""The seller printed in every quote's header, read from ``<data dir>/company.json``.

A JSON file rather than settings, because it is business data the office edits, not a knob:
``{"name": "Rounds Trade OÜ", "address": "Narva mnt 5\\n10117 Tallinn", "vat_no": "...",
"reg_no": "...", "phone": "...", "email": "...", "logo": "logo.jpg"}``;
``logo`` is a JPEG file beside it (JPEG only: the device has no Pillow). The office edits it
in the console (``/api/company``): any common image format is converted to that JPEG here.
Every key is optional; without the file the header shows "Rounds". Each quote snapshots the
header when it is written, so a later edit never changes a quote already issued (nor its
fingerprint).
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

from backend.errors import FieldError, ValidationFailed

_TEXT_KEYS = ("name", "address", "vat_no", "reg_no", "phone", "email")
# Printed in every quote's header: (most characters, most lines) per key.
_BOUNDS = {"name": (300, 1), "address": (1000, 10)}
_OTHER_BOUND = (100, 1)
MAX_LOGO_BYTES = 256 * 1024
DEFAULT_NAME = "Rounds"


def company_file(data_dir: Path) -> Path:
    return data_dir / "company.json"


def load_company(data_dir: Path) -> dict[str, Any]:
    """The header as the quote JSON's ``company`` object."""
    path = company_file(data_dir)
    raw: dict[str, Any] = {}
    if path.is_file():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationFailed(
                detail=f"{path} is not valid JSON: {exc}",
                errors=[FieldError("company", "company.json is not valid", "config")],
            ) from None
    company: dict[str, Any] = {k: str(raw.get(k) or "") for k in _TEXT_KEYS}
    _check_bounds(path, company)
    company["name"] = company["name"] or DEFAULT_NAME
    logo = None
    if raw.get("logo"):
        logo_path = (path.parent / str(raw["logo"])).resolve()
        data = logo_path.read_bytes()
        if len(data) > MAX_LOGO_BYTES:
            raise _config_error(path, "logo", f"the logo is larger than {MAX_LOGO_BYTES} bytes")
        logo = base64.b64encode(data).decode("ascii")
    company["logo_jpeg_base64"] = logo
    return company


def _config_error(path: Path, key: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        detail=f"{path}: {key} {message}; fix the company header.",
        errors=[FieldError(f"company.{key}", message, "config")],
    )


def _check_bounds(path: Path, company: dict[str, str]) -> None:
    """Refuse a header whose text would make every quote slow or huge to print."""
    for key, value in company.items():
        most_chars, most_lines = _BOUNDS.get(key, _OTHER_BOUND)
        if len(value) > most_chars:
            raise _config_error(path, key, f"is longer than {most_chars} characters")
        if len(value.splitlines()) > most_lines:
            raise _config_error(path, key, f"has more than {most_lines} line(s)")
# --- the office edits the header -------------------------------------------------------

LOGO_FILE = "company-logo.jpg"
MAX_LOGO_BYTES = 4 * 1024 * 1024
# Large enough for a sharp header at print resolution, small enough for every quote's JSON.
LOGO_MAX_SIDE = 600


def read_company_file(data_dir: Path) -> dict[str, Any]:
    path = company_file(data_dir)
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def save_company(data_dir: Path, fields: dict[str, str]) -> dict[str, Any]:
    """Merge text fields into company.json (the logo entry is kept)."""
    raw = read_company_file(data_dir)
    for key, value in fields.items():
        if key in _TEXT_KEYS:
            raw[key] = value
    # The bounds every quote's header is held to, checked before it is saved, not after.
    _check_bounds(
        company_file(data_dir), {k: v for k, v in raw.items() if isinstance(v, str) and k != "logo"}
    )
    _write_atomically(
        company_file(data_dir), json.dumps(raw, ensure_ascii=False, indent=2).encode("utf-8")
    )
    return raw


def logo_to_jpeg(data: bytes) -> bytes:
    """Any image Pillow reads (PNG, JPEG, WebP, GIF, BMP, TIFF) as the JPEG the PDF engines
    draw: transparency flattened onto white, at most LOGO_MAX_SIDE px on its longer side."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    problem = ValidationFailed(
        detail="The logo is not an image this server can read (PNG, JPEG, WebP, GIF...).",
        errors=[FieldError("logo", "not a readable image", "unsupported_image")],
    )
    image: Image.Image
    try:
        opened = Image.open(io.BytesIO(data))
        opened.load()
        image = opened
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise problem from None
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def save_logo(data_dir: Path, data: bytes) -> None:
    jpeg = logo_to_jpeg(data)
    _write_atomically(data_dir / LOGO_FILE, jpeg)
    raw = read_company_file(data_dir)
    raw["logo"] = LOGO_FILE
    _write_atomically(
        company_file(data_dir), json.dumps(raw, ensure_ascii=False, indent=2).encode("utf-8")
    )


def remove_logo(data_dir: Path) -> None:
    raw = read_company_file(data_dir)
    raw.pop("logo", None)
    _write_atomically(
        company_file(data_dir), json.dumps(raw, ensure_ascii=False, indent=2).encode("utf-8")
    )


def logo_bytes(data_dir: Path) -> bytes | None:
    raw = read_company_file(data_dir)
    if not raw.get("logo"):
        return None
    path = (data_dir / str(raw["logo"])).resolve()
    return path.read_bytes() if path.is_file() else None
