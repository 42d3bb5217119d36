"""A rep's home base and hours; a manager's team plan: drafts, move, lock, re-solve, publish."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from httpx import AsyncClient

from tests.factories import make_customer, make_world_fast
from tests.integration.sync.device import Device

TALLINN = ZoneInfo("Europe/Tallinn")
HOME1 = {"lat": 59.40, "lng": 24.60}
HOME2 = {"lat": 59.45, "lng": 24.85}
NEXT_MONDAY = date.today() + timedelta(days=7 - date.today().weekday())


async def _customers(territory: UUID, n: int, seed: int) -> list[UUID]:
    rnd = random.Random(seed)
    return [
        await make_customer(
            territory=territory,
            lat=59.437 + rnd.uniform(-0.04, 0.04),
            lng=24.7536 + rnd.uniform(-0.08, 0.08),
            visit_frequency_days=7,
            visit_duration_min=30,
        )
        for _ in range(n)
    ]


def _local(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).astimezone(TALLINN)


async def test_home_and_hours_are_set_read_validated_and_cleared(client: AsyncClient) -> None:
    w = await make_world_fast()
    url = f"/api/users/{w.rep1}"
    r = await client.patch(
        url,
        json={"home": HOME1, "work_start": "07:30", "work_end": "15:45"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    got = (await client.get(url, headers=w.headers["manager"])).json()
    assert (got["home"], got["work_start"], got["work_end"]) == (HOME1, "07:30", "15:45")
    listed = (await client.get("/api/users?role=rep", headers=w.headers["manager"])).json()
    assert next(u for u in listed if u["id"] == str(w.rep1))["home"] == HOME1
    # The rep sees their own settings too (GET /api/users/{id} on themselves).
    mine = (await client.get(url, headers=w.headers["rep1"])).json()
    assert mine["work_end"] == "15:45"

    bad = [
        ({"work_end": "07:00"}, "work_end"),  # before the start kept
        ({"work_start": "16:00"}, "work_start"),  # after the end kept
        ({"work_start": "10:00", "work_end": "10:00"}, "work_end"),
        ({"work_start": "8 am"}, "work_start"),
        ({"work_end": "25:00"}, "work_end"),
        ({"home": {"lat": 91, "lng": 24}}, "home.lat"),
        ({"home": {"lat": 59, "lng": -181}}, "home.lng"),
        ({"home": {"lat": 59}}, "home"),
    ]
    for body, field in bad:
        r = await client.patch(url, json=body, headers=w.headers["manager"])
        assert r.status_code in (400, 422), (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        fields = [e["field"] for e in r.json().get("errors", [])]
        assert any(f.startswith(field) for f in fields) or field in r.json()["detail"], (
            body,
            r.json(),
        )
    # Nothing of the refused updates was kept.
    got = (await client.get(url, headers=w.headers["manager"])).json()
    assert (got["home"], got["work_start"], got["work_end"]) == (HOME1, "07:30", "15:45")
    # Another region's manager cannot see, let alone set, the rep's home.
    r = await client.patch(url, json={"home": HOME2}, headers=w.headers["other_manager"])
    assert r.status_code == 404
    # A rep cannot set their own (the office plans them).
    r = await client.patch(url, json={"home": HOME2}, headers=w.headers["rep1"])
    assert r.status_code == 403
    # null clears the home; the hours stay.
    r = await client.patch(url, json={"home": None}, headers=w.headers["manager"])
    assert r.status_code == 200 and r.json()["home"] is None
    assert r.json()["work_start"] == "07:30"


async def test_plans_refuse_days_over_and_need_days_or_a_week(client: AsyncClient) -> None:
    w = await make_world_fast()
    await _customers(w.t1, 3, seed=1)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    for body in ({"days": [yesterday]}, {}):
        r = await client.post("/api/routes/plan", json=body, headers=w.headers["rep1"])
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "days"
    r = await client.post("/api/routes/plan", json={"week": "this"}, headers=w.headers["rep1"])
    assert r.status_code == 200, r.text
    days = [x["day"] for x in r.json()["routes"]]
    today = datetime.now(TALLINN).date()
    assert days[0] == today.isoformat() and date.fromisoformat(days[-1]).weekday() == 6
    now = datetime.now(TALLINN)
    for route in r.json()["routes"]:
        for s in route["stops"]:
            assert _local(s["planned_arrival"]) >= now - timedelta(minutes=1)


async def _team_week(client: AsyncClient, w, headers: dict[str, str]) -> dict:
    for rep, home in ((w.rep1, HOME1), (w.rep2, HOME2)):
        r = await client.patch(
            f"/api/users/{rep}",
            json={"home": home, "work_start": "09:30", "work_end": "16:00"},
            headers=headers,
        )
        assert r.status_code == 200, r.text
    r = await client.post("/api/routes/plan-team", json={"week": "next"}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_team_week_starts_at_home_in_hours_and_stays_a_draft(client: AsyncClient) -> None:
    w = await make_world_fast()
    t1 = set(map(str, await _customers(w.t1, 8, seed=2)))
    t2 = set(map(str, await _customers(w.t2, 8, seed=3)))
    body = await _team_week(client, w, w.headers["manager"])
    week = [(NEXT_MONDAY + timedelta(days=i)).isoformat() for i in range(7)]
    assert sorted({r["day"] for r in body["routes"]}) == week
    assert {r["rep_id"] for r in body["routes"]} == {str(w.rep1), str(w.rep2)}
    planned: dict[str, set[str]] = {}
    for route in body["routes"]:
        home = HOME1 if route["rep_id"] == str(w.rep1) else HOME2
        assert route["stats"]["start"] == home and route["stats"]["end"] == home
        for s in route["stops"]:
            assert "09:30" <= _local(s["planned_arrival"]).strftime("%H:%M")
            assert _local(s["planned_departure"]).strftime("%H:%M") <= "16:00"
        planned.setdefault(route["rep_id"], set()).update(s["customer_id"] for s in route["stops"])
    assert planned[str(w.rep1)] == t1 and planned[str(w.rep2)] == t2
    # A draft: the rep sees nothing, neither on REST nor on their device, until it is published.
    assert (await client.get("/api/routes", headers=w.headers["rep1"])).json() == []
    assert (await client.get("/api/routes", headers=w.headers["manager"])).json() == []
    device = Device(client, w.headers["rep1"])
    await device.sync()
    assert not device.ids("routes")
    q = f"/api/routes/drafts?from={week[0]}&to={week[-1]}"
    drafts = (await client.get(q, headers=w.headers["manager"])).json()
    assert len(drafts["routes"]) == 14 and drafts["unassigned"] == []
    backwards = f"/api/routes/drafts?from={week[-1]}&to={week[0]}"
    r = await client.get(backwards, headers=w.headers["manager"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to"
    # Another region's manager: no such reps.
    r = await client.post(
        "/api/routes/plan-team",
        json={"rep_ids": [str(w.rep1)], "week": "next"},
        headers=w.headers["other_manager"],
    )
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "rep_ids[0]"
    r = await client.get(q, headers=w.headers["other_manager"])
    assert r.status_code == 200  # their region has no reps: nothing of this region shows
    assert r.json()["routes"] == [] and r.json()["unassigned"] == []
    for role in ("rep1", "distributor_user"):
        r = await client.post(
            "/api/routes/plan-team", json={"week": "next"}, headers=w.headers[role]
        )
        assert r.status_code == 403


async def test_move_lock_resolve_and_publish_reach_the_reps_device(client: AsyncClient) -> None:
    w = await make_world_fast()
    await _customers(w.t1, 6, seed=4)
    await _customers(w.t2, 6, seed=5)
    body = await _team_week(client, w, w.headers["manager"])
    days = sorted({r["day"] for r in body["routes"]})
    source = next(r for r in body["routes"] if r["rep_id"] == str(w.rep1) and len(r["stops"]) > 1)
    moved, kept = source["stops"][0]["customer_id"], source["stops"][1]["customer_id"]
    wednesday = (NEXT_MONDAY + timedelta(days=2)).isoformat()
    target = {"customer_id": moved, "to_rep_id": str(w.rep2), "to_day": wednesday}
    # Another region's manager cannot touch the draft.
    r = await client.post(
        f"/api/routes/drafts/{source['id']}/move", json=target, headers=w.headers["other_manager"]
    )
    assert r.status_code == 404
    r = await client.post(
        f"/api/routes/drafts/{source['id']}/move",
        json={**target, "to_day": (date.today() - timedelta(days=1)).isoformat()},
        headers=w.headers["manager"],
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to_day"
    r = await client.post(
        f"/api/routes/drafts/{source['id']}/move", json=target, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    on = {(x["rep_id"], x["day"]): x for x in r.json()["routes"]}
    landed = on[(str(w.rep2), wednesday)]["stops"]
    assert any(s["customer_id"] == moved and s["locked"] for s in landed)
    assert all(s["customer_id"] != moved for s in on[(str(w.rep1), source["day"])]["stops"])
    r = await client.post(
        f"/api/routes/drafts/{source['id']}/lock",
        json={"customer_id": kept},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    assert next(s for s in r.json()["stops"] if s["customer_id"] == kept)["locked"] is True

    scope = {"days": days}
    r = await client.post("/api/routes/drafts/resolve", json=scope, headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    where = {
        s["customer_id"]: (x["rep_id"], x["day"], s["locked"])
        for x in r.json()["routes"]
        for s in x["stops"]
    }
    assert where[moved] == (str(w.rep2), wednesday, True)
    assert where[kept] == (str(w.rep1), source["day"], True)
    assert len(where) == 12 and r.json()["unassigned"] == []
    # Re-solved ETAs are fresh for the moved stop (in rep2's hours, from rep2's home).
    stop = next(
        s
        for x in r.json()["routes"]
        if (x["rep_id"], x["day"]) == (str(w.rep2), wednesday)
        for s in x["stops"]
        if s["customer_id"] == moved
    )
    assert _local(stop["planned_arrival"]).date().isoformat() == wednesday

    assert (await client.get("/api/routes", headers=w.headers["rep1"])).json() == []
    drafts_before = r.json()["routes"]
    r = await client.post(
        "/api/routes/drafts/publish", json=scope, headers=w.headers["other_manager"]
    )
    assert r.status_code == 422  # not their region's reps (none there)
    r = await client.post("/api/routes/drafts/publish", json=scope, headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    # Days with stops only: an empty day (the weekend) puts no empty route on a phone.
    with_stops = {(x["rep_id"], x["day"]) for x in drafts_before if x["stops"]}
    assert 0 < len(with_stops) < 14
    assert r.json()["published"] == len(with_stops)
    assert all(x["stops"] for x in r.json()["routes"])
    mine = (await client.get("/api/routes", headers=w.headers["rep2"])).json()
    wed = next(x for x in mine if x["day"] == wednesday)
    assert moved in [s["customer_id"] for s in wed["stops"]]
    device = Device(client, w.headers["rep2"])
    await device.sync()
    assert device.ids("routes") == {x["id"] for x in mine}
    assert not (
        await client.get(
            f"/api/routes/drafts?from={days[0]}&to={days[-1]}", headers=w.headers["manager"]
        )
    ).json()["routes"]
    # Publishing again: nothing left to publish.
    r = await client.post("/api/routes/drafts/publish", json=scope, headers=w.headers["manager"])
    assert r.status_code == 404


async def test_plan_this_week_on_thursday_evening_skips_the_days_over(
    client: AsyncClient, monkeypatch
) -> None:
    """The reported bug: Thursday 19:00, "plan this week" filled Wednesday and timed Thursday's
    stops in the morning. Now: Thursday to Sunday, nothing left on Thursday, Friday from 09:00."""
    from geo import route_planning

    thursday_19 = datetime(2030, 1, 3, 19, 0, tzinfo=TALLINN)  # a Thursday
    monkeypatch.setattr(route_planning, "now_utc", lambda: thursday_19)
    w = await make_world_fast()
    mine = set(map(str, await _customers(w.t1, 5, seed=6)))
    r = await client.patch(
        f"/api/users/{w.rep1}",
        json={"home": HOME1, "work_start": "09:00", "work_end": "17:00"},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200
    r = await client.post("/api/routes/plan", json={"week": "this"}, headers=w.headers["rep1"])
    assert r.status_code == 200, r.text
    routes = {x["day"]: x for x in r.json()["routes"]}
    assert sorted(routes) == ["2030-01-03", "2030-01-04", "2030-01-05", "2030-01-06"]
    assert routes["2030-01-03"]["stops"] == []  # the working day is over
    friday = routes["2030-01-04"]["stops"]
    assert {s["customer_id"] for s in friday} == mine
    assert min(_local(s["planned_arrival"]) for s in friday) >= datetime(
        2030, 1, 4, 9, 0, tzinfo=TALLINN
    )
    # Wednesday is over: asked for explicitly, it is refused by name.
    r = await client.post(
        "/api/routes/plan", json={"days": ["2030-01-02"]}, headers=w.headers["rep1"]
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "days"


async def test_the_drafts_of_a_region_without_reps_are_an_empty_plan(client: AsyncClient) -> None:
    w = await make_world_fast()
    monday = NEXT_MONDAY.isoformat()
    url = f"/api/routes/drafts?from={monday}&to={monday}"
    # other_manager's region has a territory and a customer but no rep.
    r = await client.get(url, headers=w.headers["other_manager"])
    assert r.status_code == 200, r.text
    assert r.json() == {"routes": [], "unassigned": [], "published": 0}
    r = await client.get(f"{url}&region_id={w.other_region}", headers=w.headers["admin"])
    assert r.status_code == 200 and r.json()["routes"] == []
    # Publishing there still says there is no one to publish for.
    r = await client.post(
        "/api/routes/drafts/publish", json={"days": [monday]}, headers=w.headers["other_manager"]
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "region_id"


async def _planned_visits() -> dict[str, dict]:
    from backend.visits.tables import Visit

    rows = await Visit.select().where((Visit.status == "planned") & Visit.deleted_at.is_null())
    return {str(r["id"]): r for r in rows}


def _stops_match_visits(routes: list[dict], visits: dict[str, dict]) -> None:
    """Every stop has its own planned visit, of the route's rep, at the stop's time."""
    stops = [(r, s) for r in routes for s in r["stops"]]
    assert len({s["visit_id"] for _, s in stops}) == len(stops) == len(visits)
    for route, s in stops:
        v = visits[s["visit_id"]]
        assert (str(v["rep"]), str(v["customer"])) == (route["rep_id"], s["customer_id"])
        start = datetime.fromisoformat(s["planned_start"])
        assert v["planned_start"].astimezone(TALLINN) == start.astimezone(TALLINN)
        minutes = (datetime.fromisoformat(s["planned_departure"]) - start).total_seconds() / 60
        assert v["planned_duration_min"] == max(1, round(minutes))


async def test_a_published_plan_gives_each_stop_one_planned_visit_never_two(
    client: AsyncClient,
) -> None:
    w = await make_world_fast()
    await _customers(w.t1, 5, seed=6)
    await _customers(w.t2, 5, seed=7)
    body = await _team_week(client, w, w.headers["manager"])
    week = {"days": sorted({r["day"] for r in body["routes"]})}
    # Meanwhile rep1 plans and accepts their own Monday: those visits are the plan's too.
    own = await client.post(
        "/api/routes/plan", json={"days": [NEXT_MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    assert own.status_code == 200, own.text
    own_route = own.json()["routes"][0]
    assert own_route["stops"]
    ok = await client.post(f"/api/routes/{own_route['id']}/accept", headers=w.headers["rep1"])
    assert ok.status_code == 200, ok.text
    accepted = {s["visit_id"] for s in ok.json()["stops"]}

    r = await client.post("/api/routes/drafts/publish", json=week, headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    published = r.json()["routes"]
    visits = await _planned_visits()
    _stops_match_visits(published, visits)
    assert len(visits) == 10 and accepted <= set(visits)
    # The reps read them: their own visits list and the route on their device.
    mine = (await client.get("/api/visits?status=planned", headers=w.headers["rep2"])).json()
    rep2_stops = {
        s["visit_id"] for x in published if x["rep_id"] == str(w.rep2) for s in x["stops"]
    }
    assert {v["id"] for v in mine["items"]} == rep2_stops

    # A new team plan of the same week, a stop moved to the other rep, published again:
    # the same visits, moved with their stops, none added.
    again = await _team_week(client, w, w.headers["manager"])
    source = next(x for x in again["routes"] if x["rep_id"] == str(w.rep1) and x["stops"])
    moved = source["stops"][0]
    assert moved["visit_id"] in visits  # the draft already names the planned visit
    friday = (NEXT_MONDAY + timedelta(days=4)).isoformat()
    target = {"customer_id": moved["customer_id"], "to_rep_id": str(w.rep2), "to_day": friday}
    r = await client.post(
        f"/api/routes/drafts/{source['id']}/move", json=target, headers=w.headers["manager"]
    )
    assert r.status_code == 200, r.text
    r = await client.post("/api/routes/drafts/resolve", json=week, headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    r = await client.post("/api/routes/drafts/publish", json=week, headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    republished = r.json()["routes"]
    after = await _planned_visits()
    assert set(after) == set(visits)
    _stops_match_visits(republished, after)
    assert str(after[moved["visit_id"]]["rep"]) == str(w.rep2)
    assert (
        after[moved["visit_id"]]["planned_start"].astimezone(TALLINN).date().isoformat() == friday
    )


async def test_a_visit_booked_earlier_today_and_not_done_says_its_time_has_passed(
    client: AsyncClient, monkeypatch
) -> None:
    """Planning the rest of today: a visit booked for this morning is listed as passed, not as
    "outside the rep's hours"; one booked for this afternoon keeps its time."""
    from geo import route_planning

    wednesday_15 = datetime(2030, 1, 2, 15, 0, tzinfo=TALLINN)
    monkeypatch.setattr(route_planning, "now_utc", lambda: wednesday_15)
    w = await make_world_fast()
    morning, afternoon = await _customers(w.t1, 2, seed=12)
    for shop, hour in ((morning, 10), (afternoon, 16)):
        r = await client.post(
            "/api/visits",
            json={
                "customer_id": str(shop),
                "planned_start": datetime(2030, 1, 2, hour, 0, tzinfo=TALLINN).isoformat(),
            },
            headers=w.headers["rep1"],
        )
        assert r.status_code == 201, r.text
    r = await client.post(
        "/api/routes/plan",
        json={"days": ["2030-01-02"], "customer_ids": [str(morning), str(afternoon)]},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    (route,) = r.json()["routes"]
    assert [s["customer_id"] for s in route["stops"]] == [str(afternoon)]
    start = _local(route["stops"][0]["planned_start"])
    assert abs((start - datetime(2030, 1, 2, 16, 0, tzinfo=TALLINN)).total_seconds()) <= 1800
    left = {u["customer_id"]: u["reason"] for u in r.json()["unassigned"]}
    assert left == {str(morning): "appointment_passed"}
