"""Sync benchmark: bootstrap, empty pulls under writes, push latency/throughput, reconnect storm.

Runs against a fresh database (SQLite by default; set ROUNDS_DATABASE_URL=postgres://... for
PostgreSQL) and prints figures; asserts nothing. Bootstrap, push and the storm call the sync
services in-process. The polling devices are measured three ways: against a real server
process (`rounds serve`: uvicorn, the whole app) over localhost TCP while the writes go
through its REST API, the figure a device sees; through the HTTP app in this process
(httpx's in-process transport, so the clients' own cost lands in the same event loop); and
the pull service alone. Wall times depend on how loaded the machine is, so CPU time of this
process is printed next to them.
  python benchmarks/sync_bench.py [--rows 50000] [--devices 200] [--storm 1000x20]
                                  [--only bootstrap,pull,push,storm]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import logging
import os
import sys
import tempfile
import time
from uuid import uuid4

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if not os.environ.get("ROUNDS_DATABASE_URL"):
    _tmp = tempfile.mkdtemp(prefix="rounds-bench-")
    os.environ["ROUNDS_DATA_DIR"] = _tmp
    os.environ["ROUNDS_DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.setdefault("ROUNDS_LOG_LEVEL", "WARNING")
# The server process started for the polling devices must sign and check the same tokens.
os.environ.setdefault("ROUNDS_SECRET_KEY", "bench-" + "k" * 40)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu() -> float:
    return time.process_time()


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) another process has used so far (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _caught_up(client, headers) -> str:
    """The stream cursor of a device that has pulled everything so far."""
    cursor = None
    while True:
        params = {"limit": 2000, **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/api/sync/pull", params=params, headers=headers)).json()
        cursor = body["cursor"]
        if not body["has_more"]:
            return cursor


async def _poll(args, start: str, fetch) -> tuple[list[float], int]:
    """`--devices` devices from cursor `start`, each pulling every ~poll-interval s for
    poll-seconds; `fetch(cursor)` gives (changes, next cursor). Latencies and empty pulls."""
    import random

    lat: list[float] = []
    empty = 0
    deadline = time.perf_counter() + args.poll_seconds

    async def device(n: int) -> None:
        nonlocal empty
        rng = random.Random(n)
        cursor = start
        await asyncio.sleep(rng.uniform(0, args.poll_interval))
        while time.perf_counter() < deadline:
            s = time.perf_counter()
            changes, cursor = await fetch(cursor)
            lat.append(time.perf_counter() - s)
            empty += not changes
            await asyncio.sleep(rng.uniform(0.5, 1.5) * args.poll_interval)

    await asyncio.gather(*(device(n) for n in range(args.devices)))
    return lat, empty


async def _polling_server(args, engine, rep_id, admin_id, cids) -> None:
    """Devices polling a real server process over TCP while an office user changes customers
    (`--write-customers`, in turn) in another territory `--writes` times a second through the
    REST API: the server pays for the writes as it would in use, and the clients' own cost is
    in this process, not its."""
    import httpx

    from tests.factories import sync_headers

    port = _free_port()
    env = {**os.environ, "ROUNDS_HOST": "127.0.0.1", "ROUNDS_PORT": str(port)}
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "backend.cli",
        "serve",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=args.devices + 10, max_keepalive_connections=None)
    try:
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            for _ in range(300):
                try:
                    if (await client.get("/api/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the server did not start")
            headers = await sync_headers(rep_id)
            office = await sync_headers(admin_id)
            start = await _caught_up(client, headers)
            writes = 0
            write_lat: list[float] = []
            stop = asyncio.Event()

            async def writer() -> None:
                nonlocal writes
                began = time.perf_counter()
                while not stop.is_set():
                    s = time.perf_counter()
                    r = await client.patch(
                        f"/api/customers/{cids[writes % len(cids)]}",
                        json={"notes": f"note {writes}"},
                        headers=office,
                    )
                    r.raise_for_status()
                    write_lat.append(time.perf_counter() - s)
                    writes += 1
                    await asyncio.sleep(
                        max(0.0, began + writes / args.writes - time.perf_counter())
                    )

            async def fetch(cursor: str) -> tuple[list, str]:
                r = await client.get("/api/sync/pull", params={"cursor": cursor}, headers=headers)
                body = r.json()
                return body["changes"], body["cursor"]

            began, cpu_before = time.perf_counter(), _process_cpu(server.pid)
            task = asyncio.create_task(writer())
            lat, empty = await _poll(args, start, fetch)
            stop.set()
            await task
            took = time.perf_counter() - began
            rate = writes / took
            busy = (_process_cpu(server.pid) - cpu_before) / took
    finally:
        server.terminate()
        await server.wait()
    print(
        f"[{engine}] pull (server process over TCP), {args.devices} devices polling at once "
        f"(each every ~{args.poll_interval:g} s), {rate:.0f} writes/s through the API "
        f"to {len(cids)} customer{'s' if len(cids) > 1 else ''} "
        f"(write p95 {pct(write_lat, 95):.0f} ms): {len(lat)} pulls ({empty} empty) "
        f"p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms, p99 {pct(lat, 99):.1f} ms; "
        f"server process busy {busy:.0%} of a core"
    )


async def _polling_devices(args, engine, rep_id, writer, stop, rep=None) -> None:
    """Devices polling at once (each every ~poll-interval s) while writes go on: through the
    HTTP app, or (given `rep`) the pull service alone, to tell the engine's cost from auth's."""
    import httpx

    from backend.app import create_app
    from backend.settings import get_settings
    from sync.pull import pull
    from tests.factories import sync_headers

    secret = get_settings().secret_key
    app = create_app(get_settings(), manage_engine=False)
    # The in-process client's request log would be this process's cost, not the server's.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        headers = await sync_headers(rep_id)

        async def fetch(cursor: str) -> tuple[list, str]:
            if rep is None:
                r = await client.get("/api/sync/pull", params={"cursor": cursor}, headers=headers)
                body = r.json()
                return body["changes"], body["cursor"]
            page = await pull(rep, cursor, None, secret)
            assert page.cursor is not None
            return page.changes, page.cursor

        start = await _caught_up(client, headers)
        task = asyncio.create_task(writer())
        lat, empty = await _poll(args, start, fetch)
        stop.set()
        await task
    print(
        f"[{engine}] pull ({'HTTP' if rep is None else 'service only'}), "
        f"{args.devices} devices polling at once "
        f"(each every ~{args.poll_interval:g} s), "
        f"{args.writes:.0f} writes/s: {len(lat)} pulls ({empty} empty) "
        f"p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms, p99 {pct(lat, 99):.1f} ms"
    )


async def main(args: argparse.Namespace) -> None:
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(40))
    from backend import db as dbmod
    from backend.accounts.principal import Principal
    from backend.customers.tables import Customer
    from backend.db import write_transaction
    from backend.settings import get_settings
    from sync.changelog import record_change
    from sync.pull import pull
    from sync.push import push
    from sync.schemas import Mutation, PushRequest
    from tests.factories import make_customer, make_region, make_territory, make_user

    settings = get_settings()
    # Import every area as `rounds serve` does at start, so no import lands in a timing.
    import backend.routes  # noqa: F401
    from backend.wiring import install_sync


    install_sync()

    dbmod.configure(settings)
    if settings.is_postgres:
        eng = dbmod.current_engine()
        await eng.run_ddl("DROP SCHEMA public CASCADE")
        await eng.run_ddl("CREATE SCHEMA public")
    await dbmod.migrate()
    await dbmod.open_engine(settings)
    engine = "PostgreSQL" if settings.is_postgres else "SQLite"
    secret = settings.secret_key
    region = await make_region()
    territory = await make_territory(region)
    rep_id = await make_user("rep", region=region, territories=[territory])
    rep = Principal(
        user_id=rep_id,
        session_id="",
        role="rep",
        email="",
        name="",
        region_id=region,
        distributor_id=None,
        customer_id=None,
        territory_ids=frozenset({territory}),
    )
    only = set(args.only.split(","))
    # 1. bootstrap of a large scope
    batch = []
    for i in range(args.rows if "bootstrap" in only else 0):
        batch.append(
            Customer(
                id=uuid4(),
                code=f"B{i:06d}",
                name=f"Customer {i}",
                territory=territory,
                region=region,
                city="Tallinn",
                street=f"Street {i}",
                search_text=f"customer {i}",
            )
        )
        if len(batch) == 1000:
            await Customer.insert(*batch)
            batch = []
    if batch:
        await Customer.insert(*batch)
    t0, c0 = time.perf_counter(), cpu()
    cursor, rows, raw, zipped = None, 0, 0, 0
    while True:
        page = await pull(rep, cursor, 2000, secret)
        body = page.body()
        rows += len(page.changes)
        raw += len(body)
        zipped += len(gzip.compress(body, 6))
        cursor = page.cursor
        if not page.has_more:
            break
    took, took_cpu = time.perf_counter() - t0, cpu() - c0
    if "bootstrap" in only:
        print(
            f"[{engine}] bootstrap {rows} rows: {took:.2f} s (cpu {took_cpu:.2f} s), "
            f"{rows / took:,.0f} rows/s, "
            f"{zipped / max(rows, 1):.0f} B/row gzip ({raw / max(rows, 1):.0f} raw)"
        )
    # 2. empty pulls from many devices while writes go on
    # Writes in someone else's territory: the log grows, the rep's pulls stay empty.
    elsewhere = await make_territory(region)
    cids = [await make_customer(territory=elsewhere) for _ in range(args.write_customers)]
    stop = asyncio.Event()

    async def writer() -> None:
        stop.clear()
        began, n = time.perf_counter(), 0
        while not stop.is_set():
            cid = cids[n % len(cids)]
            async with write_transaction():
                await Customer.update({Customer.version: Customer.version + 1}).where(
                    Customer.id == cid
                )
                await record_change("customers", cid, "put", customer_id=cid)
            n += 1  # keep the rate, whatever a write costs
            await asyncio.sleep(max(0.0, began + n / args.writes - time.perf_counter()))

    if "pull" in only:
        admin_id = await make_user("admin")
        await _polling_server(args, engine, rep_id, admin_id, cids)
        await _polling_devices(args, engine, rep_id, writer, stop)
        await _polling_devices(args, engine, rep_id, writer, stop, rep)
    # 3. push of 100 mutations, and sustained throughput
    contacts_of = await make_customer(territory=territory)

    def batch_of(n: int) -> list[Mutation]:
        return [
            Mutation(
                mid=i + 1,
                collection="contacts",
                op="create",
                id=uuid4(),
                fields={"customer_id": str(contacts_of), "name": f"n{i}"},
            )
            for i in range(n)
        ]

    if "push" in only:
        times: list[float] = []
        total = 0
        t_all, c_all = time.perf_counter(), cpu()
        for _ in range(args.pushes):
            muts = batch_of(100)
            s = time.perf_counter()
            res = await push(rep, PushRequest(client_id=uuid4(), mutations=muts), secret)
            times.append(time.perf_counter() - s)
            total += sum(r.status == "applied" for r in res.results)
        elapsed, used = time.perf_counter() - t_all, cpu() - c_all
        print(
            f"[{engine}] push of 100 (one device after another): p50 {pct(times, 50):.0f} ms, "
            f"p95 {pct(times, 95):.0f} ms; {total / elapsed:,.0f} mutations/s "
            f"(cpu {used * 1000 / max(total, 1):.2f} ms/mutation)"
        )
        # Sustained: several devices pushing batches of 100 at once for a while.
        done = 0
        t_all = time.perf_counter()

        async def pusher() -> None:
            nonlocal done
            while time.perf_counter() - t_all < args.seconds:
                res = await push(
                    rep, PushRequest(client_id=uuid4(), mutations=batch_of(100)), secret
                )
                done += sum(r.status == "applied" for r in res.results)

        await asyncio.gather(*(pusher() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - t_all
        print(
            f"[{engine}] sustained push, {args.concurrency} devices at once: "
            f"{done / elapsed:,.0f} mutations/s"
        )
    # 4. reconnect storm: every device pushes its queue at once (twice: lost responses)
    if "storm" not in only:
        await dbmod.close_engine()
        return
    n_dev, n_mut = (int(x) for x in args.storm.split("x"))
    devices = [
        (
            uuid4(),
            [
                Mutation(
                    mid=i + 1,
                    collection="contacts",
                    op="create",
                    id=uuid4(),
                    fields={"customer_id": str(contacts_of), "name": "s"},
                )
                for i in range(n_mut)
            ],
        )
        for _ in range(n_dev)
    ]
    sem = asyncio.Semaphore(args.concurrency)

    async def one(client_id, muts) -> tuple[int, int]:
        async with sem:
            first = await push(rep, PushRequest(client_id=client_id, mutations=muts), secret)
            again = await push(rep, PushRequest(client_id=client_id, mutations=muts), secret)
        return (
            sum(r.status == "applied" for r in first.results),
            sum(r.status != "duplicate" for r in again.results),
        )

    s = time.perf_counter()
    out = await asyncio.gather(*(one(c, m) for c, m in devices))
    drained = time.perf_counter() - s
    ids = [m.id for _, ms in devices for m in ms]
    from backend.customers.tables import Contact

    stored = 0
    for i in range(0, len(ids), 500):
        stored += await Contact.count().where(Contact.id.is_in(ids[i : i + 500]))
    applied = sum(a for a, _ in out)
    print(
        f"[{engine}] storm {n_dev}x{n_mut}: drained in {drained:.1f} s, "
        f"duplicates applied twice {sum(b for _, b in out)}, "
        f"losses {len(ids) - stored} (applied {applied})"
    )
    await dbmod.close_engine()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=50_000)
    p.add_argument("--devices", type=int, default=200)
    p.add_argument("--writes", type=float, default=50)
    p.add_argument("--write-customers", type=int, default=1, help="customers the writes cycle over")
    p.add_argument("--poll-seconds", type=float, default=15)
    p.add_argument("--poll-interval", type=float, default=1.0)
    p.add_argument("--pushes", type=int, default=20)
    p.add_argument("--storm", default="1000x20")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--only", default="bootstrap,pull,push,storm")
    asyncio.run(main(p.parse_args()))
