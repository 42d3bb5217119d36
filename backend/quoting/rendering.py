"""Quote PDFs rendered off the event loop, in a small process pool, within a time and size budget.

reportlab is pure Python and its cost grows faster than linearly with some content, so a
render in the request loop stalls every other request. Here a render runs in a worker
process (``spawn``: nothing of the server's loop, threads or connections is inherited).
The pool is made on first use and shut down with the app (``shutdown_pool``).

Budgets (settings): the quote JSON may hold at most ``pdf_max_input_bytes``, the PDF at most
``pdf_max_output_bytes``, and a render may take at most ``pdf_render_seconds`` from
submission. Past the time budget the pool's processes are killed (a running render cannot
be cancelled otherwise) and a fresh pool serves the next render; a render of another quote
that was in that pool when it was killed is tried once more. Each overrun is a
``RenderBudgetExceeded`` (422, slug ``pdf-budget-exceeded``), never a stall.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import msgspec
import structlog

from backend.errors import DomainError, TemporarilyUnavailable
from backend.settings import get_settings

log = structlog.get_logger(__name__)


@dataclass
class RenderBudgetExceeded(DomainError):
    """The quote cannot be rendered within the server's time or size budget."""

    slug: str = "pdf-budget-exceeded"


def _warm() -> None:
    """Import reportlab and register the fonts once per worker, before the first job."""
    from backend.quotes import pdf

    pdf._register_fonts()


def _render_job(payload: bytes, max_output: int) -> tuple[bytes | None, str, int]:
    """In the worker: the PDF bytes (None when over ``max_output``), their SHA-256, their size."""
    from backend.quotes.pdf import render_quote_pdf
    from backend.quotes.wire import quote_document_from_json

    data = render_quote_pdf(quote_document_from_json(msgspec.json.decode(payload)))
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > max_output:
        return None, sha, len(data)
    return data, sha, len(data)


_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            workers = get_settings().pdf_workers
            _pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm,
            )
        return _pool


def _discard(pool: ProcessPoolExecutor, *, kill: bool) -> None:
    """Forget this pool (a new one is made on next use); with ``kill`` end its processes now."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    if kill:
        # ProcessPoolExecutor cannot cancel a running call: its processes are ended instead.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def shutdown_pool() -> None:
    """Stop the pool's processes (app shutdown); the next render makes a new pool."""
    pool = _pool
    if pool is not None:
        _discard(pool, kill=False)


async def render_pdf(doc: dict[str, Any]) -> tuple[bytes, str]:
    """The PDF bytes of a quote JSON and their SHA-256, rendered in the pool within budget."""
    settings = get_settings()
    payload = msgspec.json.encode(doc)
    if len(payload) > settings.pdf_max_input_bytes:
        raise RenderBudgetExceeded(
            detail=f"The quote is too large to print ({len(payload)} bytes of content; "
            f"at most {settings.pdf_max_input_bytes})."
        )
    for attempt in (1, 2):
        pool = _get_pool()
        try:
            future = pool.submit(_render_job, payload, settings.pdf_max_output_bytes)
            data, sha, size = await asyncio.wait_for(
                asyncio.wrap_future(future), timeout=settings.pdf_render_seconds
            )
        except TimeoutError:
            _discard(pool, kill=True)
            log.warning("quotes.pdf_render_timeout", seconds=settings.pdf_render_seconds)
            raise RenderBudgetExceeded(
                detail=f"The quote could not be printed within {settings.pdf_render_seconds} s; "
                "shorten its notes, terms or lines."
            ) from None
        except BrokenProcessPool:
            # Another quote's overrun killed the pool under this render: not this quote's fault.
            _discard(pool, kill=False)
            if attempt == 2:
                raise TemporarilyUnavailable(detail="The PDF printer is restarting.") from None
            continue
        if data is None:
            raise RenderBudgetExceeded(
                detail=f"The quote's PDF would be {size} bytes; "
                f"at most {settings.pdf_max_output_bytes}."
            )
        return data, sha
    raise AssertionError("unreachable")
