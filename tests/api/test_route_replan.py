"""Re-plan through HTTP: late in the day with one stop done, nothing is hidden or moved back."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from httpx import AsyncClient

from backend.accounts.tables import User
from tests.factories import make_customer, make_world_fast

# The coming Monday: plans refuse days already over (geo/week_window.py).
MONDAY = date.today() + timedelta(days=7 - date.today().weekday())
TALLINN = ZoneInfo("Europe/Tallinn")
OFFICE = {"lat": 59.437, "lng": 24.7536}
HOURS = {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


async def _eight_stops(client: AsyncClient) -> tuple[object, dict]:
    w = await make_world_fast()
    await User.update({User.preferences: {"route": {"start": OFFICE}}}).where(User.id == w.rep1)
    rnd = random.Random(7)
    for _ in range(8):
        await make_customer(
            territory=w.t1,
            lat=59.437 + rnd.uniform(-0.03, 0.03),
            lng=24.7536 + rnd.uniform(-0.06, 0.06),
            opening_hours=HOURS,
            visit_frequency_days=14,
            visit_duration_min=30,
        )
    r = await client.post(
        "/api/routes/plan", json={"days": [MONDAY.isoformat()]}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200, r.text
    route = r.json()["routes"][0]
    assert len(route["stops"]) == 8
    return w, route


def _at(hh: int, mm: int) -> str:
    return datetime(MONDAY.year, MONDAY.month, MONDAY.day, hh, mm, tzinfo=TALLINN).isoformat()


async def test_late_replan_lists_every_stop_and_keeps_the_done_one(client: AsyncClient) -> None:
    w, route = await _eight_stops(client)
    first = route["stops"][0]
    r = await client.post(
        f"/api/routes/{route['id']}/replan",
        json={"position": OFFICE, "at": _at(16, 20), "done": [first["customer_id"]]},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    fresh = r.json()
    stops, left = fresh["stops"], fresh["stats"]["left_out"]
    # The done stop keeps its place and its times: never re-scheduled.
    assert fresh["stops"][0]["customer_id"] == first["customer_id"]
    assert fresh["stops"][0]["status"] == "done"
    assert fresh["stops"][0]["planned_start"] == first["planned_start"]
    assert [s["customer_id"] for s in stops].count(first["customer_id"]) == 1
    # Late in the day most stops cannot fit; each is listed with its reason, none is hidden.
    assert len(left) >= 5
    every = {s["customer_id"] for s in stops} | {u["customer_id"] for u in left}
    assert every == {s["customer_id"] for s in route["stops"]}
    assert not {s["customer_id"] for s in stops} & {u["customer_id"] for u in left}
    assert all(u["reason"] and u["name"].startswith("Customer") for u in left)
    assert all(u["lat"] is not None for u in left)
    assert fresh["stats"]["unassigned"] == len(left)
    # Whatever was planned ends by the rep's work end (17:00).
    for s in stops[1:]:
        assert datetime.fromisoformat(s["planned_departure"]).astimezone(TALLINN).hour < 17
    # A second read (the sync shape) carries the same list.
    again = await client.get(f"/api/routes/{route['id']}", headers=w.headers["rep1"])
    assert again.json()["stats"]["left_out"] == left


async def test_checked_in_stop_stays_next_and_the_rest_starts_after_it(
    client: AsyncClient,
) -> None:
    w, route = await _eight_stops(client)
    done, here = route["stops"][0], route["stops"][3]
    r = await client.post(
        f"/api/routes/{route['id']}/replan",
        json={
            "position": {"lat": here["lat"], "lng": here["lng"]},
            "at": _at(11, 0),
            "done": [done["customer_id"]],
            "checked_in": [here["customer_id"]],
        },
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    stops = r.json()["stops"]
    assert [s["status"] for s in stops[:2]] == ["done", "checked_in"]
    assert [s["customer_id"] for s in stops[:2]] == [done["customer_id"], here["customer_id"]]
    assert stops[1]["planned_start"] == here["planned_start"]
    ends = datetime.fromisoformat(_at(11, 30))  # 30 minutes of visit still running
    assert all(datetime.fromisoformat(s["planned_arrival"]) >= ends for s in stops[2:])
    assert len(stops) + len(r.json()["stats"]["left_out"]) == 8


async def test_a_bad_checked_in_id_is_refused_by_field_and_changes_nothing(
    client: AsyncClient,
) -> None:
    w, route = await _eight_stops(client)
    r = await client.post(
        f"/api/routes/{route['id']}/replan",
        json={"position": OFFICE, "at": _at(10, 0), "checked_in": ["not-a-uuid"]},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 422
    assert "checked_in" in r.text
    still = await client.get(f"/api/routes/{route['id']}", headers=w.headers["rep1"])
    assert still.json()["version"] == route["version"]
    assert UUID(still.json()["id"])


async def test_device_order_keeps_left_out_stops_listed_and_done_ones_untimed(
    client: AsyncClient,
) -> None:
    w, route = await _eight_stops(client)
    ids = [s["customer_id"] for s in route["stops"]]
    done, rest = ids[0], ids[1:]
    body = {
        "customer_ids": [done, *reversed(rest)],
        "base_version": route["version"],
        "left_out": [{"customer_id": c, "reason": "after_work_end"} for c in rest[:5]],
        "done": [done],
    }
    r = await client.put(f"/api/routes/{route['id']}/order", json=body, headers=w.headers["rep1"])
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert [s["customer_id"] for s in fresh["stops"]] == [done, *reversed(rest[5:])]
    assert fresh["stops"][0]["status"] == "done"
    assert fresh["stops"][0]["planned_start"] == route["stops"][0]["planned_start"]
    left = fresh["stats"]["left_out"]
    assert [u["customer_id"] for u in left] == rest[:5]
    assert {u["reason"] for u in left} == {"after_work_end"}
    assert all(u["name"].startswith("Customer") and u["lat"] is not None for u in left)


async def test_device_order_refuses_leaving_out_a_stop_not_on_the_route(
    client: AsyncClient,
) -> None:
    w, route = await _eight_stops(client)
    ids = [s["customer_id"] for s in route["stops"]]
    stranger = "00000000-0000-0000-0000-000000000001"
    r = await client.put(
        f"/api/routes/{route['id']}/order",
        json={
            "customer_ids": ids,
            "base_version": route["version"],
            "left_out": [{"customer_id": stranger, "reason": "after_work_end"}],
        },
        headers=w.headers["rep1"],
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "left_out"
    still = await client.get(f"/api/routes/{route['id']}", headers=w.headers["rep1"])
    assert still.json()["version"] == route["version"]
