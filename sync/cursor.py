"""Signed, opaque pull cursors: what a device hands back to say where its replica stands.

Format: base64url(msgpack(CursorState)) + "." + base64url(HMAC-SHA256(secret, body)[:16]).
The state carries the user it was issued to, the database epoch (a random id per database,
so a cursor from another or a re-created database is refused), the stream position
(txid, seq) and, while a snapshot is being paged, the snapshot's own position
(phase, collection index, last id), and the closures of moved customers still to be paged
out. It also carries the scope it was computed for, so a
later pull can tell that the user's scope changed and send the rows that entered and left.
Pure logic: no Litestar, no Piccolo.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Literal

import msgspec

Mode = Literal["snap", "stream"]


class Scope(msgspec.Struct, array_like=True, frozen=True):
    """The facts that decide a user's scope, as strings (empty = none)."""

    role: str
    region: str = ""
    distributor: str = ""
    customer: str = ""
    territories: tuple[str, ...] = ()
    # Customers and distributors read one price list: reassigning it changes their scope.
    price_list: str = ""


class CursorState(msgspec.Struct, array_like=True, frozen=True):
    """Everything a cursor says; `txid, seq` is the last change-log entry already served."""

    user: str
    epoch: str
    mode: Mode
    txid: int
    seq: int
    scope: Scope
    # Snapshot paging: phase 0 sends dels for rows of `old_scope` that left, phase 1 puts.
    phase: int = 1
    coll: int = 0
    last_id: str = ""
    old_scope: Scope | None = None
    # Stream: closures of moved customers still to send ("+id" puts, "-id" dels), and where
    # the first of them stands (index into the closure collections, last id sent).
    pending: tuple[str, ...] = ()
    pcoll: int = 0
    plast: str = ""


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(CursorState)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, body: bytes) -> bytes:
    key = hashlib.sha256(b"rounds-sync-cursor:" + secret.encode()).digest()
    return hmac.new(key, body, hashlib.sha256).digest()[:16]


def encode_cursor(secret: str, state: CursorState) -> str:
    body = _encoder.encode(state)
    return f"{_b64(body)}.{_b64(_mac(secret, body))}"


def decode_cursor(secret: str, token: str) -> CursorState | None:
    """The state behind a token, or None when it is malformed or its signature is wrong."""
    try:
        body_text, mac_text = token.split(".", 1)
        body, mac = _unb64(body_text), _unb64(mac_text)
    except (ValueError, TypeError):
        return None
    if not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    try:
        return _decoder.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
