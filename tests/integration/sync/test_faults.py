"""Guarantee 2 under real faults: while another connection keeps terminating every server
connection of the database (`pg_terminate_backend`), devices push, pull and read through the
ASGI app with its real asyncpg pool. Every answer is 200 or 503 with Retry-After, never 500,
and nothing is lost: after retries each mutation is applied exactly once and every replica
equals a fresh snapshot of its scope. PostgreSQL only: SQLite has no connections to kill.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from backend.customers.tables import Contact
from backend.settings import get_settings
from backend.visits.tables import Visit
from sync.tables import SyncResult
from tests.factories import make_contact, make_sync_world
from tests.integration.sync.device import Device
from tests.integration.sync.test_convergence import _wait_for_horizon

pytestmark = pytest.mark.postgres_only

CHAOS_SECONDS = float(os.environ.get("ROUNDS_FAULT_SECONDS", "8"))
KILL = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


class Tally:
    """Every status answered during the chaos, and any answer that breaks the promise."""

    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.broken: list[str] = []

    def note(self, what: str, r: Any) -> bool:
        """True when the request succeeded."""
        self.statuses[r.status_code] += 1
        if r.status_code == 200:
            return True
        if r.status_code != 503 or not r.headers.get("retry-after"):
            self.broken.append(f"{what}: {r.status_code} {r.text[:300]}")
        return False


async def _killer(stop: asyncio.Event, kills: list[int]) -> None:
    connection = await asyncpg.connect(get_settings().database_url)
    rng = random.Random(1)
    try:
        while not stop.is_set():
            kills.append(await connection.fetchval(KILL))
            await asyncio.sleep(rng.uniform(0.02, 0.2))
    finally:
        await connection.close()


async def _device_loop(
    client: Any,
    d: Device,
    customer: str,
    rep: str,
    own_contact: str | None,
    rng: random.Random,
    stop: asyncio.Event,
    t: Tally,
) -> tuple[list[str], int]:
    """Queue visits and updates of the device's own contact, push and pull, until stopped
    (without a contact: only pull and read); returns the visits queued and the updates."""
    visits: list[str] = []
    updates = 0
    while not stop.is_set():
        action = rng.random() if own_contact else 0.5 + rng.random() / 2
        if action < 0.3:
            vid = str(uuid4())
            d.queue("visits", "create", vid, {"customer_id": customer, "rep_id": rep, "notes": "v"})
            visits.append(vid)
        elif action < 0.5:
            updates += 1
            d.queue("contacts", "update", own_contact, {"phone": f"+372 {updates}"}, base_version=1)
        elif action < 0.75 and d.outbox:
            r = await d.push_raw()
            if t.note("push", r):
                results = r.json()["results"]
                t.broken += [f"push: {x}" for x in results if x["status"] == "rejected"]
                done = {x["mid"] for x in results if x["status"] != "out_of_order"}
                d.outbox = [m for m in d.outbox if m["mid"] not in done]
        elif action < 0.92:
            params = {"cursor": d.cursor} if d.cursor else {}
            r = await client.get("/api/sync/pull", params=params, headers=d.headers)
            if t.note("pull", r):
                _apply(d, r.json())
        else:
            r = await client.get("/api/customers/", headers=d.headers)
            t.note("customers", r)
        await asyncio.sleep(0)
    return visits, updates


def _apply(d: Device, body: dict[str, Any]) -> None:
    if body["reset"]:
        d.replica.clear()
        d.cursor = None
        return
    for ch in body["changes"]:
        key = (ch["collection"], ch["id"])
        if ch["op"] == "put":
            d.replica[key] = ch["data"]
        else:
            d.replica.pop(key, None)
    d.cursor = body["cursor"]


async def _until_ok(call: Any, t: Tally, what: str) -> Any:
    for _ in range(200):
        r = await call()
        if t.note(what, r):
            return r
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what} never succeeded")


async def test_killed_connections_answer_503_and_lose_nothing(client):
    w = await make_sync_world()
    roles = ["rep1", "rep2", "manager"]
    customer = {"rep1": w.c1, "rep2": w.c2, "manager": w.c1}
    rep = {"rep1": w.rep1, "rep2": w.rep2, "manager": w.rep1}
    devices = [Device(client, w.headers[role]) for role in roles]
    contacts = [str(await make_contact(customer[role], f"own {role}")) for role in roles]
    watchers = [Device(client, w.headers[r]) for r in ("admin", "distributor_user")]
    tally = Tally()
    stop = asyncio.Event()
    kills: list[int] = []
    rng = random.Random(14)
    killer = asyncio.create_task(_killer(stop, kills))
    loops = [
        asyncio.create_task(
            _device_loop(
                client,
                d,
                str(customer[role]),
                str(rep[role]),
                c,
                random.Random(rng.random()),
                stop,
                tally,
            )
        )
        for d, role, c in zip(devices, roles, contacts, strict=True)
    ]
    watching = [
        asyncio.create_task(
            _device_loop(client, d, "", "", None, random.Random(rng.random()), stop, tally)
        )
        for d in watchers
    ]
    await asyncio.sleep(CHAOS_SECONDS)
    stop.set()
    queued = await asyncio.gather(*loops)
    await asyncio.gather(*watching)
    await killer
    assert tally.broken == [], tally.broken[:5]
    assert sum(kills) > 0 and tally.statuses[503] > 0, (kills, tally.statuses)
    # Calm again: everything queued gets through, then every device pulls to the end.
    for d in devices:
        while d.outbox:
            r = await _until_ok(d.push_raw, tally, "push")
            done = {x["mid"] for x in r.json()["results"] if x["status"] != "out_of_order"}
            assert all(
                x["status"] in ("applied", "duplicate")
                for x in r.json()["results"]
                if x["status"] != "out_of_order"
            ), r.json()
            d.outbox = [m for m in d.outbox if m["mid"] not in done]
    await _wait_for_horizon()
    for d in devices + watchers:
        while True:
            params = {"cursor": d.cursor} if d.cursor else {}

            async def pull(params: dict[str, Any] = params, d: Device = d) -> Any:
                return await client.get("/api/sync/pull", params=params, headers=d.headers)

            body = (await _until_ok(pull, tally, "pull")).json()
            _apply(d, body)
            if not body["has_more"] and not body["reset"]:
                break
    assert tally.broken == [], tally.broken[:5]
    # Exactly once: each device's visits are all there, each contact update counted once.
    for d, c, (visits, updates) in zip(devices, contacts, queued, strict=True):
        if visits:
            assert await Visit.count().where(Visit.id.is_in(visits)) == len(visits)
        row = await Contact.select(Contact.version).where(Contact.id == c).first()
        assert row is not None and row["version"] == 1 + updates, (row, updates)
        stored = await SyncResult.count().where(SyncResult.client_id == d.client_id)
        assert stored == len(visits) + updates
    for d in devices + watchers:
        fresh = Device(client, d.headers)
        await fresh.sync()
        assert d.replica == fresh.replica
    print(f"\nfaults: {sum(kills)} connections killed, answers {dict(tally.statuses)}")
