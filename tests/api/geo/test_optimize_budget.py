"""`POST /api/routes/optimize` with a time budget: VROOM's format in and out, either engine."""

from __future__ import annotations

import random
from typing import Any

import pytest
from httpx import AsyncClient

from tests.factories import make_world_fast

URL = "/api/routes/optimize"


def problem(n: int = 25, seed: int = 4) -> dict[str, Any]:
    """Two vehicles with hours and capacity, jobs with windows and amounts, our own matrix."""
    rnd = random.Random(seed)
    pts = [(rnd.uniform(0, 50), rnd.uniform(0, 50)) for _ in range(n + 1)]
    matrix = [[round(((a - c) ** 2 + (b - d) ** 2) ** 0.5 * 30) for c, d in pts] for a, b in pts]
    return {
        "vehicles": [
            {
                "id": v,
                "start_index": 0,
                "end_index": 0,
                "time_window": [0, 20_000],
                "capacity": [40],
            }
            for v in (1, 2)
        ],
        "jobs": [
            {
                "id": 100 + i,
                "location_index": i,
                "service": 300,
                "time_windows": [[w, w + 6000]],
                "delivery": [rnd.randint(1, 5)],
            }
            for i in range(1, n + 1)
            for w in [rnd.choice([0, 4000, 8000])]
        ],
        "matrices": {"car": {"durations": matrix}},
    }


def assert_keeps_windows_and_capacity(body: dict[str, Any], sent: dict[str, Any]) -> None:
    jobs = {j["id"]: j for j in sent["jobs"]}
    served = []
    for route in body["routes"]:
        load = 0
        for s in route["steps"]:
            if s["type"] == "job":
                lo, hi = jobs[s["id"]]["time_windows"][0]
                assert lo <= s["arrival"] + s["waiting_time"] <= hi
                load += jobs[s["id"]]["delivery"][0]
                served.append(s["id"])
        assert load <= 40 and route["steps"][-1]["arrival"] <= 20_000
    assert sorted(served + [u["id"] for u in body["unassigned"]]) == sorted(jobs)


@pytest.mark.parametrize("solver", ["vroom", "pyvrp"])
async def test_a_time_budget_on_either_engine_answers_in_vrooms_format(
    client: AsyncClient, solver: str
) -> None:
    w = await make_world_fast()
    sent = problem()
    sent["options"] = {"time_budget_s": 1.5, "engine": solver}
    r = await client.post(URL, json=sent, headers=w.headers["manager"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["code"] == 0 and body["summary"]["engine"] == solver
    named = "VROOM" if solver == "vroom" else "PyVRP"
    assert body["summary"]["engine_reason"] == f"asked for {named}"
    assert body["summary"]["routes"] == len(body["routes"]) and not body["unassigned"]
    assert body["summary"]["cost"] == sum(route["cost"] for route in body["routes"])
    assert_keeps_windows_and_capacity(body, sent)


async def test_auto_picks_by_budget_and_says_why(client: AsyncClient) -> None:
    w = await make_world_fast()
    sent = {**problem(), "options": {"time_budget_s": 0.05}}
    r = await client.post(URL, json=sent, headers=w.headers["rep1"])
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["engine"] == "vroom"
    assert "too short for a search" in r.json()["summary"]["engine_reason"]
    sent["options"] = {"time_budget_s": 2}
    r = await client.post(URL, json=sent, headers=w.headers["rep1"])
    assert r.json()["summary"]["engine"] == "pyvrp"
    assert_keeps_windows_and_capacity(r.json(), sent)
    skilled = problem()
    skilled["jobs"][0]["skills"] = [1]
    skilled["vehicles"][0]["skills"] = [1]
    skilled["options"] = {"time_budget_s": 2}
    r = await client.post(URL, json=skilled, headers=w.headers["rep1"])
    summary = r.json()["summary"]
    assert summary["engine"] == "vroom" and "skills" in summary["engine_reason"]
    served_by = {
        s["id"]: route["vehicle"]
        for route in r.json()["routes"]
        for s in route["steps"]
        if s["type"] == "job"
    }
    assert served_by[101] == 1


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"time_budget_s": 0}, "/options/time_budget_s"),
        ({"time_budget_s": -1}, "/options/time_budget_s"),
        ({"time_budget_s": 61}, "/options/time_budget_s"),
        ({"time_budget_s": "fast"}, "/options/time_budget_s"),
        ({"engine": "gurobi"}, "/options/engine"),
    ],
)
async def test_bad_budget_or_engine_is_a_422_naming_the_field(
    client: AsyncClient, options: dict[str, Any], field: str
) -> None:
    w = await make_world_fast()
    r = await client.post(URL, json={**problem(5), "options": options}, headers=w.headers["admin"])
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == field


async def test_pyvrp_is_refused_for_what_it_cannot_model(client: AsyncClient) -> None:
    w = await make_world_fast()
    sent = problem(5)
    sent["vehicles"][0]["skills"] = [1]
    sent["options"] = {"engine": "pyvrp"}
    r = await client.post(URL, json=sent, headers=w.headers["admin"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "/options/engine"
    assert "skills" in r.json()["detail"]


async def test_the_schema_documents_the_time_budget(client: AsyncClient) -> None:
    doc = (await client.get("/schema/openapi.json")).json()
    body = doc["paths"]["/api/routes/optimize"]["post"]["requestBody"]
    text = str(body)
    assert "time_budget_s" in text and "pyvrp" in text
