"""The sync engine imports no business area: areas register their collections with it."""

from __future__ import annotations

import subprocess
import sys

AREAS = (
    "backend.accounts",
    "backend.catalogue",
    "backend.customers",
    "backend.history",
    "backend.orders",
    "backend.quotes",
    "backend.quoting",
    "backend.territories",
    "backend.visits",
    "geo",
    "notifications",
)

_PROBE = """
import importlib, pkgutil, sys
import sync
for m in pkgutil.iter_modules(sync.__path__):
    if m.name not in ("controllers", "piccolo_app", "migrations"):
        importlib.import_module("sync." + m.name)
print("\\n".join(sorted(sys.modules)))
"""


def test_importing_every_sync_module_loads_no_business_area():
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    loaded = [m for m in out if any(m == a or m.startswith(a + ".") for a in AREAS)]
    assert loaded == []
    assert "sync.pull" in out and "sync.push" in out  # the probe did import the engine
