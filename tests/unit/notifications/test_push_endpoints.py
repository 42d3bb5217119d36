"""The sender never connects to a non-public address: checked when it resolves and posts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from notifications.endpoints import NonPublicAddress, PublicResolver
from notifications.webpush import PreparedPush, SendStatus, WebPushSender, WebPushSubscription
from tests.unit.notifications.conftest import SUBJECT
from tests.unit.notifications.test_push_webpush import RFC_AUTH, RFC_RECEIVER_PUBLIC


@asynccontextmanager
async def listener(answer: bytes) -> AsyncIterator[tuple[int, list[bytes]]]:
    """A local TCP server that records what reaches it and answers `answer`."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.read(4096))
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1], seen
    finally:
        server.close()
        await server.wait_closed()


async def test_a_name_resolving_to_loopback_is_refused_by_the_resolver() -> None:
    resolver = PublicResolver()
    with pytest.raises(NonPublicAddress):
        await resolver.resolve("localhost", 443)
    await resolver.close()


async def test_a_host_name_pointing_inward_at_send_time_is_not_contacted(vapid_keys) -> None:
    """A subscription stored with a public-looking name whose DNS now points inward."""
    async with listener(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n") as (port, seen):
        async with WebPushSender(vapid_keys, SUBJECT, timeout=2.0) as sender:
            prepared = PreparedPush(f"https://localhost:{port}/push/1", b"x", {"TTL": "60"})
            result = await sender.post(prepared)
    assert result.status is SendStatus.FAILED
    assert "no public address" in (result.reason or "")
    assert seen == []


async def test_an_inward_address_stored_earlier_is_not_contacted(vapid_keys) -> None:
    async with listener(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n") as (port, seen):
        subscription = WebPushSubscription(
            f"http://127.0.0.1:{port}/push/1", RFC_RECEIVER_PUBLIC, RFC_AUTH
        )
        async with WebPushSender(vapid_keys, SUBJECT, timeout=2.0) as sender:
            result = await sender.send(subscription, b"hi", ttl=60)
    assert result.status is SendStatus.FAILED
    assert seen == []


async def test_a_redirect_is_not_followed(vapid_keys) -> None:
    async with listener(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n") as (inner, seen):
        redirect = (
            f"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{inner}/x\r\n"
            "Content-Length: 0\r\n\r\n"
        ).encode()
        async with listener(redirect) as (outer, _):
            subscription = WebPushSubscription(
                f"http://127.0.0.1:{outer}/push/1", RFC_RECEIVER_PUBLIC, RFC_AUTH
            )
            async with WebPushSender(
                vapid_keys, SUBJECT, timeout=2.0, allow_private=True
            ) as sender:
                result = await sender.send(subscription, b"hi", ttl=60)
    assert result.status is SendStatus.FAILED and result.http_status == 307
    assert seen == []
