"""Push and pull through HTTP: the protocol's basic contract."""

from __future__ import annotations

from uuid import uuid4

from tests.factories import make_contact, make_sync_world
from tests.integration.sync.device import Device


async def test_bootstrap_gives_the_reps_scope_and_nothing_else(client):
    w = await make_sync_world()
    await make_contact(w.c1, "Mari")
    rep = Device(client, w.headers["rep1"])
    await rep.sync(limit=2)
    assert rep.ids("customers") == {str(w.c1)}
    assert len(rep.ids("contacts")) == 1
    assert rep.ids("territories") == {str(w.t1)}
    assert rep.ids("users") == {str(w.rep1)}
    assert rep.pages > 3  # really paged


async def test_push_creates_and_pull_shows_it(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    vid = uuid4()
    rep.queue("visits", "create", vid, {"customer_id": str(w.c1)})
    body = await rep.push()
    assert body["results"][0]["status"] == "applied", body
    assert body["client_code"] >= 1
    rep.cursor = body["cursor"]
    await rep.sync()
    assert str(vid) in rep.ids("visits")
