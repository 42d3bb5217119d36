"""Routes through HTTP: plans stored and replaced, scope refusals, re-plan, re-order, optimize."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from httpx import AsyncClient

from backend.accounts.tables import User
from backend.customers.tables import Customer
from geo.tables import Route
from tests.factories import change_rows, make_customer, make_world_fast

# Plans refuse days already over: the coming Monday, whatever day the tests run.
MONDAY = date.today() + timedelta(days=7 - date.today().weekday())
OFFICE = {"lat": 59.437, "lng": 24.7536}
HOURS = {d: [["09:00", "12:00"], ["13:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


async def _customers(territory: UUID, n: int, seed: int = 1, **kw: object) -> list[UUID]:
    rnd = random.Random(seed)
    return [
        await make_customer(
            territory=territory,
            lat=59.437 + rnd.uniform(-0.04, 0.04),
            lng=24.7536 + rnd.uniform(-0.08, 0.08),
            opening_hours=HOURS,
            visit_frequency_days=14,
            visit_duration_min=20,
            **kw,  # type: ignore[arg-type]
        )
        for _ in range(n)
    ]


async def _route_count() -> int:
    return await Route.count().where(Route.deleted_at.is_null())


async def test_rep_plans_own_day_and_a_second_plan_replaces_it(client: AsyncClient) -> None:
    w = await make_world_fast()
    await User.update(
        {User.preferences: {"route": {"start": OFFICE, "work_start": "08:30"}}}
    ).where(User.id == w.rep1)
    mine = await _customers(w.t1, 8)
    await _customers(w.t2, 3, seed=2)  # rep2's, never in rep1's plan
    r = await client.post(
        "/api/routes/plan", json={"days": [MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["routes"]) == 1
    route = body["routes"][0]
    planned = {s["customer_id"] for s in route["stops"]}
    # c1 of the world has no visit frequency: not due, so not planned by default.
    assert planned | {u["customer_id"] for u in body["unassigned"]} == {str(c) for c in mine}
    assert len(planned) == 8 and route["source"] == "planned" and route["version"] == 1
    first = route["stops"][0]
    assert datetime.fromisoformat(first["planned_arrival"]).utcoffset() is not None
    assert first["name"].startswith("Customer")
    assert route["distance_m"] > 0 and route["duration_s"] > 0
    assert body["stats"]["unassigned"] == len(body["unassigned"]) == 0
    assert route["stats"]["start"] == OFFICE
    changes = await change_rows("routes", UUID(route["id"]))
    assert [c["op"] for c in changes] == ["put"]

    # Planning the same day again, for fewer customers, replaces the route in place.
    again = await client.post(
        "/api/routes/plan",
        json={"days": [MONDAY.isoformat()], "customer_ids": [str(c) for c in mine[:3]]},
        headers=w.headers["rep1"],
    )
    assert again.status_code == 200, again.text
    replaced = again.json()["routes"][0]
    assert replaced["id"] == route["id"] and replaced["version"] == 2
    assert {s["customer_id"] for s in replaced["stops"]} == {str(c) for c in mine[:3]}
    assert await _route_count() == 1
    assert len(await change_rows("routes", UUID(route["id"]))) == 2

    listed = await client.get(f"/api/routes?from={MONDAY}&to={MONDAY}", headers=w.headers["rep1"])
    assert [x["id"] for x in listed.json()] == [route["id"]]
    got = await client.get(f"/api/routes/{route['id']}", headers=w.headers["manager"])
    assert got.status_code == 200 and got.json()["version"] == 2


async def test_refusals_store_nothing(client: AsyncClient) -> None:
    w = await make_world_fast()
    await _customers(w.t1, 3)
    day = [MONDAY.isoformat()]
    cases = [
        ("rep2", {"rep_id": str(w.rep1), "days": day}, 403),  # not their own
        ("other_manager", {"rep_id": str(w.rep1), "days": day}, 404),  # not their region
        ("distributor_user", {"rep_id": str(w.rep1), "days": day}, 403),
        ("customer_user", {"rep_id": str(w.rep1), "days": day}, 403),
        (
            "manager",
            {"rep_id": str(w.rep1), "days": day, "customer_ids": [str(w.c_other)]},
            404,
        ),  # customer of another region
        ("manager", {"rep_id": str(w.manager), "days": day}, 404),  # not a rep
        ("manager", {"days": day}, 422),  # whom for?
        ("rep1", {"days": []}, 400),
        ("rep1", {"days": [f"2026-12-0{i}" for i in range(1, 9)]}, 400),
        ("rep1", {"days": day, "colour": "red"}, 400),
        ("rep1", {"days": day, "start": {"lat": 91, "lng": 0}}, 400),
        ("rep1", {"days": day, "exploration_level": 9}, 400),
        ("rep1", {"days": ["2026-11-30", "2026-12-30"]}, 422),
    ]
    for role, body, status in cases:
        r = await client.post("/api/routes/plan", json=body, headers=w.headers[role])
        allowed = (400, 422) if status == 400 else (status,)  # bad body: 400 or 422
        assert r.status_code in allowed, (role, body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post(
        "/api/routes/plan-team",
        json={"rep_ids": [str(w.rep1)], "days": day},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 403
    assert await _route_count() == 0
    assert await change_rows("routes") == []


async def test_invalid_rep_settings_are_reported_by_field(client: AsyncClient) -> None:
    w = await make_world_fast()
    await _customers(w.t1, 2)
    await User.update({User.preferences: {"route": {"work_start": "8 am"}}}).where(
        User.id == w.rep1
    )
    r = await client.post(
        "/api/routes/plan", json={"days": [MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "preferences.route.work_start"
    assert await _route_count() == 0


async def test_route_reads_are_scoped(client: AsyncClient) -> None:
    w = await make_world_fast()
    await _customers(w.t1, 3)
    r = await client.post(
        "/api/routes/plan",
        json={"rep_id": str(w.rep1), "days": [MONDAY.isoformat()]},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    route_id = r.json()["routes"][0]["id"]
    for role, status in [
        ("rep1", 200),
        ("manager", 200),
        ("admin", 200),
        ("rep2", 404),
        ("other_manager", 404),
        ("distributor_user", 403),
        ("customer_user", 403),
    ]:
        got = await client.get(f"/api/routes/{route_id}", headers=w.headers[role])
        assert got.status_code == status, role
    assert (await client.get("/api/routes", headers=w.headers["rep2"])).json() == []
    assert (await client.get("/api/routes", headers=w.headers["other_manager"])).json() == []
    assert len((await client.get("/api/routes", headers=w.headers["admin"])).json()) == 1
    refused = await client.get(f"/api/routes?rep_id={w.rep1}", headers=w.headers["rep2"])
    assert refused.status_code == 403
    assert (
        await client.get("/api/routes", headers=w.headers["distributor_user"])
    ).status_code == 403


async def test_team_plan_keeps_each_rep_in_their_territory(client: AsyncClient) -> None:
    w = await make_world_fast()
    t1 = set(await _customers(w.t1, 6))
    t2 = set(await _customers(w.t2, 6, seed=5))
    r = await client.post(
        "/api/routes/plan-team",
        json={
            "rep_ids": [str(w.rep1), str(w.rep2)],
            "days": [MONDAY.isoformat(), (MONDAY + timedelta(days=1)).isoformat()],
        },
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["routes"]) == 4 and body["unassigned"] == []
    by_rep: dict[str, set[UUID]] = {}
    for route in body["routes"]:
        by_rep.setdefault(route["rep_id"], set()).update(
            UUID(s["customer_id"]) for s in route["stops"]
        )
    assert by_rep[str(w.rep1)] == t1 and by_rep[str(w.rep2)] == t2


async def test_device_order_is_kept_until_the_next_plan(client: AsyncClient) -> None:
    w = await make_world_fast()
    cs = await _customers(w.t1, 4)
    r = await client.post(
        "/api/routes/plan", json={"days": [MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    route = r.json()["routes"][0]
    order = [s["customer_id"] for s in route["stops"]][::-1]
    url = f"/api/routes/{route['id']}/order"
    stale = await client.put(
        url, json={"customer_ids": order, "base_version": 7}, headers=w.headers["rep1"]
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    wrong = await client.put(
        url, json={"customer_ids": order[:2], "base_version": 1}, headers=w.headers["rep1"]
    )
    assert wrong.status_code == 422
    other = await client.put(
        url, json={"customer_ids": order, "base_version": 1}, headers=w.headers["rep2"]
    )
    assert other.status_code == 404
    ok = await client.put(
        url, json={"customer_ids": order, "base_version": 1}, headers=w.headers["rep1"]
    )
    assert ok.status_code == 200, ok.text
    got = ok.json()
    assert got["source"] == "reordered" and got["version"] == 2
    assert [s["customer_id"] for s in got["stops"]] == order
    times = [datetime.fromisoformat(s["planned_arrival"]) for s in got["stops"]]
    assert times == sorted(times)
    replanned = await client.post(
        "/api/routes/plan", json={"days": [MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    fresh = replanned.json()["routes"][0]
    assert fresh["id"] == route["id"] and fresh["source"] == "planned" and fresh["version"] == 3
    assert len(fresh["stops"]) == len(cs)


async def test_optimize_answers_and_validates(client: AsyncClient) -> None:
    w = await make_world_fast()
    problem = {
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 1000]}],
        "jobs": [
            {"id": 10, "location_index": 1, "service": 10, "time_windows": [[0, 25]]},
            {"id": 20, "location_index": 2, "service": 10},
            {"id": 30, "location_index": 3, "service": 10, "time_windows": [[0, 5]]},
        ],
        "matrices": {
            "car": {
                "durations": [
                    [0, 20, 30, 400],
                    [20, 0, 15, 400],
                    [30, 15, 0, 400],
                    [400, 400, 400, 0],
                ]
            }
        },
    }
    r = await client.post("/api/routes/optimize", json=problem, headers=w.headers["rep1"])
    assert r.status_code == 200, r.text
    body = r.json()
    steps = [s for s in body["routes"][0]["steps"] if s["type"] == "job"]
    assert [s["id"] for s in steps] == [10, 20]
    assert steps[0]["arrival"] == 20 and steps[1]["arrival"] == 20 + 10 + 15
    assert [u["id"] for u in body["unassigned"]] == [30]

    bad = {**problem, "jobs": [{"id": 1, "location_index": 1, "service": -5}]}
    r = await client.post("/api/routes/optimize", json=bad, headers=w.headers["manager"])
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "/jobs/0/service"
    r = await client.post(
        "/api/routes/optimize",
        json={**problem, "jobs": [{"id": 1, "location_index": 9}]},
        headers=w.headers["manager"],
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "/jobs/0/location_index"
    many = {**problem, "jobs": [{"id": i, "location_index": 1} for i in range(2001)]}
    r = await client.post("/api/routes/optimize", json=many, headers=w.headers["admin"])
    assert r.status_code == 413 and "2000 jobs" in r.json()["detail"]
    r = await client.post(
        "/api/routes/optimize", json=problem, headers=w.headers["distributor_user"]
    )
    assert r.status_code == 403
    r = await client.post("/api/routes/optimize", json=problem)
    assert r.status_code == 401


async def test_customers_without_position_are_listed_with_a_reason(client: AsyncClient) -> None:
    w = await make_world_fast()
    cs = await _customers(w.t1, 2)
    await Customer.update({Customer.lat: None, Customer.lng: None}).where(Customer.id == cs[0])
    r = await client.post(
        "/api/routes/plan", json={"days": [MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200
    assert [(u["customer_id"], u["reason"]) for u in r.json()["unassigned"]] == [
        (str(cs[0]), "no_location")
    ]


def _now() -> datetime:
    return datetime.now(UTC)


# --- territories ----------------------------------------------------------------------------


async def _line(territory: UUID, lngs: list[float], frequency: int) -> list[UUID]:
    return [
        await make_customer(
            territory=territory,
            lat=59.4,
            lng=lng,
            visit_frequency_days=frequency,
            visit_duration_min=30,
        )
        for lng in lngs
    ]


async def test_workload_and_rebalance_preview(client: AsyncClient) -> None:
    w = await make_world_fast()
    busy = await _line(w.t1, [24.70, 24.72, 24.74], 7)
    quiet = await _line(w.t2, [24.76], 28)
    r = await client.get("/api/territories/workload", headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    loads = {t["territory_id"]: t for t in r.json()["territories"]}
    t1, t2 = loads[str(w.t1)], loads[str(w.t2)]
    # 3 customers seen weekly for 30 min = 12 visits = 21 600 s; 1 monthly = 1 800 s.
    assert (t1["customers"], t1["visits"], t1["visit_s"]) == (3, 12, 21_600)
    assert (t2["customers"], t2["visit_s"], t2["travel_s"]) == (1, 1_800, 0)
    assert t1["travel_s"] > 0 and t1["total_s"] == t1["visit_s"] + t1["travel_s"]
    assert r.json()["spread"] > 1

    before = await change_rows("customers")
    r = await client.post(
        "/api/territories/rebalance/preview", json={"tolerance": 0.1}, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    preview = r.json()
    assert preview["moves"][0]["customer_id"] == str(busy[-1])  # the one next to T2
    assert preview["moves"][0]["to_territory_id"] == str(w.t2)
    after = {t["territory_id"]: t["total_s"] for t in preview["after"]}
    assert after[str(w.t1)] < t1["total_s"] and after[str(w.t2)] > t2["total_s"]
    assert preview["spread_after"] < preview["spread_before"]
    # A preview changes nothing.
    rows = await Customer.select(Customer.territory).where(Customer.id.is_in(busy + quiet))
    assert sorted(str(x["territory"]) for x in rows) == sorted([str(w.t1)] * 3 + [str(w.t2)])
    assert await change_rows("customers") == before

    for role, params, status in [
        ("admin", "", 422),
        ("other_manager", f"?region_id={w.region}", 404),
        ("rep1", "", 403),
    ]:
        r = await client.get(f"/api/territories/workload{params}", headers=w.headers[role])
        assert r.status_code == status, role
    r = await client.get(
        f"/api/territories/workload?region_id={w.region}", headers=w.headers["admin"]
    )
    assert r.status_code == 200


async def test_assign_by_polygon_skips_the_hole_and_other_regions(client: AsyncClient) -> None:
    from backend.territories.tables import Territory

    w = await make_world_fast()
    square = {
        "type": "Polygon",
        "coordinates": [
            [[24.0, 59.0], [25.0, 59.0], [25.0, 60.0], [24.0, 60.0], [24.0, 59.0]],
            [[24.4, 59.4], [24.6, 59.4], [24.6, 59.6], [24.4, 59.6], [24.4, 59.4]],
        ],
    }
    await Territory.update({Territory.polygon: square}).where(Territory.id == w.t2)
    inside = await make_customer(territory=w.t1, lat=59.2, lng=24.2)
    in_hole = await make_customer(territory=w.t1, lat=59.5, lng=24.5)
    outside = await make_customer(territory=w.t1, lat=58.5, lng=24.5)
    await Customer.update({Customer.lat: 58.0}).where(Customer.id.is_in([w.c1, w.c2]))
    elsewhere = await make_customer(territory=w.t_other, lat=59.2, lng=24.2)

    for role, status in [("rep1", 403), ("other_manager", 404), ("distributor_user", 403)]:
        r = await client.post(f"/api/territories/{w.t2}/assign-by-polygon", headers=w.headers[role])
        assert r.status_code == status, role
    r = await client.post(
        f"/api/territories/{w.t1}/assign-by-polygon", headers=w.headers["manager"]
    )
    assert r.status_code == 422  # T1 has no polygon

    r = await client.post(
        f"/api/territories/{w.t2}/assign-by-polygon", headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    assert r.json()["assigned"] == [str(inside)]
    rows = {
        x["id"]: x["territory"]
        for x in await Customer.select(Customer.id, Customer.territory).where(
            Customer.id.is_in([inside, in_hole, outside, elsewhere])
        )
    }
    assert rows == {inside: w.t2, in_hole: w.t1, outside: w.t1, elsewhere: w.t_other}
    change = (await change_rows("customers", inside))[-1]
    assert change["scope_from"]["territory"] == str(w.t1)
    assert change["scope_to"]["territory"] == str(w.t2)
    again = await client.post(
        f"/api/territories/{w.t2}/assign-by-polygon", headers=w.headers["admin"]
    )
    assert again.json()["assigned"] == [] and again.json()["already_inside"] == 1


async def test_accepting_a_route_plans_one_visit_per_stop_once(client: AsyncClient) -> None:
    from backend.visits.tables import Visit

    w = await make_world_fast()
    await _customers(w.t1, 3)
    r = await client.post(
        "/api/routes/plan", json={"days": [MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    route = r.json()["routes"][0]
    other = await client.post(f"/api/routes/{route['id']}/accept", headers=w.headers["rep2"])
    assert other.status_code == 404 and await Visit.count() == 0
    ok = await client.post(f"/api/routes/{route['id']}/accept", headers=w.headers["rep1"])
    assert ok.status_code == 200, ok.text
    stops = ok.json()["stops"]
    visits = await Visit.select().where(Visit.rep == w.rep1)
    assert len(visits) == 3 and {str(v["id"]) for v in visits} == {s["visit_id"] for s in stops}
    starts = {str(v["customer"]): v["planned_start"] for v in visits}
    for s in stops:
        assert starts[s["customer_id"]] == datetime.fromisoformat(s["planned_start"])
    again = await client.post(f"/api/routes/{route['id']}/accept", headers=w.headers["rep1"])
    assert again.json()["version"] == ok.json()["version"] and await Visit.count() == 3
    # The next plan of that day keeps the planned visits linked to their stops.
    replanned = await client.post(
        "/api/routes/plan", json={"days": [MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    linked = {s["customer_id"]: s["visit_id"] for s in replanned.json()["routes"][0]["stops"]}
    assert linked == {s["customer_id"]: s["visit_id"] for s in stops}


async def test_accepting_moves_a_visit_the_planner_took_from_another_day(
    client: AsyncClient,
) -> None:
    """The reported bug: a week plan put a shop booked for Sunday on an earlier day and named
    that visit; accepting left the visit behind, so it stayed open there forever. The plan may
    move a booked visit (within its half hour, see below): accepting moves the visit along."""
    from backend.visits.tables import Visit

    w = await make_world_fast()
    (shop,) = await _customers(w.t1, 1, seed=5)
    later = MONDAY + timedelta(days=1)
    booked = await client.post(
        "/api/visits",
        json={
            "customer_id": str(shop),
            "planned_start": datetime(
                later.year, later.month, later.day, 14, 0, tzinfo=UTC
            ).isoformat(),
        },
        headers=w.headers["rep1"],
    )
    assert booked.status_code == 201, booked.text
    r = await client.post(
        "/api/routes/plan",
        json={"days": [MONDAY.isoformat(), later.isoformat()], "customer_ids": [str(shop)]},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    (route,) = [x for x in r.json()["routes"] if x["stops"]]
    (stop,) = route["stops"]
    assert stop["visit_id"] == booked.json()["id"]  # the planner took the booked visit
    assert datetime.fromisoformat(stop["planned_start"]) != datetime.fromisoformat(
        booked.json()["planned_start"]
    )
    ok = await client.post(f"/api/routes/{route['id']}/accept", headers=w.headers["rep1"])
    assert ok.status_code == 200, ok.text
    visits = await Visit.select().where(Visit.customer == shop)
    assert len(visits) == 1  # moved, not doubled
    assert visits[0]["planned_start"] == datetime.fromisoformat(stop["planned_start"])
    assert visits[0]["status"] == "planned"


async def test_a_booked_visit_keeps_its_day_and_its_time_within_half_an_hour(
    client: AsyncClient,
) -> None:
    """A week plan used to treat a booked visit as merely due: the shop booked for Tuesday
    afternoon came out on Monday morning (the rep missed the appointment)."""
    w = await make_world_fast()
    shops = await _customers(w.t1, 4, seed=9)
    tuesday = MONDAY + timedelta(days=1)
    at = datetime(tuesday.year, tuesday.month, tuesday.day, 11, 0, tzinfo=UTC)  # 13:00 Tallinn
    booked = await client.post(
        "/api/visits",
        json={"customer_id": str(shops[0]), "planned_start": at.isoformat()},
        headers=w.headers["rep1"],
    )
    assert booked.status_code == 201, booked.text
    r = await client.post(
        "/api/routes/plan",
        json={
            "days": [MONDAY.isoformat(), tuesday.isoformat()],
            "customer_ids": [str(c) for c in shops],
        },
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    where = {
        s["customer_id"]: (x["day"], datetime.fromisoformat(s["planned_start"]))
        for x in r.json()["routes"]
        for s in x["stops"]
    }
    day, start = where[str(shops[0])]
    assert day == tuesday.isoformat()
    assert abs((start - at).total_seconds()) <= 30 * 60
    assert len(where) == 4  # the others still planned
