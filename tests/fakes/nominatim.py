"""A local Nominatim-compatible geocoder: /search and /reverse over real HTTP.

It checks what the public service would: a real User-Agent (not a library default), JSON
format; and records every request with its time so tests can check the 1 request/s policy.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Place:
    lat: float
    lon: float
    display_name: str
    place_rank: int = 30
    addresstype: str = "house"


@dataclass
class Recorded:
    path: str
    params: dict[str, str]
    user_agent: str
    at: float


@dataclass
class FakeNominatim:
    places: dict[str, Place] = field(default_factory=dict)  # casefolded query -> place
    requests: list[Recorded] = field(default_factory=list)
    fail_next: int = 0  # answer 503 to this many requests
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, query: str, place: Place) -> None:
        self.places[query.casefold()] = place

    def start(self) -> FakeNominatim:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                ua = self.headers.get("User-Agent", "")
                fake.requests.append(Recorded(url.path, params, ua, time.monotonic()))
                if not ua or ua.startswith(("geopy/", "python-requests", "Python-urllib")):
                    self._send(403, {"error": "set a real User-Agent (usage policy)"})
                    return
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    self._send(503, {"error": "overloaded"})
                    return
                if params.get("format") not in ("json", "jsonv2"):
                    self._send(400, {"error": "format"})
                    return
                if url.path == "/search":
                    place = fake.places.get(params.get("q", "").casefold())
                    self._send(200, [] if place is None else [_as_json(place)])
                elif url.path == "/reverse":
                    lat, lon = float(params["lat"]), float(params["lon"])
                    best = min(
                        fake.places.values(),
                        default=None,
                        key=lambda p: math.hypot(p.lat - lat, p.lon - lon),
                    )
                    self._send(
                        200, {"error": "Unable to geocode"} if best is None else _as_json(best)
                    )
                else:
                    self._send(404, {"error": "unknown path"})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


def _as_json(p: Place) -> dict[str, Any]:
    return {
        "lat": str(p.lat),
        "lon": str(p.lon),
        "display_name": p.display_name,
        "place_rank": p.place_rank,
        "addresstype": p.addresstype,
        "class": "place",
        "type": p.addresstype,
        "importance": 0.5,
        "boundingbox": [
            str(p.lat - 0.001),
            str(p.lat + 0.001),
            str(p.lon - 0.001),
            str(p.lon + 0.001),
        ],
    }
