"""The PWA's files, and only those: an allow-list built from the service worker's shell.

The app shell (``pwa/sw/shell.js``: every file the app needs offline), the service worker
and its modules, and the vendored runtime files under ``pwa/vendor/`` are served; anything
else in the folder (``package.json``, ``scripts/``, ``node_modules/``, READMEs) is a 404,
as is any path with a NUL or other byte the file system would choke on.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from litestar.file_system import BaseLocalFileSystem

_SHELL_ENTRY = re.compile(r"'(/[^'\s]+)'")
# The worker and the modules it imports are not in its own cache list.
SERVICE_WORKER = ("/sw.js", "/sw/shell.js", "/sw/strategies.js", "/sw/push.js")


def allowed_files(root: Path) -> frozenset[str]:
    """URL paths of the files the app may fetch: shell, service worker, vendor assets."""
    allowed = {"/index.html", *SERVICE_WORKER}
    shell = root / "sw" / "shell.js"
    if shell.is_file():
        allowed.update(_SHELL_ENTRY.findall(shell.read_text(encoding="utf-8")))
    vendor = root / "vendor"
    if vendor.is_dir():
        for directory, _, files in os.walk(vendor):
            for name in files:
                allowed.add("/" + (Path(directory) / name).relative_to(root).as_posix())
    return frozenset(path for path in allowed if (root / path.lstrip("/")).is_file())


class AllowListFileSystem(BaseLocalFileSystem):
    """The local file system seen through the allow-list (the root folder itself for "/")."""

    def __init__(self, root: Path, allowed: frozenset[str]) -> None:
        self.root = os.path.normpath(root.resolve())
        self.allowed = allowed

    def _check(self, path: Any) -> None:
        text = os.fspath(path)
        if "\x00" in text:
            raise FileNotFoundError(text)
        rel = os.path.relpath(os.path.normpath(text), self.root)
        if rel != "." and "/" + Path(rel).as_posix() not in self.allowed:
            raise FileNotFoundError(text)

    async def info(self, path: Any, **kwargs: Any) -> Any:
        self._check(path)
        return await super().info(path, **kwargs)

    async def open(self, file: Any, mode: str, buffering: int = -1) -> Any:  # type: ignore[override]
        self._check(file)
        return await super().open(file, mode, buffering)
