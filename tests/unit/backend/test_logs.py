"""One log format per output: our events, library records and warnings all look alike."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import warnings
from collections.abc import Iterator

import pytest
import structlog

from backend.logs import configure_logging

RED = "\x1b[31m"
RESET = "\x1b[0m"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    yield
    configure_logging(os.environ.get("ROUNDS_LOG_LEVEL", "WARNING"), json=True)


def _emit_three() -> None:
    structlog.get_logger("test").warning("sync.push_applied", mutations=3)
    logging.getLogger("uvicorn.error").warning("worker %s stopped", 7)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"{RED}a coloured library warning{RESET}", UserWarning, stacklevel=1)


def test_json_off_a_terminal_one_event_per_line_without_colour(restore_logging) -> None:
    out = io.StringIO()
    configure_logging("INFO", json=None, stream=out)  # a StringIO is not a terminal
    _emit_three()
    assert "\x1b[" not in out.getvalue()
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["event"] for e in events[:2]] == ["sync.push_applied", "worker 7 stopped"]
    assert events[0]["mutations"] == 3 and events[1]["logger"] == "uvicorn.error"
    assert len(events) == 3 and events[2]["logger"] == "py.warnings"
    assert events[2]["event"].endswith("UserWarning: a coloured library warning")
    assert {e["level"] for e in events} == {"warning"}


def test_readable_lines_when_asked_not_json(restore_logging) -> None:
    out = io.StringIO()
    configure_logging("INFO", json=False, stream=out)
    _emit_three()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and "\x1b[" not in out.getvalue()
    assert "sync.push_applied" in lines[0] and "mutations=3" in lines[0]
    assert "worker 7 stopped" in lines[1]
    assert "a coloured library warning" in lines[2]
    for line in lines:  # one shape: time, level, event, key-values
        assert re.match(r"\d{4}-\d\d-\d\dT[\d:.]+Z \[warning\s*\] \S", line), line


def test_level_filters_library_records_too(restore_logging) -> None:
    out = io.StringIO()
    configure_logging("WARNING", json=True, stream=out)
    structlog.get_logger("test").info("sync.pulled")
    logging.getLogger("litestar").info("an info record")
    assert out.getvalue() == ""
