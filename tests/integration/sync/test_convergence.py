"""Guarantee 10: a seeded simulation of devices that go offline, lose requests and responses,
send duplicates and reordered pushes, across server restarts, with random edits, deletes and
reassignments. At the end every device's replica equals a fresh snapshot of its scope and every
accepted mutation was applied exactly once.

Devices of every role (admin, both managers, reps, distributors' users, customers' users)
sync. Customers move between territories (also into the other region), change distributor,
and move two or three times in a row between two pulls: guarantee 7 (a scope exit reaches
every device that had the customer, whatever happened in between).

Most seeds call the sync services in-process (tests/integration/sync/direct.py) so a seed
costs a fraction of a second; a few seeds go through the whole HTTP app. Both use one app
and one database, emptied between seeds by the `db` fixture.
ROUNDS_SYNC_SEEDS=N runs N in-process seeds (default 300); ROUNDS_SYNC_STEPS the steps each.
All but the first FAST_SEEDS in-process seeds, and the HTTP seeds, are marked `slow`: the
quick loop (`make test-fast`) runs a few in-process ones, CI runs them all.
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
from backend.accounts.tables import User
from backend.customers import contact_service, service
from backend.customers.schemas import CustomerUpdate
from backend.customers.tables import Contact
from backend.errors import ValidationFailed
from backend.settings import get_settings
from sync.tables import SyncChange, SyncResult
from tests.factories import (
    make_contact,
    make_customer,
    make_distributor,
    make_sync_world,
    make_user,
    sync_headers,
)
from tests.integration.sync.device import Device
from tests.integration.sync.direct import DirectClient

SEEDS = int(os.environ.get("ROUNDS_SYNC_SEEDS", "300"))
STEPS = int(os.environ.get("ROUNDS_SYNC_STEPS", "30"))
HTTP_SEEDS = 3
FAST_SEEDS = 5


def _seeds(count: int, fast: int) -> list[Any]:
    return [s if s < fast else pytest.param(s, marks=pytest.mark.slow) for s in range(count)]


class Server:
    """The admin's own changes and restarts, through HTTP or the services directly."""

    def __init__(
        self,
        app: Any,
        direct: DirectClient | None,
        admin_headers: dict[str, str],
    ):
        self.app, self.direct, self.admin_headers = app, direct, admin_headers
        self.client: Any = direct or self._http()

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://t")

    async def move(self, customer: UUID, territory: UUID) -> None:
        """A territory change by the admin (another region's territory changes the region)."""
        await self._update(customer, {"territory_id": territory})

    async def serve(self, customer: UUID, distributor: UUID | None) -> None:
        """A distributor change (None: nobody serves the customer any more)."""
        await self._update(customer, {"distributor_id": distributor})

    async def _update(self, customer: UUID, fields: dict[str, UUID | None]) -> None:
        if self.direct is None:
            r = await self.client.patch(
                f"/api/customers/{customer}",
                json={k: str(v) if v else None for k, v in fields.items()},
                headers=self.admin_headers,
            )
            assert r.status_code in (200, 422), r.text
            return
        admin = await self.direct.principal(self.admin_headers)
        try:
            await service.update_customer(admin, customer, CustomerUpdate(**fields))
        except ValidationFailed:  # e.g. a distributor of another region: refused, nothing moves
            pass

    async def delete_contact(self, contact: UUID) -> None:
        if self.direct is None:
            await self.client.delete(f"/api/contacts/{contact}", headers=self.admin_headers)
            return
        admin = await self.direct.principal(self.admin_headers)
        await contact_service.delete_contact(admin, contact)

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
    territories = [w.t1, w.t2, w.t_other]
    other_distributor = await make_distributor(w.region, "Other")
    far_distributor = await make_distributor(w.other_region, "Far")
    distributors: list[UUID | None] = [w.distributor, other_distributor, far_distributor, None]
    customers = [w.c1, w.c2, w.c_other] + [
        await make_customer(
            territory=rng.choice([w.t1, w.t2]), distributor=rng.choice([*distributors[:2], None])
        )
        for _ in range(4)
    ]
    for c in customers:
        await make_contact(c, "seed")
    users = [w.rep1, w.rep2, w.manager, w.other_manager, w.admin, w.distributor_user]
    users += [
        await make_user("rep", region=w.region, territories=[rng.choice([w.t1, w.t2])])
        for _ in range(4)
    ]
    users += [
        await make_user("rep", region=w.other_region, territories=[w.t_other]),
        await make_user("distributor", region=w.region, distributor=other_distributor),
        await make_user("distributor", region=w.other_region, distributor=far_distributor),
        w.customer_user,  # c1's account
        await make_user("customer", customer=customers[3]),
        await make_user("customer", customer=w.c_other),
    ]
    roles = {r["id"]: r["role"] for r in await User.select(User.id, User.role)}
    server = Server(app, None if over_http else DirectClient(), w.headers["admin"])
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
        elif action < 0.55:  # a reassignment
            await server.move(rng.choice(customers), rng.choice(territories))
        elif action < 0.58:  # another distributor
            await server.serve(rng.choice(customers), rng.choice(distributors))
        elif action < 0.63:  # moved two or three times before anybody pulls
            c = rng.choice(customers)
            for _ in range(rng.choice([2, 3])):
                if rng.random() < 0.7:
                    await server.move(c, rng.choice(territories))
                else:
                    await server.serve(c, rng.choice(distributors))
        elif action < 0.66:
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
        missing = sorted(k for k in fresh.replica if k not in d.replica)
        kept = sorted(k for k in d.replica if k not in fresh.replica)  # a lost `del`
        assert d.replica == fresh.replica, (
            f"seed {seed}: device of {roles[u]} {u} diverged",
            {"missing": missing, "kept out of scope": kept},
        )
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


@pytest.mark.parametrize("seed", _seeds(SEEDS, FAST_SEEDS))
async def test_10_devices_converge_after_faults(app, db, seed):
    await simulate(app, seed, over_http=False, steps=STEPS)


@pytest.mark.parametrize("seed", _seeds(HTTP_SEEDS, 0))
async def test_10_devices_converge_after_faults_over_http(app, db, seed):
    await simulate(app, 10_000 + seed, over_http=True, steps=60)
