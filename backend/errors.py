"""Domain errors and the one table that turns them into RFC 9457 problem details."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldError:
    """One invalid field: a dotted path, a message and an optional machine code."""

    field: str
    message: str
    code: str = "invalid"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "code": self.code}


@dataclass
class DomainError(Exception):
    """Base of every error a service raises; `slug` picks the problem type."""

    detail: str = ""
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    slug: str = "domain-error"

    def __post_init__(self) -> None:
        super().__init__(self.detail)


@dataclass
class ValidationFailed(DomainError):
    slug: str = "validation-failed"


@dataclass
class NotFound(DomainError):
    slug: str = "not-found"


@dataclass
class PermissionDenied(DomainError):
    slug: str = "permission-denied"


@dataclass
class Unauthenticated(DomainError):
    slug: str = "unauthenticated"


@dataclass
class Conflict(DomainError):
    slug: str = "conflict"


@dataclass
class Gone(DomainError):
    slug: str = "gone"


@dataclass
class TooManyRequests(DomainError):
    retry_after: int = 60
    slug: str = "too-many-requests"


@dataclass
class PayloadTooLarge(DomainError):
    slug: str = "payload-too-large"


@dataclass
class TemporarilyUnavailable(DomainError):
    retry_after: int = 5
    slug: str = "temporarily-unavailable"


# slug -> (HTTP status, title). Status codes live here and nowhere else.
PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "bad-request": (400, "Bad request"),
    "validation-failed": (422, "The request is not valid"),
    "unauthenticated": (401, "Authentication required"),
    "permission-denied": (403, "Not allowed"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "conflict": (409, "Conflict"),
    "gone": (410, "Gone"),
    "payload-too-large": (413, "Request body too large"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "too-many-requests": (429, "Too many requests"),
    "pdf-budget-exceeded": (422, "The quote cannot be printed within the server's budget"),
    "internal-error": (500, "Internal server error"),
    "temporarily-unavailable": (503, "Temporarily unavailable"),
    "domain-error": (400, "Request refused"),
}

STATUS_SLUGS: dict[int, str] = {status: slug for slug, (status, _) in PROBLEM_TYPES.items()}
STATUS_SLUGS[400] = "bad-request"


def problem_type_uri(slug: str) -> str:
    return f"https://rounds.dev/problems/{slug}"


def problem_body(
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: list[FieldError] | None = None,
    **extra: Any,
) -> tuple[int, dict]:
    """The status and the problem+json body for a slug."""
    status, title = PROBLEM_TYPES.get(slug, PROBLEM_TYPES["domain-error"])
    body: dict[str, Any] = {
        "type": problem_type_uri(slug),
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = [e.as_dict() for e in errors]
    body.update({k: v for k, v in extra.items() if v is not None})
    return status, body
