"""FCM through firebase-admin against a local fake: delivery, batches and every error code."""

import json
from collections.abc import AsyncIterator, Iterator

import pytest

from notifications.fcm import FcmMessage, FcmSender
from notifications.payload import PushAction, PushNotification
from notifications.webpush import SendStatus, Urgency
from tests.fakes.fcm_service import FakeFcmCredentials, FakeFcmService

NOTE = PushNotification(
    notification_id="n-1",
    title="Visit Kask OÜ at 10:00",
    body="Bring the new price list",
    url="/visits/7",
    actions=[PushAction(action="open-visit", title="Open", url="/visits/7")],
)


@pytest.fixture
def fcm() -> Iterator[FakeFcmService]:
    with FakeFcmService(project_id="rounds-test") as service:
        yield service


@pytest.fixture
async def sender(fcm: FakeFcmService) -> AsyncIterator[FcmSender]:
    # A locally minted token and a local base URL: no Google host is ever contacted.
    async with FcmSender(
        project_id="rounds-test", credential=FakeFcmCredentials(), base_url=fcm.origin
    ) as fcm_sender:
        yield fcm_sender


async def test_message_reaches_fcm_with_notification_payload_ttl_and_priority(sender, fcm) -> None:
    [result] = await sender.send(
        [FcmMessage("token-1", NOTE, ttl=900, urgency=Urgency.HIGH, collapse_key="visit-7")]
    )
    assert (result.status, result.target) == (SendStatus.DELIVERED, "token-1")
    [message] = fcm.received
    assert message["token"] == "token-1"
    assert message["notification"] == {
        "title": "Visit Kask OÜ at 10:00",
        "body": "Bring the new price list",
    }
    assert message["android"] == {"ttl": "900s", "priority": "high", "collapse_key": "visit-7"}
    shown = json.loads(message["data"]["payload"])
    assert shown["data"]["url"] == "/visits/7" and shown["data"]["id"] == "n-1"


@pytest.mark.parametrize(
    ("error_code", "status", "http_status"),
    [
        ("UNREGISTERED", SendStatus.GONE, 404),
        ("QUOTA_EXCEEDED", SendStatus.RETRY, 429),
        ("UNAVAILABLE", SendStatus.RETRY, 503),
        ("INTERNAL", SendStatus.RETRY, 500),
        ("INVALID_ARGUMENT", SendStatus.FAILED, 400),
        ("SENDER_ID_MISMATCH", SendStatus.FAILED, 403),
        ("THIRD_PARTY_AUTH_ERROR", SendStatus.FAILED, 401),
    ],
)
async def test_fcm_error_codes_map_to_worker_actions(
    sender, fcm, error_code, status, http_status
) -> None:
    fcm.fail("token-x", error_code)
    [result] = await sender.send([FcmMessage("token-x", NOTE, ttl=60)])
    assert (result.status, result.http_status) == (status, http_status)
    assert result.reason and error_code in result.reason
    assert fcm.received == []


@pytest.mark.parametrize("error_code", ["UNAVAILABLE", "INTERNAL"])
async def test_no_hidden_retries_inside_firebase_admin(sender, fcm, error_code) -> None:
    # Its default client would retry 500/503 for seconds; the outbox owns retries instead.
    fcm.fail("token-x", error_code, times=1)
    [result] = await sender.send([FcmMessage("token-x", NOTE, ttl=60)])
    assert result.status is SendStatus.RETRY
    [again] = await sender.send([FcmMessage("token-x", NOTE, ttl=60)])
    assert again.status is SendStatus.DELIVERED
    assert len(fcm.received) == 1


async def test_quota_exceeded_carries_retry_after(sender, fcm) -> None:
    fcm.fail("token-q", "QUOTA_EXCEEDED", retry_after="90")
    [result] = await sender.send([FcmMessage("token-q", NOTE, ttl=60)])
    assert (result.status, result.retry_after) == (SendStatus.RETRY, 90.0)


async def test_malformed_token_is_gone_but_other_invalid_arguments_are_not(sender, fcm) -> None:
    fcm.fail(
        "garbage",
        "INVALID_ARGUMENT",
        message="The registration token is not a valid FCM registration token",
    )
    fcm.fail("too-big", "INVALID_ARGUMENT", message="Message is too big")
    results = await sender.send([FcmMessage(t, NOTE, ttl=60) for t in ("garbage", "too-big")])
    assert [r.status for r in results] == [SendStatus.GONE, SendStatus.FAILED]


async def test_messages_go_out_in_batches_in_order(fcm) -> None:
    tokens = [f"token-{i}" for i in range(25)]
    fcm.fail("token-23", "UNREGISTERED")
    async with FcmSender(
        project_id="rounds-test",
        credential=FakeFcmCredentials(),
        base_url=fcm.origin,
        batch_size=10,
    ) as sender:
        results = await sender.send([FcmMessage(t, NOTE, ttl=60) for t in tokens])
    assert [r.target for r in results] == tokens
    statuses = [r.status for r in results]
    assert statuses == [SendStatus.DELIVERED] * 23 + [SendStatus.GONE, SendStatus.DELIVERED]
    assert sorted(m["token"] for m in fcm.received) == sorted(set(tokens) - {"token-23"})


@pytest.mark.parametrize("batch_size", [0, 501])
def test_batches_beyond_fcm_limits_are_refused(batch_size: int) -> None:
    with pytest.raises(ValueError, match="FCM batches hold 1 to 500 messages"):
        FcmSender(project_id="p", credential=FakeFcmCredentials(), batch_size=batch_size)


async def test_unreachable_fcm_is_retried() -> None:
    async with FcmSender(
        project_id="rounds-test", credential=FakeFcmCredentials(), base_url="http://127.0.0.1:9"
    ) as sender:
        [result] = await sender.send([FcmMessage("token-1", NOTE, ttl=60)])
    assert result.status is SendStatus.RETRY
