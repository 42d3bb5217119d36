"""Travel-time and distance matrices: great-circle estimates or an OSRM-compatible table service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import numpy as np
import numpy.typing as npt

from geo.errors import MatrixError

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), the usual choice for haversine
# OSRM answers null for pairs it cannot route; the solver needs a number: "practically never".
UNREACHABLE_S = 10_000_000
UNREACHABLE_M = 100_000_000

Point = tuple[float, float]
"""A position as (latitude, longitude) in degrees, the order people read them in."""

IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Matrix:
    """Square matrices over the same points: durations in whole seconds, distances in metres."""

    durations: IntMatrix
    distances: IntMatrix

    @property
    def size(self) -> int:
        """Number of points the matrix covers."""
        return int(self.durations.shape[0])


class MatrixProvider(Protocol):
    """Anything that turns a list of points into a travel matrix; the planner only needs this."""

    def table(self, points: Sequence[Point]) -> Matrix:
        """Return durations and distances between every pair of `points` (row = from)."""
        ...


def _as_array(points: Sequence[Point]) -> npt.NDArray[np.float64]:
    """Check and convert points to an (n, 2) float array of (lat, lon)."""
    arr = np.asarray(points, dtype=np.float64).reshape(-1, 2) if len(points) else np.zeros((0, 2))
    if not np.all(np.isfinite(arr)):
        raise MatrixError("points must be finite numbers")
    if np.any(np.abs(arr[:, 0]) > 90) or np.any(np.abs(arr[:, 1]) > 180):
        raise MatrixError("latitude must be within ±90 and longitude within ±180")
    return arr


def haversine_m(origins: Sequence[Point], destinations: Sequence[Point]) -> npt.NDArray[np.float64]:
    """Great-circle distances in metres between every origin (rows) and destination (columns)."""
    a = np.radians(_as_array(origins))
    b = np.radians(_as_array(destinations))
    lat1, lon1 = a[:, 0:1], a[:, 1:2]
    lat2, lon2 = b[:, 0][None, :], b[:, 1][None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@dataclass(frozen=True)
class GreatCircleMatrix:
    """Estimate road travel as great-circle distance × detour factor at an average speed."""

    detour_factor: float = 1.3
    speed_kmh: float = 40.0

    def __post_init__(self) -> None:
        if not self.detour_factor >= 1.0:
            raise MatrixError("detour_factor must be at least 1")
        if not self.speed_kmh > 0:
            raise MatrixError("speed_kmh must be positive")

    def table(self, points: Sequence[Point]) -> Matrix:
        """Return the estimated matrix; 1,000 points take a few tens of milliseconds."""
        road_m = haversine_m(points, points) * self.detour_factor
        seconds = road_m / (self.speed_kmh / 3.6)
        return Matrix(
            durations=np.rint(seconds).astype(np.int64),
            distances=np.rint(road_m).astype(np.int64),
        )


class OsrmMatrix:
    """Client of an OSRM-compatible `table` service (`/table/v1/{profile}/{lon,lat;...}`)."""

    def __init__(
        self,
        base_url: str,
        *,
        profile: str = "driving",
        timeout_s: float = 10.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.timeout_s = timeout_s
        self._client = client

    def url(self, points: Sequence[Point]) -> str:
        """Build the table URL; OSRM wants longitude first, with 6 decimals (~10 cm)."""
        arr = _as_array(points)
        if len(arr) < 1:
            raise MatrixError("at least one point is needed")
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in arr)
        return f"{self.base_url}/table/v1/{self.profile}/{coords}"

    params = {"annotations": "duration,distance"}

    def table(self, points: Sequence[Point]) -> Matrix:
        """Fetch the matrix synchronously; raises MatrixError on timeouts and bad answers."""
        url = self.url(points)
        try:
            if self._client is not None:
                response = self._client.get(url, params=self.params, timeout=self.timeout_s)
            else:
                with httpx.Client(timeout=self.timeout_s) as client:
                    response = client.get(url, params=self.params)
        except httpx.TimeoutException as exc:
            raise MatrixError(f"OSRM table timed out after {self.timeout_s} s") from exc
        except httpx.HTTPError as exc:
            raise MatrixError(f"OSRM table unreachable: {exc}") from exc
        return parse_osrm_table(response, len(points))

    async def table_async(
        self, points: Sequence[Point], client: httpx.AsyncClient | None = None
    ) -> Matrix:
        """Fetch the matrix without blocking the event loop (for the API service)."""
        url = self.url(points)
        try:
            if client is not None:
                response = await client.get(url, params=self.params, timeout=self.timeout_s)
            else:
                async with httpx.AsyncClient(timeout=self.timeout_s) as own:
                    response = await own.get(url, params=self.params)
        except httpx.TimeoutException as exc:
            raise MatrixError(f"OSRM table timed out after {self.timeout_s} s") from exc
        except httpx.HTTPError as exc:
            raise MatrixError(f"OSRM table unreachable: {exc}") from exc
        return parse_osrm_table(response, len(points))


def _square(raw: Any, n: int, name: str, unreachable: int) -> IntMatrix:
    """Turn OSRM's list of rows (null = no route) into an n×n integer matrix."""
    if (
        not isinstance(raw, list)
        or len(raw) != n
        or any(not isinstance(row, list) or len(row) != n for row in raw)
    ):
        raise MatrixError(f"OSRM answer has no {n}×{n} '{name}' matrix")
    try:
        arr = np.array(
            [[unreachable if v is None else float(v) for v in row] for row in raw],
            dtype=np.float64,
        )
    except (TypeError, ValueError) as exc:
        raise MatrixError(f"OSRM '{name}' holds non-numbers") from exc
    return np.rint(arr).astype(np.int64)


def parse_osrm_table(response: httpx.Response, n: int) -> Matrix:
    """Check an OSRM table answer and convert it; OSRM reports errors as a `code` + `message`."""
    try:
        body = response.json()
    except ValueError as exc:
        raise MatrixError(f"OSRM answered HTTP {response.status_code} without JSON") from exc
    if not isinstance(body, dict):
        raise MatrixError("OSRM answer is not a JSON object")
    code = body.get("code")
    if response.status_code != 200 or code != "Ok":
        message = body.get("message", "")
        raise MatrixError(
            f"OSRM table failed: HTTP {response.status_code} {code} {message}".strip()
        )
    return Matrix(
        durations=_square(body.get("durations"), n, "durations", UNREACHABLE_S),
        distances=_square(body.get("distances"), n, "distances", UNREACHABLE_M),
    )
