"""Push subscriptions over HTTP: VAPID key, subscribe, re-subscribe, unsubscribe, bad input."""

from __future__ import annotations

from notifications.tables import PushSubscription
from notifications.vapid import b64url_decode
from tests.factories import make_world_fast
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


async def test_subscribe_list_and_resubscribe_moves_without_duplicates(client):
    w = await make_world_fast()
    with FakePushService() as push:
        sub = push.subscribe()
        r = await client.post(
            "/api/push/subscriptions", json=_body(sub, device="Pixel 7"), headers=w.headers["rep1"]
        )
        assert r.status_code == 201, r.text
        assert r.json()["endpoint"] == sub.endpoint and r.json()["device"] == "Pixel 7"
        # The same browser again (e.g. after re-login as someone else on a shared PDA).
        r = await client.post("/api/push/subscriptions", json=_body(sub), headers=w.headers["rep2"])
        assert r.status_code == 201
    assert await PushSubscription.count() == 1
    mine = (await client.get("/api/push/subscriptions", headers=w.headers["rep2"])).json()
    assert [s["endpoint"] for s in mine] == [sub.endpoint]
    assert (await client.get("/api/push/subscriptions", headers=w.headers["rep1"])).json() == []


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
        {**_body(sub), "endpoint": "http://push.example/x"},
        {**_body(sub), "unknown": 1},
        {"endpoint": sub.endpoint},
        {**_body(sub), "keys": {"p256dh": 5, "auth": sub.auth}},
    ]
    for body in bad:
        r = await client.post("/api/push/subscriptions", json=body, headers=h)
        assert r.status_code in (400, 422), (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert await PushSubscription.count() == 0
    assert (await client.post("/api/push/subscriptions", json=_body(sub))).status_code == 401
