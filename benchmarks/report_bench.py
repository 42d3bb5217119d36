"""Plan vs actual over 90 days for 20 reps on PostgreSQL: the median answer time.

Makes a realistic quarter: 20 reps of one region (and 20 of another, whom the manager does not
see), each with a published route of ~20 stops a working day and the planned visits behind
them; ~85 % are checked in with a GPS position (most verified), a few are skipped, some
unplanned visits are made on the spot, a third of the visits end in an order, and quotes are
sent. Then times GET /api/reports/plan-vs-actual's service as the manager sees it (by day and
by week, JSON-encoded), printing the median and the spread. Figures are printed, not asserted.

    python benchmarks/report_bench.py --pg-url postgres://postgres@127.0.0.1:5432/rounds_bench
    python benchmarks/report_bench.py --pg-url ... --reps 20 --days 90 --stops 20 --runs 15
    python benchmarks/report_bench.py --pg-url ... --reuse     # time again, same data
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _env(pg_url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="rounds-report-bench-")
    os.environ["ROUNDS_DATA_DIR"] = tmp
    os.environ["ROUNDS_DATABASE_URL"] = pg_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("ROUNDS_LOG_LEVEL", "WARNING")
    os.environ["ROUNDS_IN_PROCESS_WORKER"] = "false"
    os.environ["ROUNDS_PASSWORD_HASH"] = "fast"
    os.environ["ROUNDS_GEOCODER_URL"] = "http://127.0.0.1:9"


async def _open(pg: bool, reuse: bool) -> None:
    from backend import db as dbmod
    from backend.settings import get_settings

    settings = get_settings()
    dbmod.configure(settings)
    if pg and not reuse:
        engine = dbmod.current_engine()
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    await dbmod.migrate()
    await dbmod.open_engine(settings)


async def _insert(table: Any, rows: list[Any]) -> None:
    for i in range(0, len(rows), 250):  # asyncpg takes at most 32767 arguments a statement
        await table.insert(*rows[i : i + 250])


async def _region(name: str, reps: int, days: int, stops: int, first: date, rng: random.Random):
    """A region, its reps, their customers and a quarter of work; the manager's id."""
    from backend.accounts.tables import User
    from backend.customers.tables import Customer
    from backend.orders.tables import Order
    from backend.quoting.tables import Quote
    from backend.territories.tables import Region, Territory
    from backend.visits.tables import Visit
    from geo.tables import Route

    region = uuid4()
    await Region.insert(Region(id=region, name=name, code=name.upper()[:8]))
    manager = uuid4()
    await User.insert(
        User(id=manager, email=f"manager@{name}.bench", password_hash="x", name="M",
             role="manager", region=region)
    )  # fmt: skip
    visits: list[Any] = []
    routes: list[Any] = []
    orders: list[Any] = []
    quotes: list[Any] = []
    for r in range(reps):
        territory, rep = uuid4(), uuid4()
        await Territory.insert(
            Territory(id=territory, region=region, name=f"{name} T{r}", code=f"{name[:3]}{r}")
        )
        await User.insert(
            User(id=rep, email=f"rep{r}@{name}.bench", password_hash="x", name=f"Rep {r:02}",
                 role="rep", region=region)
        )  # fmt: skip
        # Each rep has 4 weeks' worth of customers, visited every 4 weeks.
        customers = []
        for _ in range(stops * 20):
            cid = uuid4()
            lat, lng = 59.3 + rng.random() * 0.3, 24.5 + rng.random() * 0.6
            customers.append((cid, lat, lng))
        await _insert(
            Customer,
            [
                Customer(id=cid, code=f"{name[:2]}{r:02}{i:05}", name=f"Shop {i}",
                         territory=territory, region=region, lat=lat, lng=lng,
                         search_text=f"shop {i}")
                for i, (cid, lat, lng) in enumerate(customers)
            ],
        )  # fmt: skip
        slot = 0
        for d in range(days):
            day = first + timedelta(days=d)
            if day.weekday() >= 5:
                continue
            start = datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)
            put_in = start - timedelta(days=3)
            today = []
            for s in range(stops):
                cid, lat, lng = customers[slot % len(customers)]
                slot += 1
                today.append((cid, lat, lng))
                planned = start + timedelta(minutes=25 * s)
                roll = rng.random()
                vid = uuid4()
                if roll < 0.85:
                    at = planned + timedelta(minutes=rng.randint(-10, 20))
                    visits.append(
                        Visit(id=vid, customer=cid, rep=rep, status="done", planned_start=planned,
                              captured_at=put_in, check_in_at=at,
                              check_in_lat=lat + rng.gauss(0, 0.0005),
                              check_in_lng=lng + rng.gauss(0, 0.0005), check_in_accuracy_m=15.0,
                              check_in_verification="verified" if roll < 0.8 else "too_far")
                    )  # fmt: skip
                    if rng.random() < 0.33:
                        total = Decimal(rng.randint(1000, 90000)) / 100
                        orders.append(
                            Order(id=uuid4(), number=f"B-{uuid4().hex[:12]}", customer=cid,
                                  author=rep, visit=vid, total=total, subtotal=total,
                                  captured_at=at + timedelta(minutes=10))
                        )  # fmt: skip
                    if rng.random() < 0.05:
                        quotes.append(
                            Quote(id=uuid4(), number=f"BQ-{uuid4().hex[:12]}", customer=cid,
                                  author=rep, status=rng.choice(["sent", "accepted", "rejected"]),
                                  issue_date=day, valid_until=day + timedelta(days=30))
                        )  # fmt: skip
                else:
                    visits.append(
                        Visit(id=vid, customer=cid, rep=rep,
                              status="skipped" if roll < 0.9 else "planned",
                              planned_start=planned, captured_at=put_in)
                    )  # fmt: skip
            # One or two unplanned visits a day, made on the spot.
            for _ in range(rng.randint(0, 2)):
                cid, lat, lng = rng.choice(customers)
                at = start + timedelta(hours=rng.randint(1, 8))
                visits.append(
                    Visit(id=uuid4(), customer=cid, rep=rep, status="done", planned_start=at,
                          captured_at=at, check_in_at=at, check_in_lat=lat, check_in_lng=lng,
                          check_in_verification="verified")
                )  # fmt: skip
            routes.append(
                Route(id=uuid4(), rep=rep, day=day, distance_m=rng.randint(60_000, 160_000),
                      stops=[{"customer_id": str(c), "lat": la, "lng": ln, "status": "planned"}
                             for c, la, ln in today])
            )  # fmt: skip
    await _insert(Visit, visits)
    await _insert(Route, routes)
    await _insert(Order, orders)
    await _insert(Quote, quotes)
    return manager, region, len(visits), len(routes), len(orders)


async def _cpu_s(pg: bool) -> float:
    """CPU seconds used so far by this process and (PostgreSQL on this machine) by the
    backends serving this database: the answer's cost whatever else the cores are doing."""
    total = time.process_time()
    if not pg:
        return total
    from backend.visits.tables import Visit

    rows = await Visit.raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    tick = os.sysconf("SC_CLK_TCK")
    for row in rows:
        try:
            with open(f"/proc/{row['pid']}/stat") as f:  # noqa: ASYNC230  (a tiny /proc file)
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # PostgreSQL on another machine: only this process counts
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


async def main(args: argparse.Namespace) -> None:
    _env(args.pg_url)
    await _open(bool(args.pg_url), args.reuse)
    import msgspec

    from backend.principal import Principal
    from backend.reports import service

    rng = random.Random(17)
    last = date(2026, 11, 30)
    first = last - timedelta(days=args.days - 1)
    t0 = time.perf_counter()
    if args.reuse:
        from backend.accounts.tables import User

        row = await User.select(User.id, User.region).where(User.email == "manager@north.bench")
        manager, region = row[0]["id"], row[0]["region"]
    else:
        manager, region, nv, nr, no = await _region(
            "north", args.reps, args.days, args.stops, first, rng
        )
        await _region("south", args.reps, args.days, args.stops, first, rng)
        if args.pg_url:
            from backend.visits.tables import Visit

            await Visit.raw("ANALYZE")
        print(
            f"made per region: {args.reps} reps, {args.days} days, {nv} visits, {nr} routes, "
            f"{no} orders (twice: a second region the manager does not see) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
    who = Principal(
        user_id=manager, session_id="bench", role="manager", email="", name="",
        region_id=region, distributor_id=None, customer_id=None, territory_ids=frozenset(),
    )  # fmt: skip
    enc = msgspec.json.Encoder()
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for group in ("day", "week"):
        times = []
        items = 0
        cpu0 = await _cpu_s(bool(args.pg_url))
        for _ in range(args.runs):
            s = time.perf_counter()
            report = await service.plan_vs_actual(
                who, first.isoformat(), last.isoformat(), group, None, now=now
            )
            enc.encode(report)
            times.append((time.perf_counter() - s) * 1000)
            items = len(report.items)
        cpu = (await _cpu_s(bool(args.pg_url)) - cpu0) / args.runs * 1000
        t = report.totals
        print(
            f"plan vs actual, {args.days} days x {args.reps} reps by {group}: "
            f"median {statistics.median(times):.0f} ms (min {min(times):.0f}, "
            f"max {max(times):.0f}, {args.runs} runs; CPU per answer {cpu:.0f} ms, this "
            f"process and its PostgreSQL backends), {items} items; totals planned "
            f"{t.planned}, done {t.done}, missed {t.missed}, unplanned {t.unplanned}"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pg-url", default=os.environ.get("ROUNDS_BENCH_DATABASE_URL"))
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--stops", type=int, default=20)
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--reuse", action="store_true", help="time the data a previous run made")
    asyncio.run(main(p.parse_args()))
