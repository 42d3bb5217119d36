"""Push subscriptions over HTTP: VAPID key, subscribe, re-subscribe, unsubscribe, bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from litestar import Litestar

from notifications.tables import PushSubscription
from notifications.vapid import b64url_decode
from tests.factories import bearer_for, make_world_fast
from tests.fakes.push_service import FakePushService


def _body(sub, **extra):  # type: ignore[no-untyped-def]
    return {
        "endpoint": sub.endpoint,
        "keys": {"p256dh": sub.p256dh, "auth": sub.auth},
        "expirationTime": None,
        **extra,
    }


async def test_vapid_public_key_is_public_and_stable(client):
    first = await client.get("/api/push/vapid-public-key")
    assert first.status_code == 200
    key = first.json()["public_key"]
    assert len(b64url_decode(key)) == 65 and b64url_decode(key)[0] == 4  # uncompressed P-256
    assert (await client.get("/api/push/vapid-public-key")).json()["public_key"] == key


async def test_subscribe_list_and_resubscribe_without_duplicates(client):
    w = await make_world_fast()
    with FakePushService() as push:
        sub = push.subscribe()
        r = await client.post(
            "/api/push/subscriptions", json=_body(sub, device="Pixel 7"), headers=w.headers["rep1"]
        )
        assert r.status_code == 201, r.text
        assert r.json()["endpoint"] == sub.endpoint and r.json()["device"] == "Pixel 7"
        # The same browser again for the same user: renewed, not duplicated.
        r = await client.post(
            "/api/push/subscriptions", json=_body(sub, device="Pixel 7a"), headers=w.headers["rep1"]
        )
        assert r.status_code == 201 and r.json()["device"] == "Pixel 7a"
    assert await PushSubscription.count() == 1
    mine = (await client.get("/api/push/subscriptions", headers=w.headers["rep1"])).json()
    assert [s["endpoint"] for s in mine] == [sub.endpoint]


async def test_another_users_endpoint_is_refused_not_moved(client):
    w = await make_world_fast()
    with FakePushService() as push:
        sub = push.subscribe()
    r = await client.post("/api/push/subscriptions", json=_body(sub), headers=w.headers["rep1"])
    assert r.status_code == 201
    r = await client.post("/api/push/subscriptions", json=_body(sub), headers=w.headers["rep2"])
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "endpoint"
    # Still rep1's, with rep1's keys.
    row = await PushSubscription.select().first()
    assert row is not None and row["user"] == w.rep1 and row["p256dh"] == sub.p256dh
    assert (await client.get("/api/push/subscriptions", headers=w.headers["rep2"])).json() == []


async def test_logging_out_frees_the_device_for_the_next_user(client):
    """The shared PDA: rep1 logs out, rep2 logs in on the same browser and turns push on."""
    w = await make_world_fast()
    with FakePushService() as push:
        sub = push.subscribe()
        kept = push.subscribe()  # rep1's phone, registered from another login
    rep1_phone = await bearer_for(w.rep1)
    r = await client.post("/api/push/subscriptions", json=_body(kept), headers=rep1_phone)
    assert r.status_code == 201
    r = await client.post("/api/push/subscriptions", json=_body(sub), headers=w.headers["rep1"])
    assert r.status_code == 201
    assert (await client.post("/api/auth/logout", headers=w.headers["rep1"])).status_code == 204
    r = await client.post("/api/push/subscriptions", json=_body(sub), headers=w.headers["rep2"])
    assert r.status_code == 201, r.text
    assert {(r["user"], r["endpoint"]) for r in await PushSubscription.select()} == {
        (w.rep1, kept.endpoint),
        (w.rep2, sub.endpoint),
    }


async def test_unsubscribe_own_only(client):
    w = await make_world_fast()
    with FakePushService() as push:
        sub = push.subscribe()
    r = await client.post("/api/push/subscriptions", json=_body(sub), headers=w.headers["rep1"])
    sid = r.json()["id"]
    other = await client.delete(f"/api/push/subscriptions/{sid}", headers=w.headers["rep2"])
    assert other.status_code == 404
    r = await client.post(
        "/api/push/unsubscribe", json={"endpoint": sub.endpoint}, headers=w.headers["rep2"]
    )
    assert r.status_code == 404
    assert await PushSubscription.count() == 1
    r = await client.post(
        "/api/push/unsubscribe", json={"endpoint": sub.endpoint}, headers=w.headers["rep1"]
    )
    assert r.status_code == 204
    assert await PushSubscription.count() == 0


async def test_fcm_token_subscription(client):
    w = await make_world_fast()
    r = await client.post(
        "/api/push/subscriptions",
        json={"kind": "fcm", "token": "tok-123"},
        headers=w.headers["customer_user"],
    )
    assert r.status_code == 201 and r.json()["kind"] == "fcm"
    r = await client.post(
        "/api/push/subscriptions", json={"kind": "fcm"}, headers=w.headers["customer_user"]
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "token"


async def test_bad_subscriptions_are_refused_and_nothing_stored(client):
    w = await make_world_fast()
    with FakePushService() as push:
        sub = push.subscribe()
    h = w.headers["rep1"]
    bad = [
        {**_body(sub), "keys": {"p256dh": "not-a-point", "auth": sub.auth}},
        {**_body(sub), "keys": {"p256dh": sub.p256dh, "auth": "c2hvcnQ"}},
        {**_body(sub), "endpoint": "ftp://push.example/x"},
        {**_body(sub), "unknown": 1},
        {"endpoint": sub.endpoint},
        {**_body(sub), "keys": {"p256dh": 5, "auth": sub.auth}},
    ]
    for body in bad:
        r = await client.post("/api/push/subscriptions", json=body, headers=h)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert await PushSubscription.count() == 0
    assert (await client.post("/api/push/subscriptions", json=_body(sub))).status_code == 401


INWARD = [
    "http://push.example/x",  # not https
    "https://127.0.0.1/push/1",
    "https://127.1/push/1",  # loopback in inet_aton's short form
    "https://2130706433/push/1",  # 127.0.0.1 as one number
    "https://0x7f.0.0.1/push/1",
    "https://[::1]/push/1",
    "https://[::ffff:127.0.0.1]/push/1",
    "https://10.1.2.3/push/1",
    "https://192.168.0.10:8443/push/1",
    "https://172.16.5.4/push/1",
    "https://169.254.169.254/latest/meta-data",  # cloud metadata, link-local
    "https://[fe80::1]/push/1",
    "https://[fd00::1]/push/1",
    "https://100.64.0.1/push/1",  # carrier-grade NAT
    "https://0.0.0.0/push/1",
    "https://224.0.0.1/push/1",
    "https://localhost/push/1",
    "https://push.localhost/push/1",
    "https://printer.local/push/1",
    "https://intranet/push/1",
    "https://user:secret@push.example/x",
]


@pytest.fixture
def public_only(app: Litestar, monkeypatch: pytest.MonkeyPatch) -> None:
    """The production rule for this test: https endpoints on public hosts only."""
    settings = replace(app.state.settings, push_allow_private_endpoints=False)
    monkeypatch.setattr(app.state, "settings", settings)


@pytest.mark.parametrize("endpoint", INWARD)
async def test_endpoints_that_point_inward_are_refused(client, public_only, endpoint):
    w = await make_world_fast()
    with FakePushService() as push:
        sub = push.subscribe()
    body = {**_body(sub), "endpoint": endpoint}
    r = await client.post("/api/push/subscriptions", json=body, headers=w.headers["rep1"])
    assert r.status_code == 422, (endpoint, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "endpoint"
    assert await PushSubscription.count() == 0


async def test_public_push_services_are_accepted(client, public_only):
    w = await make_world_fast()
    with FakePushService() as push:
        sub = push.subscribe()
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc:def",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://8.8.8.8/push/1",
    ):
        body = {**_body(sub), "endpoint": endpoint}
        r = await client.post("/api/push/subscriptions", json=body, headers=w.headers["rep1"])
        assert r.status_code == 201, (endpoint, r.text)
    assert await PushSubscription.count() == 3
