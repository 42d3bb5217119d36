"""Geocoding through the API: a batch job with progress, one customer, reverse lookups."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from backend.customers.tables import Customer
from tests.factories import make_customer, make_world
from tests.fakes.nominatim import FakeNominatim, Place


@pytest.fixture
def fake_geocoder(app):
    fake = FakeNominatim().start()
    fake.add("Viru väljak 4, 10111, Tallinn", Place(59.4370, 24.7536, "Viru väljak 4"))
    original = app.state.settings
    app.state.settings = replace(original, geocoder_url=fake.url)
    yield fake
    app.state.settings = original
    fake.stop()


async def test_manager_runs_a_job_and_watches_progress(client, fake_geocoder):
    w = await make_world(client)
    target = await make_customer(
        territory=w.t1,
        street="Viru väljak 4",
        postal_code="10111",
        city="Tallinn",
        lat=None,
        lng=None,
    )
    await make_customer(
        territory=w.t_other,
        street="Viru väljak 4",
        postal_code="10111",
        city="Tallinn",
        lat=None,
        lng=None,
    )  # other region: not in the job
    r = await client.post("/api/geocode/jobs", json={}, headers=w.headers["manager"])
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["total"] == 1
    for _ in range(100):
        job = (
            await client.get(f"/api/geocode/jobs/{job['id']}", headers=w.headers["manager"])
        ).json()
        if job["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.1)
    assert job["status"] == "done" and job["percent"] == 100, job
    row = await Customer.select(Customer.geocode_quality).where(Customer.id == target).first()
    assert row["geocode_quality"] == "rooftop"


async def test_roles_and_scope(client, fake_geocoder):
    w = await make_world(client)
    r = await client.post("/api/geocode/jobs", json={}, headers=w.headers["rep1"])
    assert r.status_code == 403
    r = await client.post(f"/api/customers/{w.c_other}/geocode", headers=w.headers["rep1"])
    assert r.status_code == 404
    r = await client.post(f"/api/customers/{w.c1}/geocode", headers=w.headers["customer_user"])
    assert r.status_code == 403


async def test_reverse_validates_coordinates(client, fake_geocoder):
    w = await make_world(client)
    r = await client.post(
        "/api/geocode/reverse", json={"lat": 95, "lng": 24}, headers=w.headers["rep1"]
    )
    assert r.status_code == 422
    r = await client.post(
        "/api/geocode/reverse", json={"lat": 59.437, "lng": 24.7536}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200 and r.json()["address"] == "Viru väljak 4"
