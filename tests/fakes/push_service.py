"""A fake Web Push service that checks what a real one checks and decrypts what it gets.

It verifies the VAPID JWT (ES256 with the `k=` key, `aud` its own origin, `exp` within
24 hours, `sub` a mailto: or https: URL), requires TTL, decrypts the aes128gcm body with
the subscription's private key, records each accepted message, and can be scripted to
answer 404, 410, 413, 429 with Retry-After or 5xx.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.fakes.http_server import LoopbackServer, Request, Response

MAX_BODY = 4096
MAX_TOKEN_LIFETIME = 24 * 60 * 60


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Rejected(Exception):
    """The request breaks the protocol; carries the status a real service would answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class FakeSubscription:
    """A browser-side subscription: public keys for the sender, private key for us."""

    endpoint: str
    p256dh: str
    auth: str
    private_key: ec.EllipticCurvePrivateKey


@dataclass
class ReceivedPush:
    """One message the fake accepted, decrypted."""

    endpoint: str
    plaintext: bytes
    ttl: int
    urgency: str | None
    topic: str | None
    claims: dict[str, object]
    vapid_key: str
    received_at: float

    def json(self) -> object:
        return json.loads(self.plaintext)


@dataclass
class _Script:
    status: int
    retry_after: str | None = None
    remaining: int | None = 1  # None: for ever


@dataclass
class _State:
    subscriptions: dict[str, FakeSubscription] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    per_endpoint: dict[str, _Script] = field(default_factory=dict)
    next_requests: deque[_Script] = field(default_factory=deque)


def verify_vapid(authorization: str, origin: str, now: float) -> tuple[dict[str, object], str]:
    """Check an `Authorization: vapid t=..., k=...` header; return claims and key."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise Rejected(401, "authorization scheme must be vapid")
    parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
    token, key = parts.get("t"), parts.get("k")
    if not token or not key:
        raise Rejected(401, "vapid needs t= and k=")
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(_b64d(header_b64))
        claims = json.loads(_b64d(claims_b64))
        signature = _b64d(signature_b64)
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64d(key))
    except (ValueError, TypeError) as error:
        raise Rejected(401, f"malformed vapid token: {error}") from error
    if header.get("alg") != "ES256" or len(signature) != 64:
        raise Rejected(401, "vapid token must be ES256")
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise Rejected(403, "vapid signature does not match k") from error
    if claims.get("aud") != origin:
        raise Rejected(403, f"aud {claims.get('aud')!r} is not {origin!r}")
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= now or exp > now + MAX_TOKEN_LIFETIME + 60:
        raise Rejected(403, "exp must lie within the next 24 hours")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.startswith(("mailto:", "https:")):
        raise Rejected(403, "sub must be a mailto: or https: URL")
    return claims, key


class FakePushService:
    """Run with `with FakePushService() as push:`; subscribe, send, then inspect `received`."""

    def __init__(self) -> None:
        self._server = LoopbackServer(self._handle)
        self._lock = threading.Lock()
        self._state = _State()
        self.received: list[ReceivedPush] = []
        self.rejected: list[tuple[int, str]] = []

    @property
    def origin(self) -> str:
        return self._server.origin

    def start(self) -> FakePushService:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> FakePushService:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def subscribe(self) -> FakeSubscription:
        """Create a subscription as a browser would: fresh P-256 key and auth secret."""
        private_key = ec.generate_private_key(ec.SECP256R1())
        public = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        endpoint = f"{self.origin}/push/{uuid.uuid4().hex}"
        subscription = FakeSubscription(
            endpoint, _b64e(public), _b64e(uuid.uuid4().bytes), private_key
        )
        with self._lock:
            self._state.subscriptions[endpoint] = subscription
        return subscription

    def unsubscribe(self, endpoint: str) -> None:
        """The user revoked permission: the endpoint now answers 410 Gone."""
        with self._lock:
            self._state.gone.add(endpoint)

    def respond(
        self, endpoint: str, status: int, *, retry_after: str | None = None, times: int | None = 1
    ) -> None:
        """Answer `status` for the next `times` valid requests to `endpoint` (None: always)."""
        with self._lock:
            self._state.per_endpoint[endpoint] = _Script(status, retry_after, times)

    def fail_next(self, count: int, status: int, *, retry_after: str | None = None) -> None:
        """Answer `status` to the next `count` valid requests, whatever the endpoint."""
        with self._lock:
            self._state.next_requests.extend(_Script(status, retry_after) for _ in range(count))

    def _scripted(self, endpoint: str) -> _Script | None:
        with self._lock:
            script = self._state.per_endpoint.get(endpoint)
            if script is not None:
                if script.remaining is not None:
                    script.remaining -= 1
                    if script.remaining <= 0:
                        del self._state.per_endpoint[endpoint]
                return script
            if self._state.next_requests:
                return self._state.next_requests.popleft()
        return None

    def _handle(self, request: Request) -> Response:
        try:
            return self._accept(request)
        except Rejected as error:
            with self._lock:
                self.rejected.append((error.status, error.reason))
            return Response(error.status, error.reason.encode())

    def _accept(self, request: Request) -> Response:
        endpoint = self.origin + request.path
        if request.method != "POST":
            raise Rejected(405, "push messages are POSTed")
        with self._lock:
            subscription = self._state.subscriptions.get(endpoint)
            gone = endpoint in self._state.gone
        if subscription is None:
            raise Rejected(404, "no such subscription")
        if gone:
            raise Rejected(410, "subscription expired or unsubscribed")
        now = time.time()
        claims, key = verify_vapid(request.headers.get("authorization", ""), self.origin, now)
        ttl = request.headers.get("ttl")
        if ttl is None or not ttl.isdigit():
            raise Rejected(400, "TTL header is required")
        if len(request.body) > MAX_BODY:
            raise Rejected(413, "payload too large")
        plaintext = b""
        if request.body:
            if request.headers.get("content-encoding") != "aes128gcm":
                raise Rejected(400, "content-encoding must be aes128gcm")
            try:
                plaintext = http_ece.decrypt(
                    request.body,
                    private_key=subscription.private_key,
                    auth_secret=_b64d(subscription.auth),
                    version="aes128gcm",
                )
            except Exception as error:  # any decryption failure is the sender's fault
                raise Rejected(400, f"cannot decrypt: {error}") from error
        script = self._scripted(endpoint)
        if script is not None and script.status not in (201, 202):
            headers = {"Retry-After": script.retry_after} if script.retry_after else {}
            return Response(script.status, b"scripted failure", headers)
        received = ReceivedPush(
            endpoint,
            plaintext,
            int(ttl),
            request.headers.get("urgency"),
            request.headers.get("topic"),
            claims,
            key,
            now,
        )
        with self._lock:
            self.received.append(received)
        return Response(201, headers={"Location": f"{endpoint}/msg/{uuid.uuid4().hex}"})


def _serve_in_process(conn: Connection, subscriptions: int) -> None:
    with FakePushService() as service:
        subs = [service.subscribe() for _ in range(subscriptions)]
        conn.send((service.origin, [(s.endpoint, s.p256dh, s.auth) for s in subs]))
        conn.recv()  # any message means stop
        conn.send((len(service.received), len(service.rejected)))


class PushServiceProcess:
    """The fake in a process of its own, so a benchmark measures the sender, not the fake."""

    def __init__(self, subscriptions: int) -> None:
        self._subscriptions = subscriptions
        self.origin = ""
        self.subscriptions: list[tuple[str, str, str]] = []  # endpoint, p256dh, auth
        self.received = 0
        self.rejected = 0

    def __enter__(self) -> PushServiceProcess:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve_in_process, args=(child, self._subscriptions), daemon=True
        )
        self._process.start()
        self.origin, self.subscriptions = self._conn.recv()
        return self

    def __exit__(self, *_: object) -> None:
        self._conn.send("stop")
        self.received, self.rejected = self._conn.recv()
        self._process.join(5)
