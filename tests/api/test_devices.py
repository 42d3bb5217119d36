"""Device sync health: a device that pushes and pulls shows up with its times, the version and
pending count it reported, its rejected mutations and how far behind its cursor is; a device
silent for over a day is stale; each reader sees the devices of the users they see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sync.tables import SyncClient
from tests.factories import make_route, make_user, make_world_fast, sync_headers


def _visit(mid: int, customer, **fields) -> dict:
    return {
        "mid": mid,
        "collection": "visits",
        "op": "create",
        "id": str(uuid4()),
        "fields": {"customer_id": str(customer), **fields},
    }


async def _devices(client, headers) -> dict[str, dict]:
    r = await client.get("/api/devices", headers=headers)
    assert r.status_code == 200, r.text
    return {d["client_id"]: d for d in r.json()}


async def test_a_phone_that_pushes_and_pulls_shows_its_health(client):
    w = await make_world_fast()
    phone = str(uuid4())
    before = datetime.now(UTC)
    push = {
        "client_id": phone,
        "schema_version": 1,
        "app_version": "12",
        "pending": 2,
        "mutations": [_visit(1, w.c1, notes="bad\x00"), _visit(2, w.c1, notes="fine")],
    }
    r = await client.post("/api/sync/push", json=push, headers=w.headers["rep1"])
    assert [x["status"] for x in r.json()["results"]] == ["rejected", "applied"]

    seen = (await _devices(client, w.headers["manager"]))[phone]
    assert seen["user"] == {"id": str(w.rep1), "name": seen["user"]["name"], "role": "rep"}
    assert (seen["app_version"], seen["pending"], seen["rejected"]) == ("12", 2, 1)
    assert datetime.fromisoformat(seen["last_push_at"]) >= before
    assert seen["last_pull_at"] is None and seen["behind"] is None and seen["stale"] is False

    # It pulls everything (reporting an empty outbox): nothing behind.
    cursor = None
    while True:
        q = {"client_id": phone, "app_version": "12", "pending": 0}
        if cursor:
            q["cursor"] = cursor
        page = (await client.get("/api/sync/pull", params=q, headers=w.headers["rep1"])).json()
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    seen = (await _devices(client, w.headers["manager"]))[phone]
    assert seen["pending"] == 0 and seen["behind"] == 0
    assert datetime.fromisoformat(seen["last_pull_at"]) >= before

    # Two changes happen on the server: it is two entries behind until it pulls again.
    await make_route(w.rep1, [w.c1])
    await make_route(w.rep2, [w.c2])
    assert (await _devices(client, w.headers["manager"]))[phone]["behind"] == 2
    q = {"client_id": phone, "cursor": cursor}
    await client.get("/api/sync/pull", params=q, headers=w.headers["rep1"])
    seen = (await _devices(client, w.headers["manager"]))[phone]
    assert seen["behind"] == 0
    assert seen["app_version"] == "12" and seen["pending"] == 0  # kept when not reported


async def test_a_device_that_only_pulls_is_listed_and_old_clients_still_sync(client):
    w = await make_world_fast()
    phone = str(uuid4())
    r = await client.get("/api/sync/pull", params={"client_id": phone}, headers=w.headers["rep2"])
    assert r.status_code == 200 and r.json()["client_code"] >= 1
    seen = (await _devices(client, w.headers["rep2"]))[phone]
    assert seen["app_version"] == "" and seen["pending"] is None and seen["last_pull_at"]
    # A push without the new fields (protocol v1 as before) is fine.
    old = {"client_id": phone, "schema_version": 1, "mutations": []}
    assert (await client.post("/api/sync/push", json=old, headers=w.headers["rep2"])).is_success


async def test_silent_for_a_day_is_stale_and_each_reader_sees_their_users_devices(client):
    w = await make_world_fast()
    far_rep = await make_user("rep", region=w.other_region)
    phones = {}
    for who, headers in (
        ("rep1", w.headers["rep1"]),
        ("rep2", w.headers["rep2"]),
        ("far", await sync_headers(far_rep)),
        ("distributor", w.headers["distributor_user"]),
    ):
        phones[who] = str(uuid4())
        body = {"client_id": phones[who], "schema_version": 1, "mutations": []}
        assert (await client.post("/api/sync/push", json=body, headers=headers)).is_success
    long_ago = datetime.now(UTC) - timedelta(hours=25)
    await SyncClient.update(
        {SyncClient.last_push_at: long_ago, SyncClient.created_at: long_ago}
    ).where(SyncClient.client_id == phones["rep2"])

    manager = await _devices(client, w.headers["manager"])
    assert set(manager) == {phones["rep1"], phones["rep2"]}
    assert manager[phones["rep2"]]["stale"] is True
    assert manager[phones["rep1"]]["stale"] is False
    assert set(await _devices(client, w.headers["admin"])) == set(phones.values())
    assert set(await _devices(client, w.headers["rep1"])) == {phones["rep1"]}
    assert set(await _devices(client, w.headers["distributor_user"])) == {phones["distributor"]}
    assert await _devices(client, w.headers["customer_user"]) == {}
    assert (await client.get("/api/devices")).status_code == 401


async def test_another_users_client_id_on_a_pull_is_not_noted(client):
    w = await make_world_fast()
    phone = str(uuid4())
    body = {"client_id": phone, "schema_version": 1, "app_version": "3", "mutations": []}
    assert (await client.post("/api/sync/push", json=body, headers=w.headers["rep1"])).is_success
    q = {"client_id": phone, "app_version": "evil", "pending": 99}
    r = await client.get("/api/sync/pull", params=q, headers=w.headers["rep2"])
    assert r.status_code == 200 and r.json().get("client_code") is None
    seen = (await _devices(client, w.headers["manager"]))[phone]
    assert seen["user"]["id"] == str(w.rep1)
    assert (seen["app_version"], seen["pending"], seen["last_pull_at"]) == ("3", None, None)
