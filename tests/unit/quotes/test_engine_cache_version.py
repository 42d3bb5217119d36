"""The PDF engine's runtime cache on phones is named after the Pyodide version we vendor."""

from __future__ import annotations

import json
import re
from pathlib import Path

PWA = Path(__file__).resolve().parents[3] / "pwa"


def test_the_runtime_cache_is_renamed_when_pyodide_changes() -> None:
    # Phones keep the runtime across app updates; only a new cache name replaces it, so a
    # Pyodide upgrade that kept the name would leave phones on the old runtime.
    vendored = json.loads((PWA / "package.json").read_text())["dependencies"]["pyodide"]
    shell = (PWA / "sw" / "shell.js").read_text()
    named = re.search(r"ENGINE_RUNTIME_CACHE = `\$\{ENGINE_RUNTIME_PREFIX\}([^`]+)`", shell)
    assert named, "sw/shell.js must name ENGINE_RUNTIME_CACHE after the Pyodide version"
    assert named.group(1) == vendored
