"""VAPID (RFC 8292) keys and the per-send Authorization header for Web Push."""

from __future__ import annotations

import base64
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid.jwt import sign as sign_jwt

# RFC 8292 §2: push services reject tokens whose exp is more than 24 hours ahead.
MAX_LIFETIME_SECONDS = 24 * 60 * 60
# Half the maximum leaves room for clock skew between us and the push service.
DEFAULT_LIFETIME_SECONDS = 12 * 60 * 60


def b64url_encode(data: bytes) -> str:
    """Encode bytes as unpadded base64url, the encoding every Web Push field uses."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding."""
    raw = text.strip().encode("ascii")
    return base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))


def audience(endpoint: str) -> str:
    """Return the origin (scheme://host[:port]) of a push endpoint, the JWT's `aud`."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"push endpoint is not an http(s) URL: {endpoint!r}")
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def check_subject(subject: str) -> str:
    """Validate the VAPID `sub`: a mailto: or https: URL, as push services require."""
    if subject.startswith("mailto:") and "@" in subject:
        return subject
    if subject.startswith("https://") and len(subject) > len("https://"):
        return subject
    raise ValueError(f"VAPID subject must be a mailto: or https: URL, got {subject!r}")


@dataclass(frozen=True)
class VapidKeys:
    """The application server's P-256 key pair; the public half is given to the PWA."""

    private_key: ec.EllipticCurvePrivateKey
    _public_raw: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.private_key.curve, ec.SECP256R1):
            raise ValueError("VAPID keys must be on the P-256 curve")
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        object.__setattr__(self, "_public_raw", raw)

    @classmethod
    def generate(cls) -> VapidKeys:
        """Create a new random key pair."""
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: str | bytes) -> VapidKeys:
        """Load a PKCS#8 or SEC1 PEM private key."""
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("VAPID private key must be an EC key")
        return cls(key)

    @classmethod
    def from_base64url(cls, private: str) -> VapidKeys:
        """Load the raw 32-byte private scalar, base64url (the web-push CLI format)."""
        raw = b64url_decode(private)
        if len(raw) != 32:
            raise ValueError("raw VAPID private key must be 32 bytes")
        return cls(ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1()))

    @classmethod
    def load_or_create(cls, path: Path) -> VapidKeys:
        """Read the PEM at `path`, or generate and keep one there on first start."""
        if path.exists():
            return cls.from_pem(path.read_bytes())
        keys = cls.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write with 0600 from the start so the key is never world-readable, even briefly.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(keys.private_pem())
        return keys

    def private_pem(self) -> str:
        """Serialize the private key as PKCS#8 PEM for storage."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    def private_base64url(self) -> str:
        """Serialize the private scalar as base64url (for an environment variable)."""
        return b64url_encode(self.private_key.private_numbers().private_value.to_bytes(32, "big"))

    @property
    def application_server_key(self) -> str:
        """Uncompressed public point, base64url: `applicationServerKey` for the PWA."""
        return b64url_encode(self._public_raw)

    def authorization(
        self,
        endpoint: str,
        subject: str,
        *,
        now: float | None = None,
        lifetime: int = DEFAULT_LIFETIME_SECONDS,
    ) -> str:
        """Build `vapid t=<jwt>, k=<key>` for one send to `endpoint`."""
        if not 0 < lifetime <= MAX_LIFETIME_SECONDS:
            raise ValueError("VAPID token lifetime must be within 24 hours")
        issued = int(time.time() if now is None else now)
        # A fresh dict per send: pywebpush's habit of mutating a shared claims dict
        # leaks one push service's `aud` into the next request and earns a 403.
        claims = {
            "aud": audience(endpoint),
            "exp": issued + lifetime,
            "sub": check_subject(subject),
        }
        token = sign_jwt(claims, self.private_key)
        return f"vapid t={token}, k={self.application_server_key}"
