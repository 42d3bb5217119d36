"""Structured logging: dotted event names, key-values; readable on a terminal, JSON otherwise.

Everything that logs in the process goes through one handler on the root logger with one
format: our structlog events, and the standard-library records of Litestar, uvicorn, Piccolo
and Python's warnings alike. So a stream holds one format, each event once, and no colour
codes unless it is a terminal.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

EventDict = MutableMapping[str, Any]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Third-party loggers whose INFO lines we replace with our own events (the engine's version
# as Piccolo reports it is rounded to a float: "3.4" for SQLite 3.40.1).
_QUIET = ("piccolo.engine.base", "piccolo.engine.postgres", "piccolo.engine.sqlite")


def _strip_ansi(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    """Colour codes that third-party messages carry (Piccolo's warnings) do not reach a log."""
    for key, value in event_dict.items():
        if isinstance(value, str) and "\x1b[" in value:
            event_dict[key] = _ANSI.sub("", value)
    return event_dict


def _warning_event(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    """A captured `warnings.warn` becomes one line: its message, not the formatted source."""
    record = event_dict.get("_record")
    if record is not None and record.name == "py.warnings":
        event_dict["event"] = str(event_dict["event"]).strip().splitlines()[0]
    return event_dict


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record comes (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(
    level: str = "INFO", json: bool | None = None, stream: TextIO | None = None
) -> None:
    """Set up structlog and the standard library for the process (again: replaces)."""
    tty = bool(getattr(stream or sys.stderr, "isatty", lambda: False)())
    if json is None:
        json = not tty
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor
    if json:
        renderer = structlog.processors.JSONRenderer()
        tail: list[structlog.types.Processor] = [
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
        ]
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=tty)
        tail = [structlog.processors.StackInfoRenderer()]
    if not tty:
        tail.append(_strip_ansi)
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name, _warning_event],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tail, renderer],
    )
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(False)  # again from scratch if something swapped showwarning
    logging.captureWarnings(True)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
