"""Wire contract of /api/sync/push and /api/sync/pull (see the sync protocol document)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

MAX_MUTATIONS = 500


class Mutation(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    mid: Annotated[int, Meta(ge=1)]
    collection: Annotated[str, Meta(min_length=1, max_length=40)]
    op: Literal["create", "update", "delete"]
    id: UUID
    base_version: Annotated[int, Meta(ge=0)] | None = None
    fields: dict[str, Any] = msgspec.field(default_factory=dict)
    captured_at: Annotated[datetime, Meta(tz=True)] | None = None


class PushRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    client_id: UUID
    schema_version: Literal[1] = 1
    mutations: list[Mutation] = msgspec.field(default_factory=list)
    # Optional device health report (protocol v1 stays valid without them).
    app_version: Annotated[str, Meta(max_length=40)] | None = None
    pending: Annotated[int, Meta(ge=0, le=1_000_000)] | None = None


class MutationError(msgspec.Struct, kw_only=True, omit_defaults=True):
    code: str
    detail: str
    errors: list[dict[str, str]] = msgspec.field(default_factory=list)


class MutationResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    mid: int
    status: Literal["applied", "duplicate", "out_of_order", "rejected", "gone"]
    version: int | None = None
    conflicts: list[dict[str, Any]] = msgspec.field(default_factory=list)
    error: MutationError | None = None
    # For a duplicate: the status it had the first time.
    first: dict[str, Any] | None = None


class PushResponse(msgspec.Struct, kw_only=True):
    results: list[MutationResult]
    last_mid: int
    cursor: str
    client_code: int


class PullChange(msgspec.Struct, kw_only=True, omit_defaults=True):
    collection: str
    id: UUID
    op: Literal["put", "del"]
    version: int | None = None
    data: dict[str, Any] | None = None


class PullResponse(msgspec.Struct, kw_only=True):
    """The shape of a pull page (the body is assembled from pre-encoded changes)."""

    changes: list[PullChange]
    cursor: str | None
    has_more: bool
    reset: bool
    client_code: int | None = None
