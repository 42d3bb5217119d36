"""Geocoding customers against a local Nominatim-compatible server."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace

import pytest

from backend.customers.tables import Customer
from backend.settings import get_settings
from geo.geocoding import (
    Geocoder,
    create_job,
    geocode_customer,
    get_job,
    quality_of,
    run_job,
)
from geo.tables import GeocodeCache
from sync.tables import SyncChange
from tests.factories import make_customer
from tests.fakes.nominatim import FakeNominatim, Place

VIRU = "Viru väljak 4, 10111, Tallinn"
RAHU = "Rahu tee 12, 13623, Tallinn"


@pytest.fixture
def fake() -> Iterator[FakeNominatim]:
    f = FakeNominatim().start()
    f.add(VIRU, Place(59.4370, 24.7536, "Viru väljak 4, Kesklinn, Tallinn"))
    f.add(RAHU, Place(59.4262, 24.8322, "Rahu tee, Lasnamäe", 26, "road"))
    yield f
    f.stop()


def _geocoder(fake: FakeNominatim, delay: float = 0.0) -> Geocoder:
    settings = replace(
        get_settings(),
        geocoder="nominatim",
        geocoder_url=fake.url,
        geocoder_user_agent="rounds-tests/1.0 (ops@rounds.example)",
    )
    return Geocoder(settings, min_delay_seconds=delay)


def test_quality_from_rank_and_type() -> None:
    assert quality_of({"place_rank": 30, "addresstype": "house"}) == "rooftop"
    assert quality_of({"place_rank": 26, "addresstype": "road"}) == "street"
    assert quality_of({"place_rank": 16, "addresstype": "city"}) == "locality"


async def _customer(street: str, postal: str, **kw) -> object:
    return await make_customer(
        street=street, postal_code=postal, city="Tallinn", lat=None, lng=None, **kw
    )


async def test_geocodes_caches_and_records_the_change(db, fake) -> None:
    c1 = await _customer("Viru väljak 4", "10111")
    c2 = await _customer("Viru  väljak 4", "10111")  # same address, other spacing
    async with _geocoder(fake) as g:
        assert await geocode_customer(g, c1) == "rooftop"
        assert await geocode_customer(g, c2) == "rooftop"
    row = await Customer.select().where(Customer.id == c1).first()
    assert (round(row["lat"], 4), round(row["lng"], 4)) == (59.437, 24.7536)
    assert row["version"] == 2
    # Asked once for two customers at one address: the cache answered the second time.
    assert len([r for r in fake.requests if r.path == "/search"]) == 1
    assert await GeocodeCache.count() == 1
    assert await SyncChange.count().where(SyncChange.row_id == c1) == 1
    assert fake.requests[0].user_agent.startswith("rounds-tests/")


async def test_hand_set_pin_is_never_overwritten(db, fake) -> None:
    c = await _customer("Viru väljak 4", "10111", geocode_quality="manual")
    await Customer.update({Customer.lat: 59.5, Customer.lng: 24.9}).where(Customer.id == c)
    async with _geocoder(fake) as g:
        assert await geocode_customer(g, c) == "manual"
    row = await Customer.select().where(Customer.id == c).first()
    assert (row["lat"], row["lng"], row["geocode_quality"]) == (59.5, 24.9, "manual")
    assert fake.requests == []


async def test_unknown_address_is_failed_and_keeps_no_pin(db, fake) -> None:
    c = await _customer("Nowhere 1", "00000")
    async with _geocoder(fake) as g:
        assert await geocode_customer(g, c) == "failed"
    row = await Customer.select().where(Customer.id == c).first()
    assert row["geocode_quality"] == "failed" and row["lat"] is None


async def test_batch_job_reports_progress_and_respects_the_rate(db, fake) -> None:
    ids = [
        await _customer("Viru väljak 4", "10111"),
        await _customer("Rahu tee 12", "13623"),
        await _customer("Nowhere 1", "00000"),
        await _customer("Viru väljak 4", "10111", geocode_quality="manual"),
    ]
    job = await create_job(ids, None)
    assert (await get_job(job)).status == "queued"
    async with _geocoder(fake, delay=0.3) as g:
        progress = await run_job(g, job)
    assert progress.status == "done" and progress.percent == 100
    assert (progress.done, progress.failed, progress.skipped) == (2, 1, 1)
    times = [r.at for r in fake.requests if r.path == "/search"]
    assert len(times) == 3
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(gap >= 0.29 for gap in gaps), gaps
    street = await Customer.select(Customer.geocode_quality).where(Customer.id == ids[1]).first()
    assert street["geocode_quality"] == "street"


@pytest.mark.slow
async def test_outage_fails_the_job_with_a_reason_and_resumes(db, fake) -> None:
    ids = [await _customer("Viru väljak 4", "10111"), await _customer("Rahu tee 12", "13623")]
    job = await create_job(ids, None)
    fake.fail_next = 100
    async with _geocoder(fake) as g:
        progress = await run_job(g, job)
    assert progress.status == "failed" and progress.error
    fake.fail_next = 0
    async with _geocoder(fake) as g:
        progress = await run_job(g, job)
    assert progress.status == "done" and progress.done == 2


async def test_reverse_geocoding(db, fake) -> None:
    async with _geocoder(fake) as g:
        assert await g.reverse(59.4371, 24.7537) == "Viru väljak 4, Kesklinn, Tallinn"
