"""Query parameters with the bounds the server enforces and the OpenAPI schema publishes.

Litestar applies (and documents) ``Parameter`` bounds on query parameters, but not msgspec
``Meta`` ones, so paging is declared here: ``limit`` 1-500, ``offset`` 0-1,000,000 (far past
any real list, and well inside a 64-bit column), free-text filters at most 200 characters.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000

PageLimit = Annotated[int, Parameter(ge=1, le=MAX_LIMIT, description="page size, 1-500")]
# A bound of 0 is dropped from the published schema as "empty", so it is stated again.
_NOT_NEGATIVE = {"minimum": 0}
Offset = Annotated[
    int,
    Parameter(
        ge=0, le=MAX_OFFSET, description="rows to skip, 0-1,000,000", schema_extra=_NOT_NEGATIVE
    ),
]
SearchText = Annotated[str, Parameter(max_length=200)]
Cursor = Annotated[str, Parameter(max_length=200)]
# Litestar drops Parameter bounds nested in a union, so the optional form carries its own.
OptionalOffset = Annotated[
    int | None,
    Parameter(
        ge=0, le=MAX_OFFSET, description="rows to skip, 0-1,000,000", schema_extra=_NOT_NEGATIVE
    ),
]
