"""Litestar's side of problem details: exception handlers and OpenAPI response specs."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec

from backend.db import is_refused_value, temporary_cause
from backend.errors import (
    STATUS_SLUGS,
    DomainError,
    FieldError,
    TemporarilyUnavailable,
    TooManyRequests,
    problem_body,
)
from backend.texts import from_accept_language, localise_problem

log = structlog.get_logger(__name__)
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemFieldError(msgspec.Struct):
    field: str
    message: str
    code: str


class Problem(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemFieldError] | None = None


def _response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response[Any]:
    return Response(
        content=body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    status, body = problem_body(
        exc.slug, exc.detail, instance=request.url.path, errors=exc.errors, **exc.extra
    )
    headers = None
    if isinstance(exc, TooManyRequests | TemporarilyUnavailable):
        headers = {"Retry-After": str(exc.retry_after)}
    return _response(status, body, headers)


# msgspec names a missing or unknown field only inside its message.
_NAMED = re.compile(r"(?P<kind>missing required|unknown) field `(?P<name>[^`]+)`")


# What msgspec says, as a person filling in a form needs it (English; backend/texts.py has
# the other languages). Anything else is passed on as msgspec wrote it.
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^Object missing required field `[^`]+`", "is required"),
        (r"^Object contains unknown field `[^`]+`", "is not a field this request takes"),
        (r"^Expected `str` of length >= 1\b", "must not be empty"),
        (r"^Expected `str` of length >= (\d+)", "must have at least {n} characters"),
        (r"^Expected `str` of length <= (\d+)", "must have at most {n} characters"),
        (r"^Expected `(?:array|object)` of length <= (\d+)", "may hold at most {n} items"),
        (r"^Expected `(?:array|object)` of length >= (\d+)", "needs at least {n} items"),
        (r"^Invalid decimal string", "is not a number"),
        (r"^Expected `int`, got `", "must be a whole number"),
        (r"^Expected `(?:int|float|decimal)` >= (\S+)", "must be at least {n}"),
        (r"^Expected `(?:int|float|decimal)` <= (\S+)", "must be at most {n}"),
        (r"^Expected `(?:int|float|decimal)` > (\S+)", "must be more than {n}"),
        (r"^Expected `(?:decimal|float)`, got `", "is not a number"),
        (r"^Invalid enum value ", "is not one of the allowed values"),
        (r"^Invalid RFC3339 encoded datetime", "is not a date and time"),
        (r"^Invalid RFC3339 encoded date", "is not a date"),
        (r"^Invalid UUID", "is not a valid id"),
        (r"^Expected `str` matching regex ", "is not in the expected form"),
    )
)


def plain_message(message: str) -> str:
    for pattern, text in _PLAIN:
        found = pattern.search(message)
        if found:
            return text.format(n=found.group(1)) if found.groups() else text
    return message


def body_field_error(path: str, message: str) -> FieldError:
    """The field a body decoding error is about, as a path like `lines[0].qty`.

    Litestar gives the path of the value msgspec stopped at (`data` for the body itself);
    a missing or unknown field is named in the message ("Object missing required field
    `password`") and sits below that path.
    """
    path = "" if path == "data" else path.removeprefix("data.")
    code = "invalid"
    named = _NAMED.search(message)
    if named:
        path = f"{path}.{named['name']}" if path else named["name"]
        code = "missing" if named["kind"] == "missing required" else "unknown"
    return FieldError(path or "body", plain_message(message), code)


def _field_errors(extra: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    if isinstance(extra, list):
        for item in extra:
            if isinstance(item, dict):
                message = str(item.get("message", "invalid"))
                if item.get("source") == "body":
                    errors.append(body_field_error(str(item.get("key", "")), message))
                    continue
                key = str(item.get("key") or item.get("source") or "body")
                errors.append(FieldError(key, plain_message(message)))
    return errors


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    detail = exc.detail or ""
    if isinstance(exc, ValidationException):
        errors = _field_errors(exc.extra)
        lowered = detail.lower()
        if "malformed" in lowered or ("json" in lowered and "decode" in lowered):
            _, body = problem_body(
                "bad-request", f"The body is not valid JSON: {detail}", instance=request.url.path
            )
            return _response(400, body)
        # Litestar says "Validation failed for POST /api/products": the fields say what.
        if not detail or detail.startswith("Validation failed for "):
            detail = "Some values are not valid: see each field." if errors else ""
        _, body = problem_body(
            "validation-failed",
            detail or "The request is not valid.",
            instance=request.url.path,
            errors=errors,
        )
        return _response(422, body)
    slug = STATUS_SLUGS.get(status, "bad-request" if status < 500 else "internal-error")
    _, body = problem_body(slug, detail, instance=request.url.path)
    body["status"] = status
    return _response(status, body, dict(exc.headers or {}))


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """500, unless a temporary database fault caused it: then 503 with Retry-After."""
    cause = temporary_cause(exc)
    if cause is not None:
        log.warning(
            "http.temporarily_unavailable", path=request.url.path, error=type(cause).__name__
        )
        return domain_error_handler(
            request,
            TemporarilyUnavailable(
                detail="The database is busy or unreachable; try again shortly.", retry_after=2
            ),
        )
    if is_refused_value(exc):
        # A last line of defence: fields are validated before they reach the database, but a
        # value the database refuses (NUL in text on PostgreSQL, a number beyond a column)
        # is still the request's fault, and a retry would fail the same way.
        log.warning("http.value_refused", path=request.url.path, error=type(exc).__name__)
        _, body = problem_body(
            "validation-failed",
            "The database refused a value of this request (text with control characters, "
            "or a number or date out of range).",
            instance=request.url.path,
        )
        return _response(422, body)
    log.exception("http.unhandled_error", path=request.url.path, error=type(exc).__name__)
    _, body = problem_body(
        "internal-error", "Something went wrong on our side.", instance=request.url.path
    )
    return _response(500, body)


def in_language(handler: Any) -> Any:
    """The handler's problem details in the language of the request's Accept-Language
    (the app sends the user's language); slugs, statuses and field names are unchanged."""

    def localised(request: Request[Any, Any, Any], exc: Any) -> Response[Any]:
        response: Response[Any] = handler(request, exc)
        lang = from_accept_language(request.headers.get("accept-language"))
        if lang and lang != "en" and isinstance(response.content, dict):
            response.content = localise_problem(response.content, lang)
        return response

    return localised


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: in_language(domain_error_handler),
    HTTPException: in_language(http_exception_handler),
    Exception: in_language(internal_error_handler),
}

_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found (or outside your scope)",
    409: "Conflict",
    410: "Gone",
    413: "Body too large",
    422: "Validation failed",
    429: "Too many requests",
    503: "Temporarily unavailable",
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI response specs for the problem details an operation can answer."""
    return {
        s: ResponseSpec(
            data_container=Problem,
            description=_DESCRIPTIONS.get(s, "Error"),
            media_type=PROBLEM_MEDIA_TYPE,
        )
        for s in statuses
    }


AUTHED = (401, 403, 404)
WRITE = (400, 401, 403, 404, 409, 413, 422)
