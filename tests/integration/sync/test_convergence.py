"""Guarantee 10: a seeded simulation of devices that go offline, lose requests and responses,
send duplicates and reordered pushes, across server restarts, with random edits, deletes and
reassignments. At the end every device's replica equals a fresh snapshot of its scope and every
accepted mutation was applied exactly once.

Most seeds call the sync services in-process (tests/integration/sync/direct.py) so a seed
costs a fraction of a second; a few seeds go through the whole HTTP app. Both use one app
and one database, emptied between seeds by the `db` fixture.
ROUNDS_SYNC_SEEDS=N runs N in-process seeds (default 300); ROUNDS_SYNC_STEPS the steps each.
"""

from __future__ import annotations

import asyncio
import os
import random
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from backend import db as dbmod
from backend.customers import contact_service, service
from backend.customers.schemas import CustomerUpdate
from backend.customers.tables import Contact
from backend.settings import get_settings
from sync.tables import SyncChange, SyncResult
from tests.factories import make_contact, make_customer, make_sync_world, make_user, sync_headers
from tests.integration.sync.device import Device
from tests.integration.sync.direct import DirectClient

SEEDS = int(os.environ.get("ROUNDS_SYNC_SEEDS", "300"))
STEPS = int(os.environ.get("ROUNDS_SYNC_STEPS", "30"))
HTTP_SEEDS = 3


class Server:
    """The manager's own changes and restarts, through HTTP or the services directly."""

    def __init__(self, app: Any, direct: DirectClient | None, manager_headers: dict[str, str]):
        self.app, self.direct, self.manager_headers = app, direct, manager_headers
        self.client: Any = direct or self._http()

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://t")

    async def move(self, customer: UUID, territory: UUID) -> None:
        if self.direct is None:
            await self.client.patch(
                f"/api/customers/{customer}",
                json={"territory_id": str(territory)},
                headers=self.manager_headers,
            )
            return
        manager = await self.direct.principal(self.manager_headers)
        await service.update_customer(manager, customer, CustomerUpdate(territory_id=territory))

    async def delete_contact(self, contact: UUID) -> None:
        if self.direct is None:
            await self.client.delete(f"/api/contacts/{contact}", headers=self.manager_headers)
            return
        manager = await self.direct.principal(self.manager_headers)
        await contact_service.delete_contact(manager, contact)

    async def restart(self, devices: list[Device]) -> None:
        """Nothing kept in memory survives: new connections (a new pool on PostgreSQL)."""
        if self.direct is None:
            await self.client.aclose()
            self.client = self._http()
        else:
            await dbmod.close_engine()
            await dbmod.open_engine(get_settings())
        for d in devices:
            d.client = self.client

    async def close(self) -> None:
        if self.direct is None:
            await self.client.aclose()


async def simulate(app: Any, seed: int, *, over_http: bool, steps: int) -> None:
    rng = random.Random(seed)
    w = await make_sync_world()
    customers = [w.c1, w.c2] + [
        await make_customer(territory=rng.choice([w.t1, w.t2])) for _ in range(4)
    ]
    for c in customers:
        await make_contact(c, "seed")
    users = [w.rep1, w.rep2, w.manager, w.admin, w.distributor_user]
    users += [
        await make_user("rep", region=w.region, territories=[rng.choice([w.t1, w.t2])])
        for _ in range(5)
    ]
    server = Server(app, None if over_http else DirectClient(), w.headers["manager"])
    devices = [Device(server.client, await sync_headers(u)) for u in users]
    created: set[str] = set()
    for step in range(steps):
        d = rng.choice(devices)
        action = rng.random()
        if action < 0.35 and d.ids("customers"):
            cid = rng.choice(sorted(d.ids("customers")))
            new = uuid4()
            d.queue("contacts", "create", new, {"customer_id": cid, "name": f"s{step}"})
            created.add(str(new))
        elif action < 0.5 and d.ids("contacts"):
            key = rng.choice(sorted(d.ids("contacts")))
            version = d.replica[("contacts", key)]["version"]
            d.queue("contacts", "update", key, {"phone": f"+372 {step}"}, base_version=version)
        elif action < 0.6:  # a reassignment by the manager
            await server.move(rng.choice(customers), rng.choice([w.t1, w.t2]))
        elif action < 0.65:
            rows = await Contact.select(Contact.id).where(Contact.deleted_at.is_null())
            if rows:
                await server.delete_contact(rng.choice(rows)["id"])
        elif action < 0.8 and d.outbox:
            fault = rng.random()
            if fault < 0.2:
                continue  # request lost
            if fault < 0.4:
                await d.push_raw()  # response lost: the outbox stays
                continue
            if fault < 0.55:  # reordered: a later part first
                await d.push_raw(d.outbox[len(d.outbox) // 2 :])
            if fault < 0.7:
                await d.push_raw()  # duplicate
            await d.push()
        elif action < 0.9:
            await d.pull_page(limit=rng.choice([2, 5, 50]))
        else:  # server restart
            await server.restart(devices)
    for d in devices:  # everybody back online: push everything, then pull
        while d.outbox:
            await d.push()
    await _wait_for_horizon()
    for d in devices:
        await d.sync()
    for d, u in zip(devices, users, strict=True):
        fresh = Device(server.client, d.headers)
        await fresh.sync()
        missing = {k: v for k, v in fresh.replica.items() if k not in d.replica}
        assert d.replica == fresh.replica, (f"seed {seed}: device of {u} diverged", missing)
    # Every accepted create exists exactly once, and each mid has exactly one stored result.
    rows = (
        await Contact.select(Contact.id).where(Contact.id.is_in(list(created))) if created else []
    )
    assert len(rows) == len({r["id"] for r in rows})
    results = await SyncResult.select(SyncResult.client_id, SyncResult.mid)
    assert len(results) == len({(r["client_id"], r["mid"]) for r in results})
    await server.close()


async def _wait_for_horizon() -> None:
    """Quiescence on PostgreSQL: every change below the pull horizon.

    Transaction ids are cluster-wide, so a transaction left open anywhere on the server (even
    in another database) holds the horizon back: changes are delayed then, never lost. The
    comparison below is only fair once the horizon has passed the last change.
    """
    if not get_settings().is_postgres:
        return
    for _ in range(1200):
        rows = await SyncChange.raw(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint "
            "> COALESCE(MAX(txid), 0) AS passed FROM sync_change"
        )
        if rows[0]["passed"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the pull horizon never passed the last change: a transaction is open")


@pytest.mark.parametrize("seed", range(SEEDS))
async def test_10_devices_converge_after_faults(app, db, seed):
    await simulate(app, seed, over_http=False, steps=STEPS)


@pytest.mark.parametrize("seed", range(HTTP_SEEDS))
async def test_10_devices_converge_after_faults_over_http(app, db, seed):
    await simulate(app, 10_000 + seed, over_http=True, steps=60)
