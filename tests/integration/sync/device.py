"""A simulated device for sync tests: a replica, an outbox, and the protocol's client rules."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from httpx import AsyncClient


@dataclass
class Device:
    client: AsyncClient
    headers: dict[str, str]
    client_id: UUID = field(default_factory=uuid4)
    cursor: str | None = None
    replica: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    resets: int = 0
    pages: int = 0
    _mids: Any = field(default_factory=lambda: itertools.count(1))

    def queue(
        self,
        collection: str,
        op: str,
        row_id: Any,
        fields: dict[str, Any] | None = None,
        base_version: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        m = {
            "mid": next(self._mids),
            "collection": collection,
            "op": op,
            "id": str(row_id),
            "fields": fields or {},
            **extra,
        }
        if base_version is not None:
            m["base_version"] = base_version
        self.outbox.append(m)
        return m

    async def push_raw(self, mutations: list[dict[str, Any]] | None = None) -> Any:
        body = {
            "client_id": str(self.client_id),
            "schema_version": 1,
            "mutations": self.outbox if mutations is None else mutations,
        }
        return await self.client.post("/api/sync/push", json=body, headers=self.headers)

    async def push(self) -> dict[str, Any]:
        r = await self.push_raw()
        assert r.status_code == 200, r.text
        body = r.json()
        done = {x["mid"] for x in body["results"] if x["status"] != "out_of_order"}
        self.outbox = [m for m in self.outbox if m["mid"] not in done]
        return body

    async def pull_page(self, limit: int | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.cursor:
            params["cursor"] = self.cursor
        if limit:
            params["limit"] = limit
        r = await self.client.get("/api/sync/pull", params=params, headers=self.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        self.pages += 1
        if body["reset"]:
            self.resets += 1
            self.replica.clear()
            self.cursor = None
            return body
        for ch in body["changes"]:
            key = (ch["collection"], ch["id"])
            if ch["op"] == "put":
                self.replica[key] = ch["data"]
            else:
                self.replica.pop(key, None)
        self.cursor = body["cursor"]
        return body

    async def sync(self, limit: int | None = None, max_pages: int = 10_000) -> None:
        """Pull until has_more is false (following resets)."""
        for _ in range(max_pages):
            body = await self.pull_page(limit)
            if not body["has_more"] and not body["reset"]:
                return
        raise AssertionError("pull never finished")

    def ids(self, collection: str) -> set[str]:
        return {i for (c, i) in self.replica if c == collection}
