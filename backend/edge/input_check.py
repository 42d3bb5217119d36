"""Generic checks on every request's input, before a handler sees it (a before_request hook).

One place for what every endpoint needs and none should repeat: JSON nested at most
``MAX_DEPTH`` levels; no NUL or other control character in any JSON string or key (tab, line
feed and carriage return are text) nor in the query string; dates and times between
``MIN_YEAR`` and ``MAX_YEAR`` in the body and the query, wherever the handler's types say a
date is. Each refusal is a problem answer naming the field (400 for a body that cannot be
taken apart at all, 422 otherwise), so nothing reaches a database that would answer 500.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, get_args

import msgspec
from litestar import Request

from backend.errors import DomainError, FieldError, ValidationFailed

MAX_DEPTH = 32
MIN_YEAR = 1900
MAX_YEAR = 2999
# C0 controls but tab, LF and CR; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_QUERY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PER_ITEM_CHECKS = "per_item_input_checks"


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def json_problems(value: Any, *, controls: bool = True) -> list[FieldError]:
    """Depth and (with ``controls``) control characters of a decoded JSON value; iterative,
    so any depth is safe."""
    errors: list[FieldError] = []
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack and len(errors) < 20:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            if controls and _CONTROL.search(item):
                errors.append(
                    FieldError(
                        where or "body",
                        "must not contain control characters (tab, line feed and carriage "
                        "return are allowed)",
                        "control_character",
                    )
                )
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_DEPTH:
            errors.append(
                FieldError(where or "body", f"is nested deeper than {MAX_DEPTH} levels", "depth")
            )
            continue
        if isinstance(item, dict):
            for key, child in item.items():
                if controls and _CONTROL.search(key):
                    errors.append(
                        FieldError(
                            _path(where, repr(key)[1:-1]),
                            "the key holds control characters",
                            "control_character",
                        )
                    )
                stack.append((child, _path(where, key), depth + 1))
        else:
            stack.extend((child, _path(where, i), depth + 1) for i, child in enumerate(item))
    return errors


def _date_problem(value: date) -> str | None:
    # Checked on the value as sent: 0001-01-01T00:00:00+14:00 is refused before any
    # conversion to UTC could overflow.
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return f"must be between {MIN_YEAR}-01-01 and {MAX_YEAR}-12-31"
    return None


def date_problems(value: Any, where: str = "") -> list[FieldError]:
    """Dates and times out of range anywhere in a typed value (structs, lists, dicts)."""
    errors: list[FieldError] = []
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, date):
            if problem := _date_problem(item):
                errors.append(FieldError(at or "body", problem, "out_of_range"))
        elif isinstance(item, msgspec.Struct):
            stack.extend((getattr(item, name), _path(at, name)) for name in item.__struct_fields__)
        elif isinstance(item, list | tuple):
            stack.extend((child, _path(at, i)) for i, child in enumerate(item))
        elif isinstance(item, dict):
            stack.extend((child, _path(at, str(k))) for k, child in item.items())
    return errors


def _is_date_type(annotation: Any) -> bool:
    types = get_args(annotation) or (annotation,)
    return any(isinstance(t, type) and issubclass(t, date) for t in types)


def _query_problems(request: Request[Any, Any, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    for key, value in request.query_params.multi_items():
        if _QUERY_CONTROL.search(key) or _QUERY_CONTROL.search(value):
            errors.append(
                FieldError(
                    _QUERY_CONTROL.sub("?", key),
                    "must not contain control characters",
                    "control_character",
                )
            )
    if errors:
        return errors
    for name, field in request.route_handler.parsed_fn_signature.parameters.items():
        if not _is_date_type(field.annotation):
            continue
        alias = getattr(field.kwarg_definition, "query", None) or name
        raw = request.query_params.get(alias)
        if raw is None:
            continue
        try:
            value = msgspec.convert(raw, type=field.annotation, strict=False)
        except (msgspec.ValidationError, TypeError):
            continue  # Litestar's own parsing names the field
        errors += date_problems(value, alias)
    return errors


async def _body_problems(request: Request[Any, Any, Any]) -> list[FieldError]:
    field = request.route_handler.parsed_fn_signature.parameters.get("data")
    if field is None or request.method not in _BODY_METHODS:
        return []
    content_type = request.headers.get("content-type", "application/json").lower()
    if "json" not in content_type:
        return []
    body = await request.body()
    if not body:
        return []
    try:
        decoded = msgspec.json.decode(body)
    except RecursionError:
        raise DomainError(
            detail=f"The body is nested deeper than {MAX_DEPTH} levels.",
            errors=[FieldError("body", f"is nested deeper than {MAX_DEPTH} levels", "depth")],
            slug="bad-request",
        ) from None
    except msgspec.DecodeError:
        return []  # Litestar answers 400 with the decoder's message
    # A batch of items (a sync push) opts out of refusing the whole body for one item's text:
    # each item is checked on its own (json_problems per mutation) and rejected alone.
    per_item = bool(request.route_handler.opt.get(PER_ITEM_CHECKS))
    errors = json_problems(decoded, controls=not per_item)
    if errors:
        return errors
    try:
        typed = msgspec.convert(decoded, type=field.annotation, strict=False)
    except (msgspec.ValidationError, TypeError):
        return []  # the handler's own validation names the field
    return date_problems(typed)


async def check_input(request: Request[Any, Any, Any]) -> None:
    """The before_request hook: refuse what no handler should see (see the module docstring)."""
    errors = _query_problems(request) or await _body_problems(request)
    if errors:
        raise ValidationFailed(
            detail="The request is not valid; nothing was changed.", errors=errors
        )
