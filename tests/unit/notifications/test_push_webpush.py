"""Web Push sending: RFC 8291 encryption, headers, and what each push service answer means."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from notifications.payload import MAX_PLAINTEXT, PayloadTooLarge
from notifications.vapid import b64url_decode, b64url_encode
from notifications.webpush import (
    SendStatus,
    Urgency,
    WebPushSender,
    WebPushSubscription,
    check_topic,
    encrypt,
    parse_retry_after,
)

# RFC 8291 Appendix A (see /work/shared/reference/webpush.md).
RFC_PLAINTEXT = b"When I grow up, I want to be a watermelon"
RFC_SENDER_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
RFC_RECEIVER_PUBLIC = (
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
)
RFC_RECEIVER_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
RFC_SALT = "DGv6ra1nlYgDCS1FRnbzlw"
RFC_AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
RFC_BODY = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6"
    "TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy"
    "4a-fN"
)


def _private(b64: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(b64url_decode(b64), "big"), ec.SECP256R1())


def test_rfc8291_worked_example_byte_for_byte() -> None:
    # The library pywebpush's WebPusher.encode calls, with the RFC's key and salt injected.
    body = http_ece.encrypt(
        RFC_PLAINTEXT,
        salt=b64url_decode(RFC_SALT),
        private_key=_private(RFC_SENDER_PRIVATE),
        dh=b64url_decode(RFC_RECEIVER_PUBLIC),
        auth_secret=b64url_decode(RFC_AUTH),
        version="aes128gcm",
    )
    assert len(body) == 144
    assert b64url_encode(body) == RFC_BODY


def test_our_encryption_decrypts_with_the_receivers_private_key() -> None:
    subscription = WebPushSubscription("https://push.example/x", RFC_RECEIVER_PUBLIC, RFC_AUTH)
    body = encrypt(subscription, RFC_PLAINTEXT)
    assert int.from_bytes(body[16:20], "big") == 4096  # record size in the header
    assert body[20] == 65  # key id is the sender's ephemeral uncompressed public key
    plaintext = http_ece.decrypt(
        body,
        private_key=_private(RFC_RECEIVER_PRIVATE),
        auth_secret=b64url_decode(RFC_AUTH),
        version="aes128gcm",
    )
    assert plaintext == RFC_PLAINTEXT
    # A fresh ephemeral key and salt per message: the same text never encrypts the same.
    assert encrypt(subscription, RFC_PLAINTEXT) != body


def test_largest_allowed_payload_fills_exactly_one_4096_byte_record() -> None:
    subscription = WebPushSubscription("https://push.example/x", RFC_RECEIVER_PUBLIC, RFC_AUTH)
    assert len(encrypt(subscription, b"x" * MAX_PLAINTEXT)) == 4096
    with pytest.raises(PayloadTooLarge):
        encrypt(subscription, b"x" * (MAX_PLAINTEXT + 1))


async def test_message_arrives_decrypted_with_ttl_urgency_and_topic(
    sender, push_service, subscribe
) -> None:
    fake, subscription = subscribe()
    payload = json.dumps({"title": "Visit at 10:00", "body": "Kask OÜ"}).encode()

    result = await sender.send(
        subscription, payload, ttl=3600, urgency=Urgency.HIGH, topic="visit-42"
    )

    assert result.status is SendStatus.DELIVERED
    assert result.http_status == 201
    [received] = push_service.received
    assert received.endpoint == fake.endpoint
    assert received.plaintext == payload
    assert (received.ttl, received.urgency, received.topic) == (3600, "high", "visit-42")
    assert received.claims["aud"] == push_service.origin
    assert received.claims["sub"] == "mailto:ops@rounds.example"


async def test_concurrent_sends_all_arrive_once(sender, push_service, subscribe) -> None:
    subscriptions = [subscribe()[1] for _ in range(5)]
    results = await asyncio.gather(
        *(sender.send(s, f"m{i}".encode(), ttl=60) for i, s in enumerate(subscriptions * 4))
    )
    assert {r.status for r in results} == {SendStatus.DELIVERED}
    assert sorted(r.plaintext for r in push_service.received) == sorted(
        f"m{i}".encode() for i in range(20)
    )


async def test_unknown_endpoint_is_gone(sender, push_service, subscribe) -> None:
    _, subscription = subscribe()
    unknown = WebPushSubscription(
        push_service.origin + "/push/never-existed", subscription.p256dh, subscription.auth
    )
    result = await sender.send(unknown, b"hi", ttl=60)
    assert (result.status, result.http_status) == (SendStatus.GONE, 404)
    assert result.target == unknown.endpoint  # the exact endpoint to delete


async def test_unsubscribed_endpoint_is_gone(sender, push_service, subscribe) -> None:
    fake, subscription = subscribe()
    push_service.unsubscribe(fake.endpoint)
    result = await sender.send(subscription, b"hi", ttl=60)
    assert (result.status, result.http_status, result.target) == (
        SendStatus.GONE,
        410,
        fake.endpoint,
    )
    assert push_service.received == []


@pytest.mark.parametrize(
    ("answer", "status", "retry_after"),
    [
        (429, SendStatus.RETRY, 120.0),
        (500, SendStatus.RETRY, None),
        (503, SendStatus.RETRY, 120.0),
        (413, SendStatus.FAILED, None),
        (400, SendStatus.FAILED, None),
        (403, SendStatus.FAILED, None),
        (404, SendStatus.GONE, None),
        (410, SendStatus.GONE, None),
    ],
)
async def test_push_service_answers_map_to_worker_actions(
    sender, push_service, subscribe, answer, status, retry_after
) -> None:
    fake, subscription = subscribe()
    header = "120" if retry_after else None
    push_service.respond(fake.endpoint, answer, retry_after=header)

    result = await sender.send(subscription, b"hi", ttl=60)

    assert (result.status, result.http_status, result.retry_after) == (status, answer, retry_after)
    if status is SendStatus.FAILED:
        assert result.reason
    # The script was for one request only: the next send goes through.
    assert (await sender.send(subscription, b"again", ttl=60)).status is SendStatus.DELIVERED


async def test_retry_after_as_http_date(sender, push_service, subscribe) -> None:
    fake, subscription = subscribe()
    when = datetime.now(UTC) + timedelta(minutes=10)
    push_service.respond(fake.endpoint, 429, retry_after=format_datetime(when, usegmt=True))
    result = await sender.send(subscription, b"hi", ttl=60)
    assert result.status is SendStatus.RETRY
    assert result.retry_after is not None and 590 <= result.retry_after <= 600


async def test_next_n_failures_then_success(sender, push_service, subscribe) -> None:
    _, subscription = subscribe()
    push_service.fail_next(2, 503)
    statuses = [(await sender.send(subscription, b"x", ttl=60)).status for _ in range(3)]
    assert statuses == [SendStatus.RETRY, SendStatus.RETRY, SendStatus.DELIVERED]


async def test_hung_push_service_times_out_as_retry(vapid_keys) -> None:
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # hold the connection open, say nothing

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    subscription = WebPushSubscription(
        f"http://127.0.0.1:{port}/push/1", RFC_RECEIVER_PUBLIC, RFC_AUTH
    )
    async with WebPushSender(
        vapid_keys, "mailto:ops@rounds.example", timeout=0.3, allow_private=True
    ) as sender:
        result = await sender.send(subscription, b"hi", ttl=60)
    server.close()
    assert (result.status, result.reason) == (SendStatus.RETRY, "timeout")


async def test_unreachable_push_service_is_retried(sender) -> None:
    subscription = WebPushSubscription("http://127.0.0.1:9/push/1", RFC_RECEIVER_PUBLIC, RFC_AUTH)
    result = await sender.send(subscription, b"hi", ttl=60)
    assert result.status is SendStatus.RETRY
    assert result.reason and result.reason.startswith("network")


async def test_fake_rejects_a_request_without_ttl(push_service, subscribe, vapid_keys) -> None:
    _, subscription = subscribe()
    headers = {
        "Authorization": vapid_keys.authorization(subscription.endpoint, "mailto:a@b.example"),
        "Content-Encoding": "aes128gcm",
    }
    async with aiohttp.ClientSession() as session:
        body = encrypt(subscription, b"hi")
        async with session.post(subscription.endpoint, data=body, headers=headers) as response:
            assert response.status == 400
    assert push_service.received == []


@pytest.mark.parametrize("topic", ["", "x" * 33, "has space", "slash/es", "plus+"])
def test_topic_outside_base64url_or_too_long_is_refused(topic: str) -> None:
    with pytest.raises(ValueError, match="push topic must be 1-32 base64url characters"):
        check_topic(topic)


def test_topic_of_32_base64url_characters_is_accepted() -> None:
    topic = "Ab0_-" * 6 + "zz"
    assert check_topic(topic) == topic


def test_retry_after_parsing() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after("Sun, 01 Mar 2026 12:02:00 GMT", now) == 120.0
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0.0  # already past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


async def test_negative_ttl_is_refused(sender, subscribe) -> None:
    _, subscription = subscribe()
    with pytest.raises(ValueError, match="ttl must be zero or more seconds"):
        await sender.send(subscription, b"hi", ttl=-1)


@pytest.mark.parametrize(
    ("p256dh", "auth", "message"),
    [
        ("not-base64!!", RFC_AUTH, "invalid push subscription keys"),
        # not a point on P-256
        (b64url_encode(b"\x04" + b"\x01" * 64), RFC_AUTH, "invalid push subscription keys"),
        (RFC_RECEIVER_PUBLIC, b64url_encode(b"short"), "auth secret must be 16 bytes"),
    ],
)
def test_broken_subscription_keys_are_refused_at_registration(
    p256dh: str, auth: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WebPushSubscription("https://push.example/x", p256dh, auth).check()


def test_browser_subscription_keys_pass_the_check(subscribe) -> None:
    _, subscription = subscribe()
    assert subscription.check() is subscription


async def test_unencryptable_subscription_fails_without_a_request(sender, push_service) -> None:
    broken = WebPushSubscription(
        push_service.origin + "/push/x", b64url_encode(b"\x04" + b"\x01" * 64), RFC_AUTH
    )
    result = await sender.send(broken, b"hi", ttl=60)
    assert result.status is SendStatus.FAILED
    assert result.reason and "invalid subscription keys" in result.reason
    assert push_service.received == [] and push_service.rejected == []


async def test_oversized_payload_is_a_caller_error(sender, subscribe) -> None:
    _, subscription = subscribe()
    with pytest.raises(PayloadTooLarge):
        await sender.send(subscription, b"x" * (MAX_PLAINTEXT + 1), ttl=60)
