"""Send to native app wrappers through FCM (firebase-admin) and map its error codes."""

from __future__ import annotations

import asyncio
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import firebase_admin
from firebase_admin import credentials, exceptions, messaging
from firebase_admin._http_client import HttpxAsyncClient
from firebase_admin._retry import HttpxRetry
from google.auth.credentials import Credentials as GoogleCredentials

from notifications.payload import PushNotification, encode_payload
from notifications.webpush import SendResult, SendStatus, Urgency, parse_retry_after

FCM_BASE_URL = "https://fcm.googleapis.com"
MAX_BATCH = 500  # send_each raises ValueError above this
# send_each_async fires a whole batch at once; httpx queues what exceeds its 100-connection
# pool and, measured against the local fake, 500 at once ran into pool timeouts.
DEFAULT_BATCH = 100
# FCM allows 4096 bytes of data; leave room for the keys and the JSON around our payload.
MAX_DATA_PAYLOAD = 3500

GONE_CODES = frozenset({"UNREGISTERED", "NOT_FOUND"})
RETRY_CODES = frozenset(
    {"QUOTA_EXCEEDED", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED"}
)
_PRIORITY = {Urgency.HIGH: ("high", "10"), Urgency.NORMAL: ("normal", "5")}


@dataclass(frozen=True, slots=True)
class FcmMessage:
    """One notification for one FCM registration token."""

    token: str
    notification: PushNotification
    ttl: int
    urgency: Urgency = Urgency.NORMAL
    collapse_key: str | None = None


def to_firebase(message: FcmMessage) -> messaging.Message:
    """Build the firebase-admin Message: visible notification plus our payload as data."""
    note = message.notification
    android_priority, apns_priority = _PRIORITY.get(message.urgency, ("normal", "5"))
    apns_headers = {"apns-priority": apns_priority}
    if message.collapse_key:
        apns_headers["apns-collapse-id"] = message.collapse_key
    # Registration tokens are what the native wrappers hand us; firebase-admin 7.7 marks
    # `token` deprecated in favour of installation ids, which we do not have.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return messaging.Message(
            token=message.token,
            notification=messaging.Notification(title=note.title, body=note.body or None),
            data={"payload": encode_payload(note, limit=MAX_DATA_PAYLOAD).decode("utf-8")},
            android=messaging.AndroidConfig(
                ttl=timedelta(seconds=message.ttl),
                priority=android_priority,
                collapse_key=message.collapse_key,
            ),
            apns=messaging.APNSConfig(headers=apns_headers),
        )


def _error_code(error: exceptions.FirebaseError) -> str:
    """The FCM-specific errorCode from the response details, else the canonical code."""
    response = error.http_response
    if response is not None:
        try:
            details = response.json().get("error", {}).get("details", [])
        except (ValueError, AttributeError):
            details = []
        for detail in details:
            if isinstance(detail, dict) and detail.get("errorCode"):
                return str(detail["errorCode"])
    return str(error.code)


def classify_error(token: str, error: exceptions.FirebaseError) -> SendResult:
    """Map an FCM error to what the worker must do with the token and message."""
    code = _error_code(error)
    response = error.http_response
    status = response.status_code if response is not None else None
    reason = f"{code}: {error}"[:200]
    if code in GONE_CODES:
        return SendResult(SendStatus.GONE, token, status, reason=reason)
    # Only a malformed token means the token is dead; an oversized payload does not.
    if code == "INVALID_ARGUMENT" and "registration token" in str(error).lower():
        return SendResult(SendStatus.GONE, token, status, reason=reason)
    if code in RETRY_CODES:
        header = response.headers.get("retry-after") if response is not None else None
        return SendResult(SendStatus.RETRY, token, status, parse_retry_after(header), reason)
    return SendResult(SendStatus.FAILED, token, status, reason=reason)


class FcmSender:
    """Sends FCM messages for one Firebase project from one event loop."""

    def __init__(
        self,
        *,
        project_id: str,
        credential: GoogleCredentials | credentials.Base | None = None,
        base_url: str = FCM_BASE_URL,
        timeout: float = 10.0,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"FCM batches hold 1 to {MAX_BATCH} messages")
        self._batch_size = batch_size
        # A private app per sender: its HTTP client is bound to the loop that first uses it.
        self._app = firebase_admin.initialize_app(
            credential or credentials.ApplicationDefault(),
            {"projectId": project_id, "httpTimeout": timeout},
            name=f"rounds-fcm-{uuid.uuid4().hex}",
        )
        service = messaging._get_messaging_service(self._app)
        # firebase-admin has no public endpoint option: the URL is set on its service so
        # tests reach a local fake and nothing ever calls a Google host.
        service._fcm_url = f"{base_url.rstrip('/')}/v1/projects/{project_id}/messages:send"
        # Its default client retries 500/503 for ~7 s inside one call; our outbox owns
        # retries (backoff, Retry-After, attempt limits), so the library must not.
        service._async_client = HttpxAsyncClient(
            credential=self._app.credential.get_credential(),
            retry_config=HttpxRetry(max_retries=0),
            timeout=timeout,  # type: ignore[arg-type]
        )
        self._service = service

    async def send(self, messages: Sequence[FcmMessage]) -> list[SendResult]:
        """Send every message, batch_size per send_each call; results in the same order."""
        results: list[SendResult] = []
        for start in range(0, len(messages), self._batch_size):
            chunk = messages[start : start + self._batch_size]
            try:
                batch = await messaging.send_each_async(
                    [to_firebase(m) for m in chunk], app=self._app
                )
            except exceptions.FirebaseError as error:
                # The batch as a whole failed (for example the credential could not be
                # refreshed). FCM has no idempotency key, so a retry may repeat a message
                # that did get through; a rare duplicate beats a lost reminder.
                reason = f"{error.code}: {error}"[:200]
                results += [SendResult(SendStatus.RETRY, m.token, reason=reason) for m in chunk]
                continue
            for message, response in zip(chunk, batch.responses, strict=True):
                if response.success:
                    results.append(SendResult(SendStatus.DELIVERED, message.token, 200))
                else:
                    results.append(classify_error(message.token, response.exception))
        return results

    async def aclose(self) -> None:
        """Close the HTTP client and delete the private Firebase app."""
        await self._service._async_client.aclose()
        # delete_app closes services with asyncio.run, which cannot run inside our loop.
        await asyncio.to_thread(firebase_admin.delete_app, self._app)

    async def __aenter__(self) -> FcmSender:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()
