"""The fake Web Push service in its own process, answering slowly and able to hold answers.

It reuses FakePushService's checks (VAPID, TTL, decryption) but serves through aiohttp so
that many requests can wait at once. `pause()` makes every request that finishes its delay
wait before being accepted; a request whose client went away meanwhile (its worker was
killed) is dropped unrecorded, as a real push service never accepts a message it could not
acknowledge.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
from collections import Counter
from multiprocessing.connection import Connection
from typing import Any


def _serve(conn: Connection, subscriptions: int, delay: float) -> None:
    from aiohttp import web

    from tests.fakes.http_server import Request
    from tests.fakes.push_service import FakePushService

    async def main() -> None:
        fake = FakePushService()  # its own server stays stopped: aiohttp serves instead
        gate = asyncio.Event()
        gate.set()
        stats = {"waiting": 0, "dropped": 0}

        async def handle(request: web.Request) -> web.Response:
            body = await request.read()
            await asyncio.sleep(delay)
            stats["waiting"] += 1
            await gate.wait()
            stats["waiting"] -= 1
            if request.transport is None or request.transport.is_closing():
                stats["dropped"] += 1
                return web.Response(status=499)
            headers = {k.lower(): v for k, v in request.headers.items()}
            answer = fake._handle(Request(request.method, request.path, headers, body))
            return web.Response(status=answer.status, body=answer.body, headers=answer.headers)

        app = web.Application()
        app.router.add_post("/push/{key}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        fake._server.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        subs = [fake.subscribe() for _ in range(subscriptions)]
        conn.send((fake.origin, [(s.endpoint, s.p256dh, s.auth) for s in subs]))
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command == "pause":
                gate.clear()
            elif command == "resume":
                gate.set()
            elif command == "stats":
                ids = Counter(
                    (r.endpoint, json.loads(r.plaintext)["data"]["id"]) for r in fake.received
                )
                conn.send({**stats, "received": dict(ids), "rejected": list(fake.rejected)})
                continue
            elif command == "stop":
                gate.set()
                await runner.cleanup()
                conn.send("stopped")
                return
            conn.send("ok")

    asyncio.run(main())


class SlowPushProcess:
    """`with SlowPushProcess(n, delay) as fake:` then fake.pause()/resume()/stats()."""

    def __init__(self, subscriptions: int, delay: float) -> None:
        self._subscriptions = subscriptions
        self._delay = delay
        self.origin = ""
        self.subscriptions: list[tuple[str, str, str]] = []

    def __enter__(self) -> SlowPushProcess:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, self._subscriptions, self._delay), daemon=True
        )
        self._process.start()
        self.origin, self.subscriptions = self._conn.recv()
        return self

    def _ask(self, command: str) -> Any:
        self._conn.send(command)
        return self._conn.recv()

    def pause(self) -> None:
        self._ask("pause")

    def resume(self) -> None:
        self._ask("resume")

    def stats(self) -> dict[str, Any]:
        """waiting, dropped, received {(endpoint, notification id): count}, rejected."""
        return self._ask("stats")  # type: ignore[no-any-return]

    def __exit__(self, *_: object) -> None:
        try:
            self._ask("stop")
        finally:
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
