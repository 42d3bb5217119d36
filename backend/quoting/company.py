"""The seller printed in every quote's header, read from ``<data dir>/company.json``.

A JSON file rather than settings, because it is business data the office edits, not a knob:
``{"name": "Rounds Trade OÜ", "address": "Narva mnt 5\\n10117 Tallinn", "vat_no": "...",
"reg_no": "...", "phone": "...", "email": "...", "logo": "logo.jpg"}``;
``logo`` is a JPEG file beside it (JPEG only: the device has no Pillow). Every key is optional;
without the file the header shows "Rounds". Each quote snapshots the header when it is
written, so a later edit never changes a quote already issued (nor its fingerprint).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from backend.errors import FieldError, ValidationFailed

_TEXT_KEYS = ("name", "address", "vat_no", "reg_no", "phone", "email")
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
    company["name"] = company["name"] or DEFAULT_NAME
    logo = None
    if raw.get("logo"):
        logo_path = (path.parent / str(raw["logo"])).resolve()
        logo = base64.b64encode(logo_path.read_bytes()).decode("ascii")
    company["logo_jpeg_base64"] = logo
    return company
