"""Great-circle matrix figures and the OSRM table client against a local fake OSRM server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import pytest

from geo.errors import MatrixError
from geo.matrix import UNREACHABLE_S, GreatCircleMatrix, OsrmMatrix, haversine_m

TALLINN = (59.4370, 24.7536)
TARTU = (58.3780, 26.7290)
NARVA = (59.3772, 28.1903)


def test_tallinn_to_tartu_is_about_160_km_great_circle() -> None:
    km = haversine_m([TALLINN], [TARTU])[0, 0] / 1000
    assert 155 < km < 165


def test_matrix_is_symmetric_with_zero_diagonal_and_uses_detour_and_speed() -> None:
    m = GreatCircleMatrix(detour_factor=1.3, speed_kmh=40).table([TALLINN, TARTU, NARVA])
    assert (np.diag(m.durations) == 0).all() and (np.diag(m.distances) == 0).all()
    assert (m.durations == m.durations.T).all()
    road_km = m.distances[0, 1] / 1000
    assert road_km == pytest.approx(1.3 * haversine_m([TALLINN], [TARTU])[0, 0] / 1000, abs=0.01)
    assert m.durations[0, 1] == pytest.approx(road_km / 40 * 3600, abs=1)


def test_faster_speed_means_shorter_times() -> None:
    slow = GreatCircleMatrix(speed_kmh=40).table([TALLINN, TARTU])
    fast = GreatCircleMatrix(speed_kmh=80).table([TALLINN, TARTU])
    assert fast.durations[0, 1] * 2 == pytest.approx(slow.durations[0, 1], abs=2)
    assert fast.distances[0, 1] == slow.distances[0, 1]


def test_thousand_points_give_a_full_integer_matrix() -> None:
    rng = np.random.default_rng(7)
    pts = list(zip(rng.uniform(57.5, 59.7, 1000), rng.uniform(21.8, 28.2, 1000), strict=True))
    m = GreatCircleMatrix().table(pts)
    assert m.durations.shape == (1000, 1000) and m.durations.dtype == np.int64
    assert (m.durations >= 0).all()


def test_bad_points_and_settings_are_refused() -> None:
    with pytest.raises(MatrixError):
        GreatCircleMatrix().table([(91.0, 0.0)])
    with pytest.raises(MatrixError):
        GreatCircleMatrix(speed_kmh=0)


class FakeOsrm(BaseHTTPRequestHandler):
    """Speaks OSRM's table JSON; answers from great-circle figures and records each request."""

    requests: list[str] = []
    mode = "ok"

    def do_GET(self) -> None:
        FakeOsrm.requests.append(self.path)
        url = urlsplit(self.path)
        parts = unquote(url.path).split("/")
        query = parse_qs(url.query)
        if FakeOsrm.mode == "slow":
            time.sleep(1.0)
        if parts[1:4] != ["table", "v1", "driving"] or query.get("annotations") != [
            "duration,distance"
        ]:
            self._send(400, {"code": "InvalidUrl", "message": "bad table request"})
            return
        lonlat = [tuple(map(float, p.split(","))) for p in parts[4].split(";")]
        points = [(lat, lon) for lon, lat in lonlat]
        m = GreatCircleMatrix(speed_kmh=50).table(points)
        durations: list[list[float | None]] = m.durations.astype(float).tolist()
        if FakeOsrm.mode == "island":
            durations[0][-1] = None
        self._send(200, {"code": "Ok", "durations": durations, "distances": m.distances.tolist()})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except BrokenPipeError:  # the client gave up (timeout test); nothing to answer
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def osrm() -> Iterator[str]:
    FakeOsrm.requests = []
    FakeOsrm.mode = "ok"
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_osrm_client_sends_lon_lat_and_reads_the_table(osrm: str) -> None:
    m = OsrmMatrix(osrm).table([TALLINN, TARTU])
    path = FakeOsrm.requests[0]
    assert path.startswith("/table/v1/driving/24.753600,59.437000;26.729000,58.378000?")
    expected = GreatCircleMatrix(speed_kmh=50).table([TALLINN, TARTU])
    assert (m.durations == expected.durations).all()
    assert (m.distances == expected.distances).all()


async def test_async_osrm_client_gives_the_same_table(osrm: str) -> None:
    client = OsrmMatrix(osrm)
    m = await client.table_async([TALLINN, TARTU, NARVA])
    assert m.durations.shape == (3, 3) and m.durations[0, 2] > m.durations[0, 1]


def test_osrm_unroutable_pairs_become_unreachable(osrm: str) -> None:
    FakeOsrm.mode = "island"
    m = OsrmMatrix(osrm).table([TALLINN, TARTU])
    assert m.durations[0, 1] == UNREACHABLE_S


def test_osrm_error_answer_is_a_clear_error(osrm: str) -> None:
    with pytest.raises(MatrixError, match="InvalidUrl"):
        OsrmMatrix(osrm, profile="walking").table([TALLINN, TARTU])


def test_osrm_timeout_is_a_clear_error(osrm: str) -> None:
    FakeOsrm.mode = "slow"
    with pytest.raises(MatrixError, match="timed out"):
        OsrmMatrix(osrm, timeout_s=0.2).table([TALLINN, TARTU])


def test_osrm_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(MatrixError, match="unreachable"):
        OsrmMatrix("http://127.0.0.1:9", timeout_s=1).table([TALLINN, TARTU])
