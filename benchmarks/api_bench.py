"""Customer search and history paging on the demo data, SQLite and PostgreSQL.

Loads `rounds demo` with --customers customers (10,000 by default) into a temporary SQLite
file and into a PostgreSQL bench database (created when missing), then calls the ASGI app
in-process through httpx, logged in as the demo manager, and prints requests/s and
p50/p95/p99 latency: server time (inside the app) and client time (round trip).

    python benchmarks/api_bench.py                       # both engines
    python benchmarks/api_bench.py --engine sqlite --customers 2000
    python benchmarks/api_bench.py --pg-url postgres://postgres@127.0.0.1:5432/rounds_bench

Targets (issue 2): search p95 <= 20 ms, history page p95 <= 15 ms (server time).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any
from urllib.parse import urlsplit, urlunsplit

TARGETS_MS = {"search": 20.0, "history": 15.0}
SEARCHES = (
    "viru",
    "narva",
    "laagna tee",
    "mustamäe",
    "kohvik",
    "pood",
    "õunapuu",
    "päikese",
    "магазин",
    "ёлочка",
    "аптека",
    "кафе",
    "крамниця",
    "їжачок",
    "corner",
    "market",
    "demo-00042",
    "demo-01",
    "13",
    "tallinn",
    "pood kägu",
    "zzzz-no-hit",
)
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/rounds_bench"


def _percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


class Timed:
    """Wraps the ASGI app and keeps the time each request spent inside it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.samples: list[float] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                self.samples.append(time.perf_counter() - started)


async def _measure(
    timed: Timed, name: str, calls: Sequence[Callable[[], Awaitable[Any]]]
) -> dict[str, Any]:
    for call in calls[: min(20, len(calls))]:  # warm caches and the pool
        await call()
    timed.samples.clear()
    client_ms: list[float] = []
    started = time.perf_counter()
    for call in calls:
        t = time.perf_counter()
        await call()
        client_ms.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - started
    server_ms = [s * 1000 for s in timed.samples]
    return {
        "scenario": name,
        "n": len(calls),
        "rps": len(calls) / wall,
        "server_p50": _percentile(server_ms, 50),
        "server_p95": _percentile(server_ms, 95),
        "server_p99": _percentile(server_ms, 99),
        "client_p50": _percentile(client_ms, 50),
        "client_p95": _percentile(client_ms, 95),
    }


async def _run_engine(args: argparse.Namespace) -> list[dict[str, Any]]:
    """In the child process: load the demo, then time the requests."""
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from backend import db
    from backend.app import create_app
    from backend.demo import load_demo
    from backend.settings import get_settings

    settings = get_settings()
    from backend.wiring import install_sync

    install_sync()
    db.configure(settings)
    if args.fresh and settings.is_postgres:
        await db.current_engine().run_ddl("DROP SCHEMA public CASCADE")
        await db.current_engine().run_ddl("CREATE SCHEMA public")
    await db.migrate()
    await db.open_engine(settings)
    if not args.skip_load:
        t = time.perf_counter()
        summary = await load_demo(customers=args.customers, seed=args.seed)
        print(f"  demo: {summary} (load {time.perf_counter() - t:.1f} s)", file=sys.stderr)
    timed = Timed(create_app(settings, manage_engine=False))
    rng = random.Random(args.seed)
    results = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=timed), base_url="http://bench"
    ) as client:
        r = await client.post(
            "/api/auth/login", json={"email": "manager@demo.rounds", "password": "demo"}
        )
        r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}

        async def get(path: str, params: dict[str, Any] | None = None) -> Any:
            resp = await client.get(path, params=params, headers=headers)
            if resp.status_code != 200:
                raise RuntimeError(f"{path} answered {resp.status_code}: {resp.text[:200]}")
            return resp.json()

        # What any authenticated call costs on this machine: the floor under the others.
        baseline = [partial(get, "/api/me") for _ in range(args.requests)]
        results.append(await _measure(timed, "baseline: GET /api/me", baseline))
        queries = [rng.choice(SEARCHES) for _ in range(args.requests)]
        results.append(
            await _measure(
                timed,
                "customer search (q=, 50/page)",
                [partial(get, "/api/customers", {"q": q, "limit": 50}) for q in queries],
            )
        )
        page = await get("/api/customers", {"limit": 500})
        customer_ids = [c["id"] for c in page["items"]]
        picks = [rng.choice(customer_ids) for _ in range(args.requests)]
        results.append(
            await _measure(
                timed,
                "history first page (50)",
                [partial(get, f"/api/customers/{c}/history", {"limit": 50}) for c in picks],
            )
        )
        deep: list[tuple[str, str]] = []
        for c in picks[: max(10, args.requests // 4)]:
            cursor = (await get(f"/api/customers/{c}/history", {"limit": 20}))["next_cursor"]
            for _ in range(2):  # cursors of pages 2 and 3 (20 entries each)
                if cursor is None:
                    break
                nxt = await get(f"/api/customers/{c}/history", {"limit": 20, "before": cursor})
                deep.append((c, cursor))
                cursor = nxt["next_cursor"]
        calls: list[Callable[[], Awaitable[Any]]] = [
            partial(get, f"/api/customers/{c}/history", {"limit": 20, "before": k})
            for c, k in (rng.choice(deep) for _ in range(args.requests))
        ]
        results.append(await _measure(timed, "history deeper pages (20, cursor)", calls))
    await db.close_engine()
    return results


def _ensure_pg_database(url: str) -> None:
    import asyncpg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))

    async def run() -> None:
        conn = await asyncpg.connect(admin)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(run())


def _child(args: argparse.Namespace, engine: str) -> list[dict[str, Any]]:
    env = dict(os.environ)
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="rounds-bench-")
    env["ROUNDS_DATA_DIR"] = data_dir
    env["ROUNDS_LOG_LEVEL"] = "WARNING"
    env["ROUNDS_IN_PROCESS_WORKER"] = "false"
    if engine == "postgres":
        _ensure_pg_database(args.pg_url)
        env["ROUNDS_DATABASE_URL"] = args.pg_url
    else:
        env["ROUNDS_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--customers",
        str(args.customers),
        "--requests",
        str(args.requests),
        "--seed",
        str(args.seed),
    ]
    if args.fresh:
        cmd.append("--fresh")
    print(f"{engine}: loading {args.customers} customers and measuring ...", file=sys.stderr)
    if args.skip_load:
        cmd.append("--skip-load")
    try:
        out = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True)
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _table(engine: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{engine}")
    print(
        f"{'scenario':36} {'n':>5} {'req/s':>8} {'srv p50':>8} {'srv p95':>8} "
        f"{'srv p99':>8} {'cli p95':>8} {'target':>7} {'p95/target':>10}"
    )
    for r in rows:
        kind = next((k for k in TARGETS_MS if k in r["scenario"]), None)
        if kind is None:
            print(
                f"{r['scenario']:36} {r['n']:5d} {r['rps']:8.1f} {r['server_p50']:8.2f} "
                f"{r['server_p95']:8.2f} {r['server_p99']:8.2f} {r['client_p95']:8.2f}"
            )
            continue
        target = TARGETS_MS[kind]
        ratio = r["server_p95"] / target
        print(
            f"{r['scenario']:36} {r['n']:5d} {r['rps']:8.1f} {r['server_p50']:8.2f} "
            f"{r['server_p95']:8.2f} {r['server_p99']:8.2f} {r['client_p95']:8.2f} "
            f"{target:7.0f} {ratio:9.2f}{' ok' if ratio <= 1 else ' !!'}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--fresh", action="store_true", help="PostgreSQL: drop the bench database's schema first"
    )
    parser.add_argument(
        "--data-dir", help="SQLite: keep the database in this directory (reused next time)"
    )
    parser.add_argument(
        "--skip-load", action="store_true", help="the databases hold the demo already"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(_run_engine(args))))
        return 0
    engines = ("sqlite", "postgres") if args.engine == "both" else (args.engine,)
    for engine in engines:
        _table(engine, _child(args, engine))
    print("\nserver time = inside the ASGI app; times in ms; one client, sequential requests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
