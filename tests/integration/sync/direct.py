"""An in-process stand-in for the HTTP client: the sync services called directly.

The convergence simulation runs hundreds of seeds; going through HTTP would spend most of
each seed authenticating requests, which the HTTP runs already cover. Each device's bearer
token is resolved to its principal once, with the real authentication.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import msgspec

from backend.accounts.principal import Principal
from backend.accounts.service import authenticate
from backend.errors import DomainError
from backend.settings import get_settings
from sync.pull import pull
from sync.push import push
from sync.schemas import PushRequest


@dataclass
class Answer:
    """The parts of an httpx.Response that Device reads."""

    status_code: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return self.body

    @property
    def text(self) -> str:
        return json.dumps(self.body)


class DirectClient:
    """`post("/api/sync/push")` and `get("/api/sync/pull")` without HTTP."""

    def __init__(self) -> None:
        self.principals: dict[str, Principal] = {}
        self.secret = get_settings().secret_key

    async def principal(self, headers: dict[str, str]) -> Principal:
        token = headers["Authorization"].removeprefix("Bearer ")
        if token not in self.principals:
            self.principals[token] = await authenticate(get_settings(), token)
        return self.principals[token]

    async def post(self, url: str, *, json: Any, headers: dict[str, str]) -> Answer:
        assert url == "/api/sync/push"
        who = await self.principal(headers)
        try:
            answer = await push(who, msgspec.convert(json, PushRequest), self.secret)
        except DomainError as exc:
            return Answer(503 if exc.slug == "temporarily-unavailable" else 400, {})
        return Answer(200, msgspec.to_builtins(answer))

    async def get(self, url: str, *, params: dict[str, Any], headers: dict[str, str]) -> Answer:
        assert url == "/api/sync/pull"
        who = await self.principal(headers)
        page = await pull(who, params.get("cursor"), params.get("limit"), self.secret)
        return Answer(200, msgspec.json.decode(page.body()))
