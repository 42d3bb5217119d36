"""The JSON the service worker turns into a notification, kept under the 4 KB push limit."""

from __future__ import annotations

import msgspec

# One aes128gcm record of 4096 bytes (the size every push service must accept) minus the
# header (16 salt + 4 record size + 1 key id length + 65 key id), the 16-byte tag and the
# 1-byte padding delimiter leaves 3993 bytes of plaintext (RFC 8291 §4, RFC 8188 §2).
MAX_RECORD_SIZE = 4096
MAX_PLAINTEXT = MAX_RECORD_SIZE - 86 - 16 - 1
ELLIPSIS = "…"


class PayloadTooLarge(ValueError):
    """The payload cannot be made to fit in one push message."""

    slug = "push_payload_too_large"


class PushAction(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A button on the notification; `url` is opened when it is clicked."""

    action: str
    title: str
    url: str


class PushNotification(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the user sees and where a click takes them."""

    notification_id: str
    title: str
    body: str = ""
    url: str = "/"
    tag: str | None = None
    actions: list[PushAction] = msgspec.field(default_factory=list)
    icon: str | None = None
    image: str | None = None


class _Action(msgspec.Struct):
    action: str
    title: str


class _Data(msgspec.Struct, omit_defaults=True):
    id: str
    url: str
    action_urls: dict[str, str] = msgspec.field(default_factory=dict)


class _Wire(msgspec.Struct, omit_defaults=True):
    """Shape read by the service worker: showNotification(title, {body, tag, data, ...})."""

    title: str
    body: str
    data: _Data
    tag: str | None = None
    actions: list[_Action] = msgspec.field(default_factory=list)
    icon: str | None = None
    image: str | None = None


_encoder = msgspec.json.Encoder()


def _wire(notification: PushNotification, body: str) -> bytes:
    return _encoder.encode(
        _Wire(
            title=notification.title,
            body=body,
            tag=notification.tag,
            actions=[_Action(a.action, a.title) for a in notification.actions],
            icon=notification.icon,
            image=notification.image,
            data=_Data(
                id=notification.notification_id,
                url=notification.url,
                action_urls={a.action: a.url for a in notification.actions},
            ),
        )
    )


def encode_payload(notification: PushNotification, *, limit: int = MAX_PLAINTEXT) -> bytes:
    """Serialize for the service worker, shortening the body so the result fits `limit`."""
    encoded = _wire(notification, notification.body)
    if len(encoded) <= limit:
        return encoded
    body = notification.body
    # Binary search on characters, never bytes, so a multi-byte letter is never split.
    low, high = 0, len(body) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if len(_wire(notification, body[:middle].rstrip() + ELLIPSIS)) <= limit:
            low = middle
        else:
            high = middle - 1
    shortened = _wire(notification, body[:low].rstrip() + ELLIPSIS)
    if len(shortened) > limit:
        raise PayloadTooLarge(
            f"notification {notification.notification_id} needs {len(shortened)} bytes "
            f"without its body; the limit is {limit}"
        )
    return shortened
