"""The offer composer's live count: `POST /api/offers/preview` over a region of 10,000
customers with 30,000 order lines over 40 products, for each kind of filter (printed, not asserted).

Runs in-process on a temporary SQLite file (or on PostgreSQL with --pg-url; its public
schema is dropped and rebuilt).

    python benchmarks/offer_bench.py
    python benchmarks/offer_bench.py --pg-url postgres://postgres@127.0.0.1:5432/rounds_offers
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _env(pg_url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="rounds-offer-bench-")
    os.environ["ROUNDS_DATA_DIR"] = tmp
    os.environ["ROUNDS_DATABASE_URL"] = pg_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("ROUNDS_LOG_LEVEL", "WARNING")
    os.environ["ROUNDS_IN_PROCESS_WORKER"] = "false"


async def _seed(pg: bool, customers: int, orders: int) -> dict[str, Any]:
    from backend import db as dbmod
    from backend.accounts.tables import User
    from backend.catalogue.tables import Product
    from backend.customers.tables import Customer
    from backend.orders.tables import Order, OrderLine
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
    region = uuid4()
    await Region.insert(Region(id=region, name="Bench", code="BENCH"))
    territories = [uuid4() for _ in range(4)]
    for i, t in enumerate(territories):
        await Territory.insert(Territory(id=t, region=region, name=f"T{i}", code=f"T{i}"))
    manager = uuid4()
    await User.insert(
        User(
            id=manager, email="m@bench", password_hash="x", name="M", role="manager", region=region
        )
    )
    products = [uuid4() for _ in range(40)]
    for i, p in enumerate(products):
        await Product.insert(Product(id=p, sku=f"P{i}", name=f"Product {i}", tax_rate=Decimal(9)))
    ids = [uuid4() for _ in range(customers)]
    rows = [
        Customer(
            id=c,
            code=f"B{i:06}",
            name=f"Pood {i}",
            territory=territories[i % 4],
            region=region,
            segment=("horeca", "retail", "kiosk")[i % 3],
        )
        for i, c in enumerate(ids)
    ]
    for k in range(0, len(rows), 1000):
        await Customer.insert(*rows[k : k + 1000])
    lines = []
    order_rows = []
    for n in range(orders):
        oid = uuid4()
        order_rows.append(
            Order(id=oid, number=f"O{n:07}", customer=ids[(n * 7) % customers], author=manager)
        )
        for j in range(3 if n % 2 else 1):
            lines.append(
                OrderLine(
                    id=str(uuid4()),
                    order=oid,
                    product=products[(n * 3 + j) % 40],
                    sku="P",
                    name="P",
                    quantity=Decimal(1),
                    unit_price=Decimal(1),
                )
            )
    for k in range(0, len(order_rows), 1000):
        await Order.insert(*order_rows[k : k + 1000])
    for k in range(0, len(lines), 1000):
        await OrderLine.insert(*lines[k : k + 1000])
    # Fresh statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE would have them:
    # without them the planner takes 10,000 customers for one and loops over them.
    await dbmod.current_engine().run_ddl("ANALYZE")
    return {"region": region, "territories": territories, "products": products, "lines": len(lines)}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-url")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=15_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    _env(args.pg_url)
    from backend.accounts.principal import Principal
    from notifications.offers import preview_audience
    from notifications.schemas import OfferTarget

    t0 = time.perf_counter()
    s = await _seed(bool(args.pg_url), args.customers, args.orders)
    engine = "PostgreSQL" if args.pg_url else "SQLite"
    print(
        f"offer audience preview on {engine}: {args.customers} customers, {args.orders} orders, "
        f"{s['lines']} lines (seeded in {time.perf_counter() - t0:.1f} s)"
    )
    principal = Principal(
        user_id=uuid4(),
        session_id="bench",
        role="manager",  # type: ignore[arg-type]
        email="m@bench",
        name="M",
        region_id=s["region"],
        distributor_id=None,
        customer_id=None,
        territory_ids=frozenset(),
    )
    p = s["products"]
    cases = {
        "whole region": OfferTarget(),
        "two territories": OfferTarget(territory_ids=s["territories"][:2]),
        "segment": OfferTarget(segments=["horeca"]),
        "bought X (90 days)": OfferTarget(bought_product_id=p[0]),
        "bought X, never Y": OfferTarget(bought_product_id=p[0], never_product_id=p[1]),
        "all of them": OfferTarget(
            territory_ids=s["territories"][:2],
            segments=["horeca", "retail"],
            bought_product_id=p[0],
            never_product_id=p[1],
        ),
    }
    for name, target in cases.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            got = await preview_audience(principal, target)
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"  {name:22} {got.customers:6} customers   median {statistics.median(times):6.1f} ms"
            f"   max {max(times):6.1f} ms"
        )


if __name__ == "__main__":
    asyncio.run(main())
