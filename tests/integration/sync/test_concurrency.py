"""Guarantee 4: no change is missed under concurrent writers (PostgreSQL).

16+ writers with transactions of uneven length (some sleep inside the transaction) and 4
readers pulling with small pages; after quiescence every reader's replica equals the server.
The same test with the naive plain-sequence cursor loses changes, so the test can fail.
"""

from __future__ import annotations

import asyncio
import json
import random
from uuid import uuid4

import pytest

from backend.accounts.principal import Principal
from backend.customers.tables import Contact
from backend.db import write_transaction
from backend.settings import get_settings
from sync import ordering
from sync.changelog import record_change
from sync.pull import pull
from tests.factories import make_customer, make_region, make_territory, make_user

pytestmark = pytest.mark.postgres_only


async def _run(order: ordering.CommitOrder) -> list[set[str]]:
    """Writers and readers at once; returns each reader's contact ids after quiescence."""
    previous = ordering.use_order(order)
    try:
        region = await make_region()
        customer = await make_customer(territory=await make_territory(region))
        admin_id = await make_user("admin")
        admin = Principal(
            user_id=admin_id,
            session_id="",
            role="admin",
            email="",
            name="",
            region_id=None,
            distributor_id=None,
            customer_id=None,
            territory_ids=frozenset(),
        )
        secret = get_settings().secret_key
        rng = random.Random(4)
        done = asyncio.Event()

        async def writer(n: int) -> None:
            for _ in range(6):
                async with write_transaction():
                    for _ in range(rng.randint(1, 3)):
                        cid = uuid4()
                        await Contact.insert(Contact(id=cid, customer=customer, name=f"w{n}"))
                        await record_change("contacts", cid, "put", customer_id=customer)
                    if n % 3 == 0:  # long transactions: their ids are taken early
                        await asyncio.sleep(rng.uniform(0.1, 0.4))
                await asyncio.sleep(rng.uniform(0.02, 0.12))

        replicas: list[dict[str, bool]] = [{} for _ in range(4)]

        async def reader(i: int) -> None:
            cursor: str | None = None

            async def once() -> bool:
                nonlocal cursor
                page = await pull(admin, cursor, 3, secret)
                assert not page.reset
                for raw in page.changes:
                    ch = json.loads(raw)
                    if ch["collection"] == "contacts":
                        replicas[i][ch["id"]] = ch["op"] == "put"
                cursor = page.cursor
                return page.has_more

            while await once():  # bootstrap before the writers start
                pass
            started.set()
            while not done.is_set():
                await once()
                await asyncio.sleep(0.005)
            while await once():  # after quiescence: drain
                pass

        readers = [asyncio.create_task(reader(i)) for i in range(4)]
        started = asyncio.Event()
        await started.wait()
        await asyncio.gather(*(writer(n) for n in range(16)))
        done.set()
        await asyncio.gather(*readers)
        return [{k for k, v in r.items() if v} for r in replicas]
    finally:
        ordering.use_order(previous)


async def _server_ids() -> set[str]:
    return {str(r["id"]) for r in await Contact.select(Contact.id)}


async def test_4_commit_order_misses_nothing_under_concurrent_writers(db):
    replicas = await _run(ordering.CommitOrder())
    server = await _server_ids()
    assert len(server) > 16 * 6
    for replica in replicas:
        assert replica == server


async def test_4_the_naive_sequence_cursor_loses_changes(db):
    replicas = await _run(ordering.SequenceOrder())
    server = await _server_ids()
    assert any(replica != server for replica in replicas), "the test cannot tell"
