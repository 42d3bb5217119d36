"""Day planning through the portfolio: the rep's start, hours and lunch kept, the solver named."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from httpx import AsyncClient

from backend.accounts.tables import User
from tests.factories import make_customer, make_world_fast

# Plans refuse days already over: the coming Monday, whatever day the tests run.
MONDAY = date.today() + timedelta(days=7 - date.today().weekday())
HOME = {"lat": 59.43, "lng": 24.70}
HOURS = {d: [["08:00", "19:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
TZ = ZoneInfo("Europe/Tallinn")


def local(iso: str) -> time:
    return datetime.fromisoformat(iso).astimezone(TZ).time()


async def test_a_budgeted_day_plan_keeps_the_reps_home_hours_and_lunch(
    client: AsyncClient,
) -> None:
    w = await make_world_fast()
    settings = {"start": HOME, "work_start": "09:00", "work_end": "16:00",
                "break_from": "12:00", "break_until": "13:30", "break_min": 45}  # fmt: skip
    await User.update({User.preferences: {"route": settings}}).where(User.id == w.rep1)
    rnd = random.Random(8)
    for _ in range(14):
        await make_customer(
            territory=w.t1,
            lat=59.437 + rnd.uniform(-0.03, 0.03),
            lng=24.7536 + rnd.uniform(-0.06, 0.06),
            opening_hours=HOURS,
            visit_frequency_days=14,
            visit_duration_min=25,
        )
    r = await client.post(
        "/api/routes/plan",
        json={"days": [MONDAY.isoformat()], "time_budget_s": 1.0},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stats"]["engines"] == ["vroom"]  # a lunch break: the portfolio picks VROOM
    assert "breaks" in body["stats"]["engine_reason"]
    route = body["routes"][0]
    stats = route["stats"]
    assert stats["start"] == HOME and stats["engines"] == ["vroom"]
    assert local(stats["start_at"]) >= time(9) and local(stats["end_at"]) <= time(16)
    [lunch] = stats["breaks"]
    assert time(12) <= local(lunch["start"]) and local(lunch["end"]) <= time(13, 30)
    assert (
        datetime.fromisoformat(lunch["end"]) - datetime.fromisoformat(lunch["start"])
    ).seconds >= 45 * 60
    for s in route["stops"]:
        start, end = (
            datetime.fromisoformat(s["planned_start"]),
            datetime.fromisoformat(s["planned_departure"]),
        )
        assert end <= datetime.fromisoformat(lunch["start"]) or start >= datetime.fromisoformat(
            lunch["end"]
        )
    assert len(route["stops"]) + len(body["unassigned"]) == 14


async def test_without_a_break_the_day_goes_to_pyvrp_in_the_reps_hours(
    client: AsyncClient,
) -> None:
    w = await make_world_fast()
    settings = {"start": HOME, "work_start": "10:00", "work_end": "15:00", "break_from": None}
    await User.update({User.preferences: {"route": settings}}).where(User.id == w.rep1)
    rnd = random.Random(9)
    for _ in range(12):
        await make_customer(
            territory=w.t1,
            lat=59.437 + rnd.uniform(-0.03, 0.03),
            lng=24.7536 + rnd.uniform(-0.06, 0.06),
            opening_hours=HOURS,
            visit_frequency_days=14,
            visit_duration_min=20,
        )
    r = await client.post(
        "/api/routes/plan",
        json={"days": [MONDAY.isoformat()], "time_budget_s": 1.0},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stats"]["engines"] == ["pyvrp"]
    stats = body["routes"][0]["stats"]
    assert local(stats["start_at"]) >= time(10) and local(stats["end_at"]) <= time(15)
    assert stats["breaks"] == [] and stats["start"] == HOME
    assert len(body["routes"][0]["stops"]) + len(body["unassigned"]) == 12


async def test_a_bad_budget_is_refused_naming_the_field(client: AsyncClient) -> None:
    w = await make_world_fast()
    r = await client.post(
        "/api/routes/plan",
        json={"days": [MONDAY.isoformat()], "time_budget_s": 0},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["time_budget_s"]
