"""A fake FCM HTTP v1 endpoint: records messages and answers FCM-shaped errors on demand."""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field

from google.auth.credentials import Credentials

from tests.fakes.http_server import LoopbackServer, Request, Response

_SEND_PATH = re.compile(r"^/v1/projects/(?P<project>[^/]+)/messages:send$")

# FCM errorCode -> (HTTP status, google.rpc canonical status), as FCM answers them.
FCM_ERRORS: dict[str, tuple[int, str]] = {
    "UNREGISTERED": (404, "NOT_FOUND"),
    "INVALID_ARGUMENT": (400, "INVALID_ARGUMENT"),
    "SENDER_ID_MISMATCH": (403, "PERMISSION_DENIED"),
    "QUOTA_EXCEEDED": (429, "RESOURCE_EXHAUSTED"),
    "UNAVAILABLE": (503, "UNAVAILABLE"),
    "INTERNAL": (500, "INTERNAL"),
    "THIRD_PARTY_AUTH_ERROR": (401, "UNAUTHENTICATED"),
}


class FakeFcmCredentials(Credentials):  # type: ignore[misc]
    """An OAuth credential whose refresh mints a local token instead of calling Google."""

    TOKEN = "fake-fcm-access-token"

    def refresh(self, request: object) -> None:
        self.refreshes = getattr(self, "refreshes", 0) + 1
        self.token = self.TOKEN


@dataclass
class _Failure:
    error_code: str
    message: str
    retry_after: str | None
    remaining: int | None


@dataclass
class FakeFcmService:
    """Run with `with FakeFcmService() as fcm:`; point FcmSender's base_url at `fcm.origin`."""

    project_id: str = "rounds-test"
    received: list[dict[str, object]] = field(default_factory=list)
    _failures: dict[str, _Failure] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._server = LoopbackServer(self._handle)

    @property
    def origin(self) -> str:
        return self._server.origin

    def __enter__(self) -> FakeFcmService:
        self._server.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.stop()

    def fail(
        self,
        token: str,
        error_code: str,
        *,
        message: str | None = None,
        retry_after: str | None = None,
        times: int | None = None,
    ) -> None:
        """Answer `error_code` for `token` (the next `times` sends; None: always)."""
        if error_code not in FCM_ERRORS:
            raise ValueError(f"unknown FCM error code {error_code}")
        text = message or f"fake FCM error {error_code}"
        with self._lock:
            self._failures[token] = _Failure(error_code, text, retry_after, times)

    def _failure_for(self, token: str) -> _Failure | None:
        with self._lock:
            failure = self._failures.get(token)
            if failure is not None and failure.remaining is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    del self._failures[token]
            return failure

    def _handle(self, request: Request) -> Response:
        match = _SEND_PATH.match(request.path)
        if request.method != "POST" or match is None:
            return _error(404, "NOT_FOUND", "no such method", None)
        if request.headers.get("authorization") != f"Bearer {FakeFcmCredentials.TOKEN}":
            return _error(401, "UNAUTHENTICATED", "missing or wrong OAuth token", None)
        if match["project"] != self.project_id:
            return _error(403, "PERMISSION_DENIED", "wrong project", "SENDER_ID_MISMATCH")
        try:
            message = json.loads(request.body)["message"]
            token = message["token"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "INVALID_ARGUMENT", "message.token is required", "INVALID_ARGUMENT")
        failure = self._failure_for(token)
        if failure is not None:
            status, canonical = FCM_ERRORS[failure.error_code]
            response = _error(status, canonical, failure.message, failure.error_code)
            if failure.retry_after:
                response.headers["Retry-After"] = failure.retry_after
            return response
        with self._lock:
            self.received.append(message)
        name = f"projects/{self.project_id}/messages/{uuid.uuid4().hex}"
        return _json(200, {"name": name})


def _json(status: int, body: dict[str, object]) -> Response:
    return Response(status, json.dumps(body).encode(), {"Content-Type": "application/json"})


def _error(status: int, canonical: str, message: str, error_code: str | None) -> Response:
    details = []
    if error_code:
        details.append(
            {
                "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                "errorCode": error_code,
            }
        )
    return _json(
        status,
        {"error": {"code": status, "message": message, "status": canonical, "details": details}},
    )
