"""Quote PDFs and CSV parsing off the event loop: render times and the loop's worst stall.

Renders through the process pool (backend.quoting.rendering) an ordinary quote, the largest
quote the edge accepts (500 lines, notes and terms at 4,000 characters and 200 line breaks),
and a hostile one (20,000 line breaks, stored before the bounds) under a 5 s budget, while a
ticker on the event loop measures the longest gap between its 10 ms ticks. Then parses a
~1 MiB CSV in a worker thread the way the import does. Prints figures; asserts nothing.

    python benchmarks/edge_bench.py
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import tempfile
import time
from typing import Any

os.environ.setdefault("ROUNDS_DATA_DIR", tempfile.mkdtemp(prefix="rounds-edge-bench-"))

from backend import settings as settings_mod
from backend.catalogue.core import read_csv
from backend.quotes.wire import compose_quote_json
from backend.quoting import rendering


def quote(lines: int, notes: str = "", terms: str = "") -> dict[str, Any]:
    return compose_quote_json(
        {
            "number": "Q-2026-000001",
            "issue_date": "2026-01-05",
            "valid_until": "2026-02-04",
            "notes": notes,
            "terms": terms,
        },
        [
            {
                "product_id": f"p{i}",
                "sku": f"SKU-{i:05d}",
                "name": f"Product {i}, a name long enough to wrap in its column now and then",
                "quantity": "3",
                "unit_price": "12.50",
                "tax_rate": "22",
            }
            for i in range(lines)
        ],
        {"name": "Kohvik Õun", "street": "Narva mnt 5", "city": "Tallinn"},
        None,
        {"name": "Rounds Trade OÜ"},
    )


async def with_ticker(work: Any) -> tuple[float, float, str]:
    """Run `work`; return its seconds, the loop's longest tick gap (ms) and how it ended."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    start = time.perf_counter()
    try:
        await work
        outcome = "ok"
    except rendering.RenderBudgetExceeded as exc:
        outcome = f"refused: {exc.detail[:60]}"
    seconds = time.perf_counter() - start
    done.set()
    await ticker
    return seconds, 1000 * max(gaps, default=0), outcome


async def main() -> None:
    current = settings_mod.get_settings()
    settings_mod.set_settings(dataclasses.replace(current, pdf_render_seconds=5))
    await rendering.render_pdf(quote(1))  # start the pool
    largest = quote(500, notes="n\n" * 200 + "x" * 3600, terms="t\n" * 200 + "y" * 3600)
    for label, doc in (
        ("ordinary quote (10 lines)", quote(10)),
        ("largest accepted quote", largest),
        ("hostile quote (20,000 breaks)", quote(3, notes="x\n" * 20_000)),
    ):
        seconds, gap, outcome = await with_ticker(rendering.render_pdf(doc))
        print(f"{label:32} {seconds:6.2f} s   loop's longest gap {gap:6.1f} ms   {outcome}")
    rows = "".join(f"SKU-{i:06d},Product number {i},{'words ' * 6}\n" for i in range(20_000))
    data = ("sku,name,description\n" + rows).encode()
    parse = asyncio.to_thread(
        read_csv,
        data,
        required=("sku", "name"),
        optional=("description",),
        text_columns=("sku", "name", "description"),
    )
    seconds, gap, _ = await with_ticker(parse)
    print(
        f"{'CSV parse, %.2f MiB' % (len(data) / 2**20):32} {seconds:6.2f} s   "
        f"loop's longest gap {gap:6.1f} ms"
    )
    rendering.shutdown_pool()


if __name__ == "__main__":
    asyncio.run(main())
