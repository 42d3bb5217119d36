"""Real database faults for tests that need one at a chosen moment (no message-text fakes)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path


def sqlite_busy() -> sqlite3.OperationalError:
    """The error SQLite itself raises when another connection holds the write lock."""
    path = Path(tempfile.mkdtemp(prefix="rounds-busy-")) / "busy.sqlite3"
    holder = sqlite3.connect(path, timeout=0, isolation_level=None)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        try:
            other.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            return exc
        raise AssertionError("SQLite did not refuse a second writer")
    finally:
        other.close()
        holder.close()


def sqlite_io_error() -> sqlite3.OperationalError:
    """A disk I/O error as SQLite raises it (SQLITE_IOERR), which no test can cause for real."""
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = sqlite3.SQLITE_IOERR  # type: ignore[attr-defined]
    exc.sqlite_errorname = "SQLITE_IOERR"  # type: ignore[attr-defined]
    return exc
