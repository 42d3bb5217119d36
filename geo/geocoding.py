"""Geocoding customers' addresses through geopy, with a database cache and batch jobs.

The provider is configured (`ROUNDS_GEOCODER`, default Nominatim; `ROUNDS_GEOCODER_URL` points
it at a self-hosted or test server). Nominatim's usage policy is honoured: a real User-Agent
and at most one request a second per process (geopy's AsyncRateLimiter). Every answer, also a
failure, is cached by normalised address, so an address is asked for once. A pin set by hand
(geocode_quality "manual") is never overwritten: the update's WHERE clause says so, which
also holds when a rep moves the pin while a batch runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse
from uuid import UUID, uuid4

import structlog
from geopy.adapters import AioHTTPAdapter
from geopy.exc import GeocoderServiceError, GeopyError
from geopy.extra.rate_limiter import AsyncRateLimiter
from geopy.geocoders import Nominatim, get_geocoder_for_service

from backend.customers.tables import Customer
from backend.db import write_transaction
from backend.errors import NotFound, TemporarilyUnavailable
from backend.settings import Settings
from geo.tables import GeocodeCache, GeocodeJob
from sync.changelog import record_change

log = structlog.get_logger(__name__)

QUALITIES = ("rooftop", "street", "locality", "failed")
_STREET_TYPES = {
    "road",
    "street",
    "residential",
    "pedestrian",
    "service",
    "tertiary",
    "secondary",
    "primary",
    "living_street",
    "unclassified",
    "footway",
}
_ROOFTOP_TYPES = {
    "house",
    "building",
    "amenity",
    "shop",
    "office",
    "apartments",
    "retail",
    "commercial",
    "industrial",
}


@dataclass(frozen=True)
class GeocodeResult:
    lat: float | None
    lng: float | None
    quality: str
    display_name: str = ""

    @property
    def found(self) -> bool:
        return self.quality != "failed"


def quality_of(raw: dict[str, Any]) -> str:
    """Rooftop, street or locality, from a Nominatim-style answer's rank and type."""
    try:
        rank = int(raw.get("place_rank", 0))
    except (TypeError, ValueError):
        rank = 0
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    if rank >= 30 or kind in _ROOFTOP_TYPES or raw.get("class") == "building":
        return "rooftop"
    if rank >= 26 or kind in _STREET_TYPES:
        return "street"
    return "locality"


def normalise_query(*parts: str | None) -> str:
    """One spelling per address: NFC, single spaces, no empty parts, case kept for display."""
    cleaned = [" ".join(unicodedata.normalize("NFC", p).split()) for p in parts if p]
    return ", ".join(p for p in cleaned if p)


def cache_key(provider: str, query: str) -> str:
    return hashlib.sha256(f"{provider}\n{query.casefold()}".encode()).hexdigest()


class Geocoder:
    """An async geocoder for one provider, rate limited, used as an async context manager."""

    def __init__(
        self, settings: Settings, *, min_delay_seconds: float = 1.0, timeout: float = 10.0
    ) -> None:
        self.provider = settings.geocoder
        self.min_delay_seconds = min_delay_seconds
        kwargs: dict[str, Any] = {
            "user_agent": settings.geocoder_user_agent,
            "timeout": timeout,
            "adapter_factory": AioHTTPAdapter,
        }
        if settings.geocoder_url:
            parsed = urlparse(settings.geocoder_url)
            kwargs["domain"] = parsed.netloc + parsed.path.rstrip("/")
            kwargs["scheme"] = parsed.scheme or "https"
        cls = Nominatim if self.provider == "nominatim" else get_geocoder_for_service(self.provider)
        self._geocoder = cls(**kwargs)
        self._geocode = AsyncRateLimiter(
            self._geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=2,
            swallow_exceptions=False,
        )
        self._reverse = AsyncRateLimiter(
            self._geocoder.reverse,
            min_delay_seconds=min_delay_seconds,
            max_retries=2,
            swallow_exceptions=False,
        )

    async def __aenter__(self) -> Geocoder:
        await self._geocoder.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._geocoder.__aexit__(*exc)

    async def lookup(self, query: str, country: str | None = None) -> GeocodeResult:
        """Ask the provider (no cache); a miss is a 'failed' result, an outage raises."""
        kwargs: dict[str, Any] = {"exactly_one": True}
        if self.provider == "nominatim" and country:
            kwargs["country_codes"] = country.lower()
        try:
            location = await self._geocode(query, **kwargs)
        except GeocoderServiceError as exc:
            raise TemporarilyUnavailable(detail=f"The geocoder did not answer: {exc}") from exc
        if location is None:
            return GeocodeResult(None, None, "failed")
        raw = location.raw if isinstance(location.raw, dict) else {}
        return GeocodeResult(
            location.latitude, location.longitude, quality_of(raw), str(location.address or "")
        )

    async def reverse(self, lat: float, lng: float) -> str | None:
        """The address at a position, or None."""
        try:
            location = await self._reverse((lat, lng), exactly_one=True)
        except GeocoderServiceError as exc:
            raise TemporarilyUnavailable(detail=f"The geocoder did not answer: {exc}") from exc
        return str(location.address) if location else None


async def geocode_query(
    geocoder: Geocoder, query: str, country: str | None = None
) -> GeocodeResult:
    """The cached answer for an address, asking the provider only on a cache miss."""
    key = cache_key(f"{geocoder.provider}:{country or ''}", query)
    row = await GeocodeCache.select().where(GeocodeCache.key == key).first()
    if row is not None:
        return GeocodeResult(row["lat"], row["lng"], row["quality"], row["display_name"])
    result = await geocoder.lookup(query, country)
    async with write_transaction():
        if not await GeocodeCache.exists().where(GeocodeCache.key == key):
            await GeocodeCache.insert(
                GeocodeCache(
                    key=key,
                    provider=geocoder.provider,
                    query=query,
                    lat=result.lat,
                    lng=result.lng,
                    quality=result.quality,
                    display_name=result.display_name,
                )
            )
    return result


def customer_query(row: dict[str, Any]) -> str:
    return normalise_query(row.get("street"), row.get("postal_code"), row.get("city"))


async def geocode_customer(geocoder: Geocoder, customer_id: UUID) -> str:
    """Geocode one customer's address; returns the quality stored, or 'manual'/'skipped'."""
    row = (
        await Customer.select(
            Customer.id,
            Customer.street,
            Customer.postal_code,
            Customer.city,
            Customer.country,
            Customer.geocode_quality,
            Customer.deleted_at,
        )
        .where(Customer.id == customer_id)
        .first()
    )
    if row is None or row["deleted_at"] is not None:
        raise NotFound(detail="No such customer.")
    if row["geocode_quality"] == "manual":
        return "manual"
    query = customer_query(row)
    if not query:
        return "skipped"
    result = await geocode_query(geocoder, query, row["country"])
    return await _store(customer_id, result)


async def _store(customer_id: UUID, result: GeocodeResult) -> str:
    async with write_transaction():
        values: dict[Any, Any] = {
            Customer.geocode_quality: result.quality,
            Customer.version: Customer.version + 1,
            Customer.updated_at: datetime.now(UTC),
        }
        if result.found:
            values[Customer.lat] = result.lat
            values[Customer.lng] = result.lng
        changed = (
            await Customer.update(values)
            .where((Customer.id == customer_id) & (Customer.geocode_quality != "manual"))
            .returning(Customer.id)
        )
        if not changed:
            return "manual"
        await record_change("customers", customer_id, "put", customer_id=customer_id)
    return result.quality


# --- batch jobs --------------------------------------------------------------------------


@dataclass(frozen=True)
class JobProgress:
    id: str
    status: str
    total: int
    done: int
    failed: int
    skipped: int
    error: str

    @property
    def percent(self) -> int:
        return (
            100
            if self.total == 0
            else int(100 * (self.done + self.failed + self.skipped) / self.total)
        )


async def create_job(customer_ids: list[UUID], created_by: UUID | None) -> str:
    job_id = str(uuid4())
    async with write_transaction():
        await GeocodeJob.insert(
            GeocodeJob(
                id=job_id,
                created_by=created_by,
                total=len(customer_ids),
                customer_ids=[str(c) for c in customer_ids],
            )
        )
    return job_id


async def get_job(job_id: str) -> JobProgress:
    row = await GeocodeJob.select().where(GeocodeJob.id == job_id).first()
    if row is None:
        raise NotFound(detail="No such geocoding job.")
    return JobProgress(
        row["id"],
        row["status"],
        row["total"],
        row["done"],
        row["failed"],
        row["skipped"],
        row["error"],
    )


async def run_job(geocoder: Geocoder, job_id: str) -> JobProgress:
    """Geocode every customer of a job, saving progress after each one."""
    row = await GeocodeJob.select().where(GeocodeJob.id == job_id).output(load_json=True).first()
    if row is None:
        raise NotFound(detail="No such geocoding job.")
    ids = [UUID(c) for c in row["customer_ids"]]
    counts = {"done": row["done"], "failed": row["failed"], "skipped": row["skipped"]}
    start = sum(counts.values())  # resumes where a stopped run left off
    await GeocodeJob.update({GeocodeJob.status: "running"}).where(GeocodeJob.id == job_id)
    try:
        for customer_id in ids[start:]:
            try:
                quality = await geocode_customer(geocoder, customer_id)
            except NotFound:
                quality = "skipped"
            key = {"failed": "failed", "manual": "skipped", "skipped": "skipped"}.get(
                quality, "done"
            )
            counts[key] += 1
            await GeocodeJob.update({getattr(GeocodeJob, key): counts[key]}).where(
                GeocodeJob.id == job_id
            )
    except (TemporarilyUnavailable, GeopyError) as exc:
        await GeocodeJob.update(
            {
                GeocodeJob.status: "failed",
                GeocodeJob.error: str(exc)[:500],
                GeocodeJob.finished_at: datetime.now(UTC),
            }
        ).where(GeocodeJob.id == job_id)
        log.warning("geo.geocode_job_failed", job_id=job_id, error=type(exc).__name__)
        return await get_job(job_id)
    await GeocodeJob.update(
        {GeocodeJob.status: "done", GeocodeJob.finished_at: datetime.now(UTC)}
    ).where(GeocodeJob.id == job_id)
    log.info("geo.geocode_job_done", job_id=job_id, **counts)
    return await get_job(job_id)


_running: set[asyncio.Task[Any]] = set()


def start_job_in_background(settings: Settings, job_id: str) -> None:
    """Run a job on this process's event loop; its progress lives in the database."""

    async def runner() -> None:
        async with Geocoder(settings) as geocoder:
            await run_job(geocoder, job_id)

    task = asyncio.get_running_loop().create_task(runner())
    _running.add(task)
    task.add_done_callback(_running.discard)


# --- customers waiting for a geocode (created or moved by a rep, online or by sync) --------


async def geocode_pending(geocoder: Geocoder, limit: int = 20) -> int:
    """Geocode customers whose new address waits ("pending"); returns how many were tried.

    A pin set by hand in the meantime wins (geocode_customer skips "manual" rows).
    """
    rows = (
        await Customer.select(Customer.id)
        .where((Customer.geocode_quality == "pending") & Customer.deleted_at.is_null())
        .order_by(Customer.updated_at)
        .limit(limit)
    )
    for row in rows:
        try:
            await geocode_customer(geocoder, row["id"])
        except NotFound:
            continue
    return len(rows)


def start_pending_loop(settings: Settings, every_seconds: float = 10.0) -> asyncio.Task[Any]:
    """Look for pending addresses now and then on this process's loop (a configured geocoder)."""

    async def loop() -> None:
        while True:
            try:
                async with Geocoder(settings) as geocoder:
                    while await geocode_pending(geocoder):
                        pass
            except (TemporarilyUnavailable, GeopyError) as exc:
                log.warning("geo.geocode_pending_failed", error=type(exc).__name__)
            except Exception:
                log.exception("geo.geocode_pending_crashed")
            await asyncio.sleep(every_seconds)

    task = asyncio.get_running_loop().create_task(loop())
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task
