"""Back-office figures: customer import of 10,000 rows (without geocoding) and export of
100,000 orders as CSV and XLSX: wall time and peak memory.

Runs in-process on a temporary SQLite file (or on PostgreSQL with --pg-url; its public
schema is dropped and rebuilt). Time is measured without tracing; peak memory in a second
pass under tracemalloc (Python allocations at their highest during the operation), the
export by consuming the same streaming generator the endpoint returns, chunk by chunk.

    python benchmarks/office_bench.py
    python benchmarks/office_bench.py --customers 10000 --orders 100000
    python benchmarks/office_bench.py --pg-url postgres://postgres@127.0.0.1:5432/rounds_office
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any
from uuid import uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _env(pg_url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="rounds-office-bench-")
    os.environ["ROUNDS_DATA_DIR"] = tmp
    os.environ["ROUNDS_DATABASE_URL"] = pg_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("ROUNDS_LOG_LEVEL", "WARNING")
    os.environ["ROUNDS_IN_PROCESS_WORKER"] = "false"
    os.environ["ROUNDS_PASSWORD_HASH"] = "fast"
    os.environ["ROUNDS_GEOCODER_URL"] = "http://127.0.0.1:9"


def _mb(n: float) -> str:
    return f"{n / 1048576:.1f} MB"


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def _setup(pg: bool) -> dict[str, Any]:
    from backend import db as dbmod
    from backend.accounts.passwords import hash_password
    from backend.accounts.tables import User
    from backend.settings import get_settings
    from backend.territories.tables import Region, Territory

    settings = get_settings()
    dbmod.configure(settings)
    if pg:
        engine = dbmod.current_engine()
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    await dbmod.migrate()
    await dbmod.open_engine(settings)
    region, territory, admin = uuid4(), uuid4(), uuid4()
    await Region.insert(Region(id=region, name="Bench", code="BENCH"))
    await Territory.insert(Territory(id=territory, region=region, name="Bench T", code="BT1"))
    await User.insert(
        User(
            id=admin,
            email="admin@bench.rounds",
            password_hash=hash_password("bench-password"),
            name="Admin",
            role="admin",
        )
    )
    return {"region": region, "territory": territory, "admin": admin}


def _customers_csv(n: int) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["code", "name", "street", "city", "postal_code", "lat", "lng", "territory"])
    for i in range(n):
        w.writerow(
            [
                f"B{i:06}",
                f"Pood {i} Õun",
                f"Narva mnt {i % 200}",
                "Tallinn",
                "10111",
                f"{59.40 + (i % 100) / 1000:.4f}",
                f"{24.70 + (i % 97) / 1000:.4f}",
                "BT1",
            ]
        )
    return out.getvalue().encode()


async def _client() -> Any:
    import httpx

    from backend.app import create_app
    from backend.settings import get_settings

    app = create_app(get_settings(), manage_engine=False)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
    r = await client.post(
        "/api/auth/login", json={"email": "admin@bench.rounds", "password": "bench-password"}
    )
    r.raise_for_status()
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return client


async def bench_import(client: Any, n: int) -> None:
    from backend.accounts.principal import Principal
    from backend.customers import imports
    from backend.customers.tables import Customer

    body = _customers_csv(n)
    print(f"customer import: {n} rows, {_mb(len(body))} CSV")
    t0 = time.perf_counter()
    r = await client.post("/api/customers/import?dry_run=true", content=body)
    dry = time.perf_counter() - t0
    assert r.status_code == 200, r.text
    t0 = time.perf_counter()
    r = await client.post("/api/customers/import?dry_run=false", content=body)
    real = time.perf_counter() - t0
    assert r.status_code == 200 and r.json()["created"] == n, r.text[:500]
    print(f"  dry run          {dry:7.2f} s")
    print(f"  real run         {real:7.2f} s  ({n / real:,.0f} rows/s, created {n})")
    # Memory: the same import as an update of every row (another city), traced.
    body2 = body.replace(b",Tallinn,", b",Tartu,")
    admin = await _admin_principal()
    tracemalloc.start()
    t0 = time.perf_counter()
    report = await imports.run_import(admin, body2, dry_run=False)
    traced = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.updated == n
    print(f"  update run       peak Python memory {_mb(peak)} (traced run {traced:.2f} s)")
    assert await Customer.count() == n
    _ = Principal


async def _admin_principal() -> Any:
    from backend.accounts.principal import Principal
    from backend.accounts.tables import User

    row = await User.select().where(User.email == "admin@bench.rounds").first()
    return Principal(
        user_id=row["id"],
        session_id="bench",
        role="admin",
        email=row["email"],
        name="Admin",
        region_id=None,
        distributor_id=None,
        customer_id=None,
        territory_ids=frozenset(),
    )


async def _orders(n: int, admin: Any) -> None:
    from decimal import Decimal

    from backend.customers.tables import Customer
    from backend.db import write_transaction
    from backend.orders.tables import Order

    customers = [r["id"] for r in await Customer.select(Customer.id).limit(2000)]
    t0 = time.perf_counter()
    for start in range(0, n, 2000):
        async with write_transaction():
            rows = [
                Order(
                    id=uuid4(),
                    number=f"BENCH-{i:07}",
                    customer=customers[i % len(customers)],
                    author=admin,
                    status="submitted",
                    subtotal=Decimal("100.00"),
                    tax_total=Decimal("22.00"),
                    total=Decimal("122.00"),
                    notes="=SUM(A1:A9)" if i % 1000 == 0 else "",
                )
                for i in range(start, min(start + 2000, n))
            ]
            for j in range(0, len(rows), 500):
                await Order.insert(*rows[j : j + 500])
    print(f"export: {n} orders inserted in {time.perf_counter() - t0:.1f} s")


async def bench_export(client: Any, n: int) -> None:
    from backend.exports import service

    admin = await _admin_principal()
    await _orders(n, admin.user_id)
    for fmt in ("csv", "xlsx"):
        t0 = time.perf_counter()
        size = 0
        # (httpx's in-process transport gathers the body before handing it over, so only
        # the total time is meaningful here; memory is measured on the stream itself below)
        async with client.stream("GET", f"/api/orders/export?format={fmt}") as r:
            assert r.status_code == 200
            async for chunk in r.aiter_bytes():
                size += len(chunk)
        took = time.perf_counter() - t0
        spec, condition = service.spec_for(admin, "orders")
        stream = service.xlsx_stream if fmt == "xlsx" else service.csv_stream
        tracemalloc.start()
        streamed = 0
        async for chunk in stream(spec, condition):
            streamed += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"  {fmt:4}  {took:6.2f} s over HTTP ({n / took:,.0f} rows/s, {_mb(size)}); "
            f"streaming peak Python memory {_mb(peak)}"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args()
    _env(args.pg_url)
    print(f"engine: {'postgresql' if args.pg_url else 'sqlite'}; python {sys.version.split()[0]}")
    await _setup(bool(args.pg_url))
    client = await _client()
    try:
        await bench_import(client, args.customers)
        await bench_export(client, args.orders)
    finally:
        await client.aclose()
    print(f"process peak RSS {_mb(_rss())}")


if __name__ == "__main__":
    asyncio.run(main())
