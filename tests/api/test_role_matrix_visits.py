"""Who may read and change visits; everything refused leaves the data as it was."""

from __future__ import annotations

from backend.history.tables import HistoryEvent
from backend.visits.tables import Visit
from sync.tables import SyncChange
from tests.factories import email_of, login, make_user, make_world

READERS = {"admin", "manager", "other_manager", "rep1", "rep2"}
ALL = ("admin", "manager", "other_manager", "rep1", "rep2", "distributor_user", "customer_user")


async def _snapshot() -> tuple:
    visits = await Visit.select(
        Visit.id, Visit.status, Visit.version, Visit.rep, Visit.deleted_at
    ).order_by(Visit.id)
    return (visits, await HistoryEvent.count(), await SyncChange.count())


async def _setup(client):
    w = await make_world(client)
    other_rep = await make_user("rep", region=w.other_region, territories=[w.t_other])
    w.headers["other_rep"] = await login(client, await email_of(other_rep))

    async def plan(who, customer, **extra):
        r = await client.post(
            "/api/visits", json={"customer_id": str(customer), **extra}, headers=w.headers[who]
        )
        assert r.status_code == 201, r.text
        return r.json()["id"]

    visits = {
        "v1": await plan("rep1", w.c1),
        "v2": await plan("rep2", w.c2),
        "v_other": await plan("other_rep", w.c_other),
    }
    return w, other_rep, visits


async def test_reads_by_role(client):
    w, _, v = await _setup(client)
    expected_lists = {
        "admin": {"v1", "v2", "v_other"},
        "manager": {"v1", "v2"},
        "other_manager": {"v_other"},
        "rep1": {"v1"},
        "rep2": {"v2"},
    }
    for role in ALL:
        r = await client.get("/api/visits", headers=w.headers[role])
        if role not in READERS:
            assert r.status_code == 403, role
            continue
        got = {k for k, vid in v.items() if vid in {x["id"] for x in r.json()["items"]}}
        assert got == expected_lists[role], role
        for key, vid in v.items():
            r = await client.get(f"/api/visits/{vid}", headers=w.headers[role])
            assert r.status_code == (200 if key in expected_lists[role] else 404), (role, key)
    for role in ("distributor_user", "customer_user"):
        r = await client.get(f"/api/visits/{v['v1']}", headers=w.headers[role])
        assert r.status_code == 403, role


async def test_planning_by_role(client):
    w, other_rep, _ = await _setup(client)
    before = await _snapshot()
    refused = [
        ("rep2", {"customer_id": str(w.c1)}, 404),  # not their territory
        ("rep1", {"customer_id": str(w.c1), "rep_id": str(w.rep2)}, 403),  # not themselves
        ("other_manager", {"customer_id": str(w.c1), "rep_id": str(w.rep1)}, 404),
        ("manager", {"customer_id": str(w.c1), "rep_id": str(other_rep)}, 422),
        ("manager", {"customer_id": str(w.c1), "rep_id": str(w.manager)}, 422),
        ("manager", {"customer_id": str(w.c1)}, 422),  # which rep?
        ("distributor_user", {"customer_id": str(w.c1)}, 403),
        ("customer_user", {"customer_id": str(w.c1)}, 403),
    ]
    for role, body, status in refused:
        r = await client.post("/api/visits", json=body, headers=w.headers[role])
        assert r.status_code == status, (role, body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert await _snapshot() == before
    allowed = [
        ("rep1", {"customer_id": str(w.c1)}),
        ("manager", {"customer_id": str(w.c2), "rep_id": str(w.rep2)}),
        ("admin", {"customer_id": str(w.c_other), "rep_id": str(other_rep)}),
    ]
    for role, body in allowed:
        r = await client.post("/api/visits", json=body, headers=w.headers[role])
        assert r.status_code == 201, (role, r.text)


async def test_changes_by_role_and_nothing_changed_when_refused(client):
    w, _, v = await _setup(client)
    before = await _snapshot()
    steps = [
        ("post", "check-in", {}),
        ("post", "check-out", {"outcome": "ordered"}),
        ("post", "skip", {"reason": "x"}),
        ("post", "cancel", {"reason": "x"}),
        ("patch", "", {"notes": "hijack"}),
        ("delete", "", None),
    ]
    refused = {
        "rep2": 404,
        "other_manager": 404,
        "other_rep": 404,
        "distributor_user": 403,
        "customer_user": 403,
    }
    for role, status in refused.items():
        for method, step, body in steps:
            url = f"/api/visits/{v['v1']}" + (f"/{step}" if step else "")
            kwargs = {"json": body} if body is not None else {}
            r = await client.request(method.upper(), url, headers=w.headers[role], **kwargs)
            assert r.status_code == status, (role, step, r.text)
    assert await _snapshot() == before
    # The visit's rep, the region's manager and the admin may change it.
    r = await client.post(f"/api/visits/{v['v1']}/check-in", json={}, headers=w.headers["rep1"])
    assert r.status_code == 200
    r = await client.post(
        f"/api/visits/{v['v1']}/check-out", json={"outcome": "other"}, headers=w.headers["manager"]
    )
    assert r.status_code == 200 and r.json()["status"] == "done"
    r = await client.post(
        f"/api/visits/{v['v2']}/skip", json={"reason": "ill"}, headers=w.headers["admin"]
    )
    assert r.status_code == 200 and r.json()["status"] == "skipped"
