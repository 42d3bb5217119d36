"""Send one Web Push message (RFC 8030/8291/8292) and say what the push service answered.

pywebpush 2.5 has `webpush_async` on aiohttp, but it opens a new session per call unless
given one, writes `aud`/`exp` into the caller's claims dict, defaults to TTL 0 and raises
for every status above 202. We keep pywebpush for the aes128gcm encryption
(`WebPusher.encode`), sign the VAPID token ourselves from a fresh claims dict, and post
through one shared aiohttp session so a worker reuses connections and runs many sends on
one event loop. A send is two steps, `prepare` (VAPID header, encryption: CPU) and `post`
(the request), so the worker can do the first before a message is due and only the second
at its due time. The VAPID token of a push service is reused for half its lifetime (RFC 8292
allows reuse until `exp`): an ES256 signature per message cost about a third as much as
the message's encryption.

aiohttp rather than httpx: against the local fake push service in another
process, one sender reached ~1,500 messages/s with aiohttp and ~440/s with httpx, whose
connection pool spends most of its time re-scanning connections under concurrency.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any

import aiohttp
from cryptography.hazmat.primitives.asymmetric import ec
from pywebpush import WebPusher, WebPushException

from notifications.endpoints import NonPublicAddress, check_endpoint, resolver
from notifications.payload import MAX_PLAINTEXT, PayloadTooLarge
from notifications.vapid import (
    DEFAULT_LIFETIME_SECONDS,
    VapidKeys,
    audience,
    b64url_decode,
    check_subject,
)

_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_REASON_LIMIT = 200


class SendStatus(StrEnum):
    """Outcome of one send, as the outbox worker acts on it."""

    DELIVERED = "delivered"  # accepted by the push service (201/202): done
    GONE = "gone"  # subscription or token no longer exists: delete it
    RETRY = "retry"  # temporary: try again later, not before retry_after
    FAILED = "failed"  # permanent for this message: record the reason


class Urgency(StrEnum):
    """RFC 8030 §5.3: lets the device decide whether to wake up for the message."""

    VERY_LOW = "very-low"
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class SendResult:
    """What happened to one message sent to `target` (endpoint or FCM token)."""

    status: SendStatus
    target: str
    http_status: int | None = None
    retry_after: float | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class WebPushSubscription:
    """A browser's PushSubscription: endpoint plus the keys to encrypt for it."""

    endpoint: str
    p256dh: str
    auth: str

    def check(self) -> WebPushSubscription:
        """Validate what a browser sent: an http(s) endpoint, a P-256 point, a 16-byte secret."""
        audience(self.endpoint)
        try:
            point, secret = b64url_decode(self.p256dh), b64url_decode(self.auth)
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        except ValueError as error:  # binascii.Error is a ValueError too
            raise ValueError(f"invalid push subscription keys: {error}") from error
        if len(secret) != 16:
            raise ValueError("push subscription auth secret must be 16 bytes")
        return self

    def as_info(self) -> dict[str, Any]:
        """The `subscription_info` mapping pywebpush expects."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass(frozen=True, slots=True)
class PreparedPush:
    """A message ready to post: encrypted body and headers, VAPID token included."""

    endpoint: str
    body: bytes
    headers: dict[str, str]


def check_topic(topic: str) -> str:
    """Validate a Topic header: at most 32 characters of the base64url alphabet."""
    if not _TOPIC.fullmatch(topic):
        raise ValueError(f"push topic must be 1-32 base64url characters, got {topic!r}")
    return topic


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def encrypt(subscription: WebPushSubscription, plaintext: bytes) -> bytes:
    """Encrypt with aes128gcm (RFC 8291) for the subscription's keys, via pywebpush."""
    if len(plaintext) > MAX_PLAINTEXT:
        raise PayloadTooLarge(
            f"push payload is {len(plaintext)} bytes; at most {MAX_PLAINTEXT} fit one record"
        )
    encoded = WebPusher(subscription.as_info()).encode(plaintext, "aes128gcm")
    body: bytes = encoded["body"]
    return body


def classify(
    endpoint: str,
    status: int,
    text: str,
    *,
    retry_after: str | None = None,
    now: datetime | None = None,
) -> SendResult:
    """Map a push service's answer to what the worker must do next."""
    if status in (200, 201, 202):
        return SendResult(SendStatus.DELIVERED, endpoint, status)
    reason = text.strip()[:_REASON_LIMIT] or None
    if status in (404, 410):
        return SendResult(SendStatus.GONE, endpoint, status, reason=reason)
    if status in (408, 429) or status >= 500:
        wait = parse_retry_after(retry_after, now)
        return SendResult(SendStatus.RETRY, endpoint, status, wait, reason)
    # 400 bad request, 401/403 VAPID rejected, 413 too large: sending again cannot help.
    return SendResult(SendStatus.FAILED, endpoint, status, reason=reason or f"HTTP {status}")


class WebPushSender:
    """Sends Web Push messages over one pooled HTTP session; use one per worker, in one loop."""

    def __init__(
        self,
        keys: VapidKeys,
        subject: str,
        *,
        timeout: float = 10.0,
        max_connections: int = 100,
        token_lifetime: int = DEFAULT_LIFETIME_SECONDS,
        allow_private: bool = False,
    ) -> None:
        self._keys = keys
        # Off: endpoints must be https on public hosts, checked again when connecting.
        self._allow_private = allow_private
        self._subject = check_subject(subject)
        self._token_lifetime = token_lifetime
        # A hung push service must not hold a worker slot for ever: the whole request is bounded.
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._tokens: dict[str, tuple[float, str]] = {}  # push service origin -> (renew at, header)

    async def __aenter__(self) -> WebPushSender:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _pool(self) -> aiohttp.ClientSession:
        # Created on first use so it binds to the event loop the worker actually runs.
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._max_connections, resolver=resolver(self._allow_private)
                ),
                timeout=self._timeout,
            )
        return self._session

    def _authorization(self, endpoint: str) -> str:
        """The VAPID header for `endpoint`'s push service, signed again after half its life."""
        origin = audience(endpoint)
        now = time.time()
        cached = self._tokens.get(origin)
        if cached is not None and cached[0] > now:
            return cached[1]
        header = self._keys.authorization(
            endpoint, self._subject, now=now, lifetime=self._token_lifetime
        )
        self._tokens[origin] = (now + self._token_lifetime / 2, header)
        return header

    def prepare(
        self,
        subscription: WebPushSubscription,
        payload: bytes | None,
        *,
        ttl: int,
        urgency: Urgency = Urgency.NORMAL,
        topic: str | None = None,
    ) -> PreparedPush | SendResult:
        """Headers and encrypted body for one message; a FAILED result when it can never go."""
        if ttl < 0:
            raise ValueError("ttl must be zero or more seconds")
        endpoint = subscription.endpoint
        try:
            check_endpoint(endpoint, allow_private=self._allow_private)
            authorization = self._authorization(endpoint)
        except ValueError as error:  # an endpoint that is no http(s) URL
            return SendResult(SendStatus.FAILED, endpoint, reason=f"invalid endpoint: {error}")
        headers = {"Authorization": authorization, "TTL": str(ttl), "Urgency": str(urgency)}
        if topic is not None:
            headers["Topic"] = check_topic(topic)
        body = b""
        if payload:
            if len(payload) > MAX_PLAINTEXT:  # a caller bug: payloads come from encode_payload
                raise PayloadTooLarge(f"push payload is {len(payload)} bytes; max {MAX_PLAINTEXT}")
            try:
                body = encrypt(subscription, payload)
            except (ValueError, WebPushException) as error:
                # Keys that cannot be encrypted for will never work: no retry can help.
                reason = f"invalid subscription keys: {error}"[:_REASON_LIMIT]
                return SendResult(SendStatus.FAILED, endpoint, reason=reason)
            headers["Content-Encoding"] = "aes128gcm"
            headers["Content-Type"] = "application/octet-stream"
        return PreparedPush(endpoint, body, headers)

    async def post(self, prepared: PreparedPush) -> SendResult:
        """Post a prepared message and classify the answer; never raises for HTTP trouble."""
        endpoint = prepared.endpoint
        try:
            # No redirects: a push service never redirects, and following one would let a
            # hostile endpoint send the worker to an address it was not allowed to reach.
            async with self._pool().post(
                endpoint, data=prepared.body, headers=prepared.headers, allow_redirects=False
            ) as response:
                text = await response.text(errors="replace")
                retry_after = response.headers.get("Retry-After")
                return classify(endpoint, response.status, text, retry_after=retry_after)
        except aiohttp.InvalidURL as error:
            return SendResult(SendStatus.FAILED, endpoint, reason=f"invalid endpoint: {error}")
        except TimeoutError:
            return SendResult(SendStatus.RETRY, endpoint, reason="timeout")
        except aiohttp.ClientConnectorError as error:
            if isinstance(error.os_error, NonPublicAddress):
                return SendResult(SendStatus.FAILED, endpoint, reason=str(error.os_error))
            return SendResult(SendStatus.RETRY, endpoint, reason=f"network: {type(error).__name__}")
        except aiohttp.ClientError as error:
            return SendResult(SendStatus.RETRY, endpoint, reason=f"network: {type(error).__name__}")

    async def send(
        self,
        subscription: WebPushSubscription,
        payload: bytes | None,
        *,
        ttl: int,
        urgency: Urgency = Urgency.NORMAL,
        topic: str | None = None,
    ) -> SendResult:
        """Encrypt `payload`, post it and classify the answer; never raises for HTTP trouble."""
        prepared = self.prepare(subscription, payload, ttl=ttl, urgency=urgency, topic=topic)
        if isinstance(prepared, SendResult):
            return prepared
        return await self.post(prepared)
