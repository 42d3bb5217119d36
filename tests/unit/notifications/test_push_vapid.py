"""VAPID keys survive a restart, and push services accept (only) correct tokens."""

import stat
import time
from types import SimpleNamespace

import aiohttp
import pytest

from notifications.vapid import VapidKeys, audience, b64url_decode
from notifications.webpush import SendStatus, WebPushSender, WebPushSubscription, encrypt
from tests.fakes.push_service import FakePushService

SUBJECT = "mailto:ops@rounds.example"


def test_application_server_key_is_the_uncompressed_p256_point() -> None:
    raw = b64url_decode(VapidKeys.generate().application_server_key)
    assert len(raw) == 65 and raw[0] == 0x04


def test_pem_and_base64url_round_trips_keep_the_public_key() -> None:
    keys = VapidKeys.generate()
    assert VapidKeys.from_pem(keys.private_pem()).application_server_key == (
        keys.application_server_key
    )
    assert VapidKeys.from_base64url(keys.private_base64url()).application_server_key == (
        keys.application_server_key
    )


def test_keys_are_created_on_first_start_and_kept(tmp_path) -> None:
    path = tmp_path / "secrets" / "vapid.pem"
    first = VapidKeys.load_or_create(path)
    second = VapidKeys.load_or_create(path)
    assert second.application_server_key == first.application_server_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("endpoint", "origin"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", "https://fcm.googleapis.com"),
        (
            "https://updates.push.services.mozilla.com:443/wpush/v2/x",
            "https://updates.push.services.mozilla.com:443",
        ),
        ("http://127.0.0.1:8123/push/1?x=y", "http://127.0.0.1:8123"),
    ],
)
def test_audience_is_the_push_service_origin(endpoint: str, origin: str) -> None:
    assert audience(endpoint) == origin


@pytest.mark.parametrize("subject", ["ops@rounds.example", "http://rounds.example", "mailto:"])
def test_subject_must_be_mailto_or_https(subject: str) -> None:
    with pytest.raises(ValueError, match="VAPID subject must be a mailto: or https: URL"):
        VapidKeys.generate().authorization("https://push.example/1", subject)


def test_token_lifetime_above_24_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="VAPID token lifetime must be within 24 hours"):
        VapidKeys.generate().authorization("https://push.example/1", SUBJECT, lifetime=86401)


async def test_one_sender_serves_two_push_services_without_leaking_aud(vapid_keys) -> None:
    # pywebpush's shared-claims bug would send the first service's aud to the second: 403.
    with FakePushService() as first, FakePushService() as second:
        async with WebPushSender(vapid_keys, SUBJECT, allow_private=True) as sender:
            for service in (first, second, first):
                fake = service.subscribe()
                result = await sender.send(
                    WebPushSubscription(fake.endpoint, fake.p256dh, fake.auth), b"hi", ttl=60
                )
                assert result.status is SendStatus.DELIVERED
        assert [r.claims["aud"] for r in first.received] == [first.origin, first.origin]
        assert [r.claims["aud"] for r in second.received] == [second.origin]
        assert first.received[0].vapid_key == vapid_keys.application_server_key


async def _post(subscription, authorization: str) -> int:
    headers = {"Authorization": authorization, "TTL": "60", "Content-Encoding": "aes128gcm"}
    async with aiohttp.ClientSession() as session:
        body = encrypt(subscription, b"hi")
        async with session.post(subscription.endpoint, data=body, headers=headers) as response:
            return response.status


async def test_fake_accepts_the_space_less_py_vapid_form(push_service, subscribe, vapid_keys):
    _, subscription = subscribe()
    header = vapid_keys.authorization(subscription.endpoint, SUBJECT).replace(", k=", ",k=")
    assert await _post(subscription, header) == 201


async def test_fake_rejects_a_token_for_another_origin(push_service, subscribe, vapid_keys):
    _, subscription = subscribe()
    header = vapid_keys.authorization("https://other-push.example/1", SUBJECT)
    assert await _post(subscription, header) == 403
    assert push_service.received == []
    assert "aud" in push_service.rejected[-1][1]


async def test_fake_rejects_an_expired_token(push_service, subscribe, vapid_keys):
    _, subscription = subscribe()
    two_days_ago = time.time() - 2 * 86400
    header = vapid_keys.authorization(subscription.endpoint, SUBJECT, now=two_days_ago)
    assert await _post(subscription, header) == 403
    assert "exp" in push_service.rejected[-1][1]


async def test_fake_rejects_a_token_signed_by_another_key(push_service, subscribe, vapid_keys):
    _, subscription = subscribe()
    token = vapid_keys.authorization(subscription.endpoint, SUBJECT).split(", k=")[0]
    other_key = VapidKeys.generate().application_server_key
    assert await _post(subscription, f"{token}, k={other_key}") == 403
    assert "signature" in push_service.rejected[-1][1]


async def test_one_token_per_push_service_until_half_its_lifetime(vapid_keys, monkeypatch) -> None:
    # RFC 8292 lets a token be reused until it expires: signing one per message is waste.
    import notifications.webpush as webpush_module

    now = [time.time()]
    monkeypatch.setattr(webpush_module, "time", SimpleNamespace(time=lambda: now[0]))
    with FakePushService() as service:
        async with WebPushSender(
            vapid_keys, SUBJECT, token_lifetime=600, allow_private=True
        ) as sender:
            fake = service.subscribe()
            subscription = WebPushSubscription(fake.endpoint, fake.p256dh, fake.auth)
            for step in (0, 10, 280, 21):  # the last send is 311 s in: past half of 600 s
                now[0] += step
                result = await sender.send(subscription, b"hi", ttl=60)
                assert result.status is SendStatus.DELIVERED
    expiries = [r.claims["exp"] for r in service.received]
    assert expiries[0] == expiries[1] == expiries[2]  # the same token, reused
    assert expiries[3] > expiries[2]  # signed anew once half its lifetime had passed
