"""Customers over HTTP: search, filters, nearby, paging, writes, validation and scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from backend.customers.tables import Customer
from tests.factories import change_rows, make_customer, make_world_fast


def _new(code: str, **fields):
    return {"code": code, "name": f"Shop {code}", **fields}


async def test_admin_creates_and_reads_a_customer(client):
    w = await make_world_fast()
    body = _new(
        "K-100",
        street="Narva mnt 5",
        city="Tallinn",
        postal_code="10117",
        territory_id=str(w.t1),
        credit_limit="1500.50",
        lat=59.44,
        lng=24.76,
        opening_hours={
            "mon": [["08:00", "12:00"], ["13:00", "17:00"]],
            "sat": [["22:00", "02:00"]],
            "closed": ["2026-12-24"],
        },
    )
    r = await client.post("/api/customers", json=body, headers=w.headers["admin"])
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["region_id"] == str(w.region)  # follows the territory
    assert c["credit_limit"] == "1500.50"
    assert c["geocode_quality"] == "manual"
    assert c["version"] == 1
    got = await client.get(f"/api/customers/{c['id']}", headers=w.headers["rep1"])
    assert got.status_code == 200 and got.json()["opening_hours"]["sat"] == [["22:00", "02:00"]]
    changes = await change_rows("customers", c["id"])
    assert [ch["op"] for ch in changes] == ["put"]


async def test_search_is_case_insensitive_in_every_alphabet(client):
    w = await make_world_fast()
    for code, name, street in [
        ("A1", "Kohvik Õunapuu", "Pärnu mnt 10"),
        ("A2", "МАГАЗИН Ёлочка", "Ленина 3"),
        ("A3", "Крамниця Їжачок", "Шевченка 1"),
    ]:
        r = await client.post(
            "/api/customers",
            json=_new(code, name=name, street=street, territory_id=str(w.t1)),
            headers=w.headers["admin"],
        )
        assert r.status_code == 201, r.text
    h = w.headers["admin"]

    async def names(q):
        r = await client.get("/api/customers", params={"q": q}, headers=h)
        assert r.status_code == 200, r.text
        return sorted(i["name"] for i in r.json()["items"])

    assert await names("õunapuu") == ["Kohvik Õunapuu"]
    assert await names("ÕUNA") == ["Kohvik Õunapuu"]
    assert await names("ёлочка") == ["МАГАЗИН Ёлочка"]
    assert await names("ЇЖАЧ") == ["Крамниця Їжачок"]
    assert await names("пärnu") == []
    assert await names("PÄRNU") == ["Kohvik Õunapuu"]
    assert await names("a2") == ["МАГАЗИН Ёлочка"]  # by code
    assert await names("kohvik pärnu") == ["Kohvik Õunapuu"]  # every word must match
    assert await names("%") == []  # LIKE wildcards are literal


async def test_filters_territory_segment_distributor_and_due(client):
    w = await make_world_fast()
    now = datetime.now(UTC)
    due_old = await make_customer(
        territory=w.t1,
        name="Old visit",
        visit_frequency_days=7,
        last_visit_at=now - timedelta(days=10),
        segment="horeca",
    )
    await make_customer(
        territory=w.t1,
        name="Fresh visit",
        visit_frequency_days=7,
        last_visit_at=now - timedelta(days=2),
        segment="horeca",
    )
    never = await make_customer(territory=w.t1, name="Never visited", visit_frequency_days=30)
    h = w.headers["manager"]

    async def ids(**params):
        r = await client.get("/api/customers", params=params, headers=h)
        assert r.status_code == 200, r.text
        return {i["id"] for i in r.json()["items"]}

    assert await ids(due="true") == {str(due_old), str(never)}
    one = (await client.get(f"/api/customers/{due_old}", headers=h)).json()
    last = datetime.fromisoformat(one["last_visit_at"])
    assert datetime.fromisoformat(one["next_visit_due_at"]) == last + timedelta(days=7)
    assert await ids(overdue="true") == {str(due_old)}
    assert await ids(segment="horeca") == {str(due_old), await _id_named(client, h, "Fresh")}
    assert await ids(distributor_id=str(w.distributor)) == {str(w.c1)}
    assert str(w.c2) in await ids(territory_id=str(w.t2))
    assert str(w.c1) not in await ids(territory_id=str(w.t2))


async def _id_named(client, headers, q):
    r = await client.get("/api/customers", params={"q": q}, headers=headers)
    return r.json()["items"][0]["id"]


async def test_nearby_is_sorted_by_distance_and_cut_at_the_radius(client):
    w = await make_world_fast()
    # Tallinn old town; ~1.1 km east; ~5.5 km south; far away (Tartu).
    near = await make_customer(territory=w.t1, name="Spot Near", lat=59.4370, lng=24.7536)
    mid = await make_customer(territory=w.t1, name="Spot Mid", lat=59.4370, lng=24.7736)
    await make_customer(territory=w.t1, name="Spot Far", lat=59.3870, lng=24.7536)
    await make_customer(territory=w.t1, name="Spot Tartu", lat=58.3780, lng=26.7290)
    await make_customer(territory=w.t1, name="Spot No pin", lat=None, lng=None)
    r = await client.get(
        "/api/customers",
        params={"lat": 59.4370, "lng": 24.7536, "radius_m": 2000, "q": "spot"},
        headers=w.headers["admin"],
    )
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["id"] for i in items] == [str(near), str(mid)]
    assert items[0]["distance_m"] == 0
    assert 1050 < items[1]["distance_m"] < 1200
    r = await client.get(
        "/api/customers",
        params={"lat": 59.4370, "lng": 24.7536, "radius_m": 6000, "limit": 2, "q": "spot"},
        headers=w.headers["admin"],
    )
    page1 = r.json()
    assert [i["name"] for i in page1["items"]] == ["Spot Near", "Spot Mid"]
    r = await client.get(
        "/api/customers",
        params={
            "lat": 59.4370,
            "lng": 24.7536,
            "radius_m": 6000,
            "limit": 2,
            "q": "spot",
            "cursor": page1["next_cursor"],
        },
        headers=w.headers["admin"],
    )
    assert [i["name"] for i in r.json()["items"]] == ["Spot Far"]
    bad = await client.get(
        "/api/customers", params={"lat": 59.4, "radius_m": 10}, headers=w.headers["admin"]
    )
    assert bad.status_code == 422


async def test_keyset_paging_visits_every_customer_once(client):
    w = await make_world_fast()
    for i in range(23):
        await make_customer(territory=w.t1, name=f"Paged {i % 5}")  # duplicate names
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 5, "q": "paged"}
        if cursor:
            params["cursor"] = cursor
        r = await client.get("/api/customers", params=params, headers=w.headers["admin"])
        assert r.status_code == 200, r.text
        seen += [i["name"] + i["id"] for i in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 23 and len(set(seen)) == 23 and seen == sorted(seen)
    r = await client.get(
        "/api/customers",
        params={"limit": 5, "offset": 20, "q": "paged", "sort": "-name"},
        headers=w.headers["admin"],
    )
    assert r.json()["total"] == 23 and len(r.json()["items"]) == 3
    assert (
        await client.get("/api/customers", params={"limit": 501}, headers=w.headers["admin"])
    ).status_code == 422
    assert (
        await client.get("/api/customers", params={"cursor": "garbage"}, headers=w.headers["admin"])
    ).status_code == 422


async def test_update_is_partial_and_checks_base_version(client):
    w = await make_world_fast()
    h = w.headers["manager"]
    r = await client.patch(
        f"/api/customers/{w.c1}", json={"phone": "+372 5555 0101", "base_version": 1}, headers=h
    )
    assert r.status_code == 200, r.text
    assert r.json()["phone"] == "+372 5555 0101" and r.json()["version"] == 2
    assert r.json()["name"] == "Kohvik Õun"
    stale = await client.patch(
        f"/api/customers/{w.c1}", json={"phone": "1", "base_version": 1}, headers=h
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    row = await Customer.select(Customer.phone).where(Customer.id == w.c1).first()
    assert row["phone"] == "+372 5555 0101"


async def test_update_answers_the_customer_as_stored(client):
    w = await make_world_fast()
    h = w.headers["admin"]
    hours = {"mon": [["08:00", "17:00"]], "closed": ["2026-12-24"]}
    r = await client.patch(
        f"/api/customers/{w.c1}",
        json={"opening_hours": hours, "credit_limit": "250.10", "notes": "Back door"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    got = await client.get(f"/api/customers/{w.c1}", headers=h)
    assert r.json() == got.json()
    assert got.json()["opening_hours"] == hours and got.json()["credit_limit"] == "250.10"
    assert got.json()["version"] == 2


async def test_links_are_checked_when_they_change_or_the_region_does(client):
    from backend.territories.tables import Distributor

    w = await make_world_fast()
    h = w.headers["admin"]
    # A distributor retired after c1 was given it does not block an edit of c1's name ...
    await Distributor.update({Distributor.deleted_at: datetime.now(UTC)}).where(
        Distributor.id == w.distributor
    )
    r = await client.patch(f"/api/customers/{w.c1}", json={"name": "Kohvik Pirn"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Kohvik Pirn" and r.json()["distributor_id"] == str(w.distributor)
    # ... but is refused when it is given anew to another customer.
    r = await client.patch(
        f"/api/customers/{w.c2}", json={"distributor_id": str(w.distributor)}, headers=h
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "distributor_id"
    # Moving c1 to another region checks its kept distributor against the new region.
    await Distributor.update({Distributor.deleted_at: None}).where(Distributor.id == w.distributor)
    r = await client.patch(
        f"/api/customers/{w.c1}", json={"territory_id": str(w.t_other)}, headers=h
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "region"
    row = await Customer.select(Customer.territory, Customer.name).where(Customer.id == w.c1)
    assert row == [{"territory": w.t1, "name": "Kohvik Pirn"}]


async def test_territory_move_sets_region_and_logs_scope(client):
    w = await make_world_fast()
    r = await client.patch(
        f"/api/customers/{w.c2}", json={"territory_id": str(w.t_other)}, headers=w.headers["admin"]
    )
    assert r.status_code == 200, r.text
    assert r.json()["region_id"] == str(w.other_region)
    last = (await change_rows("customers", w.c2))[-1]
    assert str(last["scope_from"]["territory"]) == str(w.t2)
    assert str(last["scope_to"]["territory"]) == str(w.t_other)
    assert str(last["scope_to"]["region"]) == str(w.other_region)
    # Out of the manager's region now.
    assert (
        await client.get(f"/api/customers/{w.c2}", headers=w.headers["manager"])
    ).status_code == 404
    # A manager cannot move a customer out of their region.
    r = await client.patch(
        f"/api/customers/{w.c1}",
        json={"territory_id": str(w.t_other)},
        headers=w.headers["manager"],
    )
    assert r.status_code == 403


async def test_manual_pin_is_marked_and_kept_from_the_geocoder(client):
    from backend.customers.service import apply_geocode

    w = await make_world_fast()
    r = await client.patch(
        f"/api/customers/{w.c1}", json={"lat": 59.5, "lng": 24.9}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200 and r.json()["geocode_quality"] == "manual"
    assert await apply_geocode(w.c1, 10.0, 10.0, "rooftop") is False
    assert await apply_geocode(w.c2, 59.1, 24.1, "street") is True
    row = await Customer.select(Customer.lat).where(Customer.id == w.c1).first()
    assert row["lat"] == 59.5


async def test_invalid_fields_are_refused_with_field_errors(client):
    w = await make_world_fast()
    h = w.headers["admin"]
    cases = [
        ({"lat": 91, "lng": 0}, "lat"),
        ({"lat": 50}, "lat"),
        ({"visit_frequency_days": 366}, "visit_frequency_days"),
        ({"visit_duration_min": 0}, "visit_duration_min"),
        ({"credit_limit": "-1"}, "credit_limit"),
        ({"credit_limit": "1.001"}, "credit_limit"),
        ({"country": "XX"}, "country"),
        ({"country": "ee"}, "country"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"opening_hours": {"mon": [["8:00", "12:00"]]}}, "opening_hours.mon[0]"),
        ({"opening_hours": {"fun": []}}, "opening_hours.fun"),
        ({"opening_hours": {"closed": ["2026-13-01"]}}, "opening_hours.closed[0]"),
        ({"territory_id": str(uuid4())}, "territory_id"),
        ({"time_zone": "Mars/Base"}, "time_zone"),
        ({"colour": "red"}, "colour"),
    ]
    for fields, field in cases:
        r = await client.post("/api/customers", json=_new("BAD-1", **fields), headers=h)
        assert r.status_code == 422, (fields, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in r.json()["errors"]] == [field], (fields, r.json())
    assert not await Customer.exists().where(Customer.code == "BAD-1")
    assert await change_rows("customers") == []


async def test_duplicate_code_is_a_conflict_on_the_code_field(client):
    w = await make_world_fast()
    h = w.headers["admin"]
    assert (await client.post("/api/customers", json=_new("DUP"), headers=h)).status_code == 201
    r = await client.post("/api/customers", json=_new("DUP"), headers=h)
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "code"
    other = (await client.post("/api/customers", json=_new("DUP2"), headers=h)).json()
    r = await client.patch(f"/api/customers/{other['id']}", json={"code": "DUP"}, headers=h)
    assert r.status_code == 409


async def test_device_made_id_makes_create_idempotent(client):
    w = await make_world_fast()
    cid = str(uuid4())
    body = _new("IDEM", id=cid, territory_id=str(w.t1))
    r1 = await client.post("/api/customers", json=body, headers=w.headers["rep1"])
    r2 = await client.post("/api/customers", json=body, headers=w.headers["rep1"])
    assert r1.status_code == r2.status_code == 201 and r1.json() == r2.json()
    assert r1.json()["segment"] == "prospect"
    assert len(await change_rows("customers", cid)) == 1
    # Another rep cannot see it, so the id is a conflict for them.
    r3 = await client.post(
        "/api/customers",
        json=_new("IDEM2", id=cid, territory_id=str(w.t2)),
        headers=w.headers["rep2"],
    )
    assert r3.status_code == 409


async def test_rep_creates_prospects_only_in_own_territories(client):
    w = await make_world_fast()
    h = w.headers["rep1"]
    assert (
        await client.post("/api/customers", json=_new("P2", territory_id=str(w.t2)), headers=h)
    ).status_code == 403
    assert (
        await client.post(
            "/api/customers", json=_new("P3", territory_id=str(w.t1), credit_limit="100"), headers=h
        )
    ).status_code == 403
    r = await client.patch(f"/api/customers/{w.c1}", json={"credit_limit": "9999"}, headers=h)
    assert r.status_code == 403
    assert not await Customer.exists().where(Customer.code.is_in(["P2", "P3"]))


async def test_soft_delete_hides_the_customer_and_logs_a_del(client):
    w = await make_world_fast()
    r = await client.delete(f"/api/customers/{w.c2}", headers=w.headers["manager"])
    assert r.status_code == 204
    assert (
        await client.get(f"/api/customers/{w.c2}", headers=w.headers["admin"])
    ).status_code == 404
    row = (
        await Customer.select(Customer.deleted_at, Customer.version)
        .where(Customer.id == w.c2)
        .first()
    )
    assert row["deleted_at"] is not None and row["version"] == 2
    assert (await change_rows("customers", w.c2))[-1]["op"] == "del"


async def test_customer_and_distributor_users_see_only_their_customers(client):
    w = await make_world_fast()
    for role, expected in (
        ("customer_user", {str(w.c1)}),
        ("distributor_user", {str(w.c1)}),
        ("rep2", {str(w.c2)}),
        ("other_manager", {str(w.c_other)}),
    ):
        r = await client.get("/api/customers", headers=w.headers[role])
        assert {i["id"] for i in r.json()["items"]} == expected, role
