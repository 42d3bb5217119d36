"""Fixtures for the push channel tests: real fake services listening on loopback."""

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

# `tests.fakes` is a package under the repository root, which pytest does not put on sys.path.
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from notifications.vapid import VapidKeys  # noqa: E402
from notifications.webpush import WebPushSender, WebPushSubscription  # noqa: E402
from tests.fakes.push_service import FakePushService, FakeSubscription  # noqa: E402

SUBJECT = "mailto:ops@rounds.example"


@pytest.fixture(scope="session")
def vapid_keys() -> VapidKeys:
    return VapidKeys.generate()


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service


@pytest.fixture
async def sender(vapid_keys: VapidKeys) -> AsyncIterator[WebPushSender]:
    async with WebPushSender(vapid_keys, SUBJECT, timeout=2.0, allow_private=True) as web_push:
        yield web_push


@pytest.fixture
def subscribe(
    push_service: FakePushService,
) -> Callable[[], tuple[FakeSubscription, WebPushSubscription]]:
    """Subscribe a fake browser; returns its private side and what the PWA would post to us."""

    def make() -> tuple[FakeSubscription, WebPushSubscription]:
        fake = push_service.subscribe()
        return fake, WebPushSubscription(fake.endpoint, fake.p256dh, fake.auth)

    return make
