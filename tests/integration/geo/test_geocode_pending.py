"""A rep's new or moved address is geocoded by the server when online; a hand-set pin wins."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from uuid import uuid4

import pytest

from backend.accounts.principal import Principal, Role
from backend.customers import service
from backend.customers.schemas import CustomerCreate, CustomerUpdate
from backend.customers.tables import Customer
from backend.settings import get_settings
from geo.geocoding import Geocoder, geocode_pending
from tests.factories import make_region, make_territory, make_user
from tests.fakes.nominatim import FakeNominatim, Place

NARVA = "Narva mnt 5, Tallinn"


@pytest.fixture
def fake() -> Iterator[FakeNominatim]:
    f = FakeNominatim().start()
    f.add(NARVA, Place(59.4381, 24.7711, "Narva maantee 5, Kesklinn, Tallinn"))
    yield f
    f.stop()


def _geocoder(fake: FakeNominatim) -> Geocoder:
    settings = replace(
        get_settings(),
        geocoder="nominatim",
        geocoder_url=fake.url,
        geocoder_user_agent="rounds-tests/1.0 (ops@rounds.example)",
    )
    return Geocoder(settings, min_delay_seconds=0)


async def _rep() -> tuple[Principal, object]:
    region = await make_region()
    territory = await make_territory(region)
    user = await make_user("rep", region=region, territories=[territory])
    principal = Principal(
        user_id=user,
        session_id="s",
        role=Role.REP,
        email="rep@example.com",
        name="Rep",
        region_id=region,
        distributor_id=None,
        customer_id=None,
        territory_ids=frozenset({territory}),
    )
    return principal, territory


async def test_a_prospect_without_a_pin_gets_the_geocoders_position(db, fake) -> None:
    rep, territory = await _rep()
    made = await service.create_customer(
        rep,
        CustomerCreate(
            id=uuid4(), code="P-1-1", name="Uus pood", street="Narva mnt 5", city="Tallinn",
            territory_id=territory,
        ),
    )  # fmt: skip
    assert made.geocode_quality == "pending" and made.lat is None
    async with _geocoder(fake) as geocoder:
        assert await geocode_pending(geocoder) == 1
        assert await geocode_pending(geocoder) == 0
    row = await Customer.select().where(Customer.id == made.id).first()
    assert (row["lat"], row["lng"], row["geocode_quality"]) == (59.4381, 24.7711, "rooftop")


async def test_a_pin_moved_by_hand_before_the_geocoder_ran_is_kept(db, fake) -> None:
    rep, territory = await _rep()
    made = await service.create_customer(
        rep,
        CustomerCreate(
            code="P-1-2", name="Teine pood", street="Narva mnt 5", city="Tallinn",
            territory_id=territory,
        ),
    )  # fmt: skip
    await service.update_customer(rep, made.id, CustomerUpdate(lat=59.5, lng=24.8))
    async with _geocoder(fake) as geocoder:
        assert await geocode_pending(geocoder) == 0
    row = await Customer.select().where(Customer.id == made.id).first()
    assert (row["lat"], row["lng"], row["geocode_quality"]) == (59.5, 24.8, "manual")
    assert fake.requests == []
