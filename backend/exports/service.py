"""Exports streamed in pages by a unique key: at most one page of rows is in memory."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from typing import IO, Any

from backend.accounts.principal import Principal
from backend.errors import FieldError, NotFound
from backend.exports import core
from backend.exports.specs import SPECS, ExportSpec
from backend.scope import combine

PAGE = 2000
FILE_CHUNK = 64 * 1024


def spec_for(principal: Principal, name: str) -> tuple[ExportSpec, Any | None]:
    """The collection and the caller's condition; raises before any byte is streamed."""
    spec = SPECS.get(name)
    if spec is None:
        raise NotFound(
            detail=f"Nothing called {name!r} can be exported.",
            errors=[FieldError("collection", f"one of {', '.join(SPECS)}", "unknown")],
        )
    return spec.for_reader(principal), spec.condition(principal)


async def pages(spec: ExportSpec, condition: Any | None) -> AsyncIterator[list[list[Any]]]:
    """Rows as value lists, a page at a time, ordered by the spec's key."""
    selected = [c.as_alias(f"c{i}") for i, (_, c) in enumerate(spec.columns)]
    last: Any = None
    while True:
        where = combine(condition, spec.key > last if last is not None else None)
        query = spec.table.select(*selected, spec.key.as_alias("k__"))
        if where is not None:
            query = query.where(where)
        rows = await query.order_by(spec.key).limit(PAGE)
        if not rows:
            return
        yield [[r[f"c{i}"] for i in range(len(spec.columns))] for r in rows]
        if len(rows) < PAGE:
            return
        last = rows[-1]["k__"]


async def csv_stream(spec: ExportSpec, condition: Any | None) -> AsyncIterator[bytes]:
    yield core.BOM + core.csv_chunk([[h for h, _ in spec.columns]])
    async for page in pages(spec, condition):
        yield core.csv_chunk(page)


async def xlsx_stream(spec: ExportSpec, condition: Any | None) -> AsyncIterator[bytes]:
    """openpyxl's write-only workbook keeps rows in a temporary file, not in memory; the
    finished file is sent in chunks. The CPU-bound parts run in a worker thread."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.name)
    sheet.append([h for h, _ in spec.columns])

    def append(page: list[list[Any]]) -> None:
        for row in page:
            sheet.append([core.xlsx_cell(v) for v in row])

    async for page in pages(spec, condition):
        await asyncio.to_thread(append, page)
    with tempfile.TemporaryFile() as out:
        await asyncio.to_thread(workbook.save, out)
        await asyncio.to_thread(out.seek, 0)
        while chunk := await asyncio.to_thread(_read, out):
            yield chunk


def _read(f: IO[bytes]) -> bytes:
    return f.read(FILE_CHUNK)
