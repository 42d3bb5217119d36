"""Shared helpers for the outbox and worker tests: users with fake-push subscriptions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from uuid import UUID, uuid4

import pytest

from backend.settings import Settings, get_settings
from notifications.tables import PushSubscription
from tests.factories import make_user
from tests.fakes.push_service import FakePushService, FakeSubscription


@pytest.fixture
def push() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service


def worker_settings(**overrides: object) -> Settings:
    """Small batches, short leases, a fast poll: what the tests need to run in seconds."""
    base = dict(
        push_batch_size=20,
        push_concurrency=8,
        push_lease_seconds=30,
        push_poll_ms=50,
        reminders_enabled=False,
    )
    base.update(overrides)
    return replace(get_settings(), **base)  # type: ignore[arg-type]


async def subscribe(user_id: UUID, sub: FakeSubscription) -> UUID:
    """Store a fake browser's subscription for a user, as POST /api/push/subscriptions would."""
    sid = uuid4()
    await PushSubscription.insert(
        PushSubscription(
            id=sid,
            user=user_id,
            kind="webpush",
            endpoint=sub.endpoint,
            p256dh=sub.p256dh,
            auth=sub.auth,
        )
    )
    return sid


async def user_with_device(push: FakePushService, **prefs: object) -> tuple[UUID, FakeSubscription]:
    uid = await make_user("rep")
    if prefs:
        from backend.accounts.tables import User

        await User.update({User.preferences: dict(prefs)}).where(User.id == uid)
    sub = push.subscribe()
    await subscribe(uid, sub)
    return uid, sub
