"""A user's preferences column read as a dict (the one place that knows its storage forms)."""

from __future__ import annotations

import json
from typing import Any


def preferences_of(raw: Any) -> dict[str, Any]:
    """A user's preferences as a dict (SQLite hands the JSON column back as text)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "{}")
        except ValueError:
            return {}
    return dict(raw) if isinstance(raw, dict) else {}
