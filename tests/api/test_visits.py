"""Visits over HTTP: planning, the check-in radius, the status machine, history, last visit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from backend.customers.tables import Customer
from backend.history.tables import HistoryEvent
from backend.visits.tables import Visit
from sync.tables import SyncChange
from tests.factories import make_customer, make_world

PIN = (59.437, 24.7536)  # the factories' default customer pin, Tallinn town hall square
# About 100 m and about 400 m north of the pin (1° latitude ≈ 111.2 km).
NEAR = (PIN[0] + 0.0009, PIN[1])
FAR = (PIN[0] + 0.0036, PIN[1])


async def _plan(client, w, customer=None, headers=None, **extra):
    body = {"customer_id": str(customer or w.c1), **extra}
    r = await client.post("/api/visits", json=body, headers=headers or w.headers["rep1"])
    assert r.status_code == 201, r.text
    return r.json()


async def _check_in(client, w, visit_id, lat=None, lng=None, accuracy=None, who="rep1", **extra):
    body = {"lat": lat, "lng": lng, "accuracy_m": accuracy, **extra}
    return await client.post(f"/api/visits/{visit_id}/check-in", json=body, headers=w.headers[who])


async def test_rep_plans_own_visit_and_it_is_listed(client):
    w = await make_world(client)
    start = "2026-11-24T08:00:00+02:00"
    v = await _plan(client, w, planned_start=start, notes="bring samples")
    assert v["status"] == "planned" and v["rep_id"] == str(w.rep1)
    assert datetime.fromisoformat(v["planned_start"]) == datetime.fromisoformat(start)
    r = await client.get("/api/visits", headers=w.headers["rep1"])
    assert [x["id"] for x in r.json()["items"]] == [v["id"]]
    # The other rep of the region does not see it; the manager does.
    r = await client.get("/api/visits", headers=w.headers["rep2"])
    assert r.json()["items"] == []
    r = await client.get(f"/api/visits/{v['id']}", headers=w.headers["manager"])
    assert r.status_code == 200 and r.json()["notes"] == "bring samples"


async def test_device_id_is_kept_and_a_retry_is_idempotent(client):
    w = await make_world(client)
    vid = str(uuid4())
    first = await _plan(client, w, id=vid)
    r = await client.post(
        "/api/visits", json={"id": vid, "customer_id": str(w.c1)}, headers=w.headers["rep1"]
    )
    assert r.status_code == 201 and r.json()["id"] == vid == first["id"]
    assert await Visit.count().where(Visit.id == vid) == 1
    # The same id for another customer is a conflict, nothing stored.
    r = await client.post(
        "/api/visits",
        headers=w.headers["manager"],
        json={"id": vid, "customer_id": str(w.c2), "rep_id": str(w.rep1)},
    )
    assert r.status_code == 409
    assert await Visit.count() == 1


async def test_check_in_within_radius_is_verified(client):
    w = await make_world(client)
    v = await _plan(client, w)
    r = await _check_in(client, w, v["id"], *NEAR, accuracy=20)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "checked_in"
    assert body["check_in_verification"] == "verified"
    assert 90 < body["check_in_distance_m"] < 110


async def test_check_in_too_far_or_poor_fix(client):
    w = await make_world(client)
    far = await _plan(client, w)
    body = (await _check_in(client, w, far["id"], *FAR, accuracy=20)).json()
    assert body["check_in_verification"] == "too_far" and body["check_in_distance_m"] > 350
    # A wide fix widens the radius ...
    wide = await _plan(client, w)
    body = (await _check_in(client, w, wide["id"], *FAR, accuracy=450)).json()
    assert body["check_in_verification"] == "verified"
    # ... but not beyond 500 m of inaccuracy.
    poor = await _plan(client, w)
    body = (await _check_in(client, w, poor["id"], *NEAR, accuracy=800)).json()
    assert body["check_in_verification"] == "too_far"


async def test_check_in_without_position_or_pin_is_no_fix(client):
    w = await make_world(client)
    v = await _plan(client, w)
    body = (await _check_in(client, w, v["id"])).json()
    assert body["status"] == "checked_in" and body["check_in_verification"] == "no_fix"
    assert body["check_in_distance_m"] is None
    unpinned = await make_customer(territory=w.t1, lat=None, lng=None)
    v2 = await _plan(client, w, customer=unpinned)
    body = (await _check_in(client, w, v2["id"], *NEAR, accuracy=10)).json()
    assert body["check_in_verification"] == "no_fix"


async def test_bad_positions_are_refused_and_nothing_changes(client):
    w = await make_world(client)
    v = await _plan(client, w)
    for body in (
        {"lat": 91, "lng": 24.0},
        {"lat": 59.4, "lng": 181},
        {"lat": 59.4},
        {"lat": "north", "lng": 24.0},
        {"lat": 59.4, "lng": 24.7, "accuracy_m": -1},
        {"lat": 59.4, "lng": 24.7, "altitude": 3},
        {"captured_at": "2026-11-24T08:00:00"},
        {"captured_at": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
    ):
        r = await client.post(
            f"/api/visits/{v['id']}/check-in", json=body, headers=w.headers["rep1"]
        )
        assert 400 <= r.status_code < 500 and r.status_code != 404, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    row = await Visit.select(Visit.status, Visit.version).where(Visit.id == v["id"]).first()
    assert row == {"status": "planned", "version": 1}


async def test_state_machine_refuses_invalid_steps(client):
    w = await make_world(client)
    v = await _plan(client, w)
    out = {"outcome": "ordered"}
    r = await client.post(f"/api/visits/{v['id']}/check-out", json=out, headers=w.headers["rep1"])
    assert r.status_code == 409 and r.json()["status_now"] == "planned"
    assert (await _check_in(client, w, v["id"])).status_code == 200
    assert (await _check_in(client, w, v["id"])).status_code == 409
    r = await client.post(
        f"/api/visits/{v['id']}/skip", json={"reason": "late"}, headers=w.headers["rep1"]
    )
    assert r.status_code == 409
    r = await client.post(f"/api/visits/{v['id']}/check-out", json=out, headers=w.headers["rep1"])
    assert r.status_code == 200 and r.json()["status"] == "done"
    r = await client.post(
        f"/api/visits/{v['id']}/cancel", json={"reason": "x"}, headers=w.headers["rep1"]
    )
    assert r.status_code == 409
    row = await Visit.select(Visit.status).where(Visit.id == v["id"]).first()
    assert row is not None and row["status"] == "done"


async def test_skip_and_cancel_keep_the_reason(client):
    w = await make_world(client)
    a, b = await _plan(client, w), await _plan(client, w)
    r = await client.post(
        f"/api/visits/{a['id']}/skip", json={"reason": "road closed"}, headers=w.headers["rep1"]
    )
    assert r.json()["status"] == "skipped" and "road closed" in r.json()["notes"]
    r = await client.post(
        f"/api/visits/{b['id']}/cancel", json={"reason": ""}, headers=w.headers["rep1"]
    )
    assert r.status_code == 422  # a reason is required
    r = await client.post(
        f"/api/visits/{b['id']}/cancel",
        json={"reason": "customer asked"},
        headers=w.headers["manager"],
    )
    assert r.json()["status"] == "cancelled"
    r = await client.get("/api/visits", params={"status": "skipped"}, headers=w.headers["rep1"])
    assert [x["id"] for x in r.json()["items"]] == [a["id"]]


async def test_full_visit_writes_history_with_device_times_and_last_visit(client):
    w = await make_world(client)
    v = await _plan(client, w)
    arrived = datetime.now(UTC) - timedelta(hours=3)  # captured offline, synced later
    left = arrived + timedelta(minutes=25)
    r = await _check_in(client, w, v["id"], *NEAR, accuracy=15, captured_at=arrived.isoformat())
    assert datetime.fromisoformat(r.json()["check_in_at"]) == arrived
    due = (left + timedelta(days=7)).isoformat()
    r = await client.post(
        f"/api/visits/{v['id']}/check-out",
        headers=w.headers["rep1"],
        json={
            "outcome": "no_order",
            "notes": "Владелец в отпуске",
            "next_action": "call Monday",
            "next_action_due": due,
            "lat": NEAR[0],
            "lng": NEAR[1],
            "accuracy_m": 12,
            "captured_at": left.isoformat(),
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["outcome"] == "no_order" and body["notes"] == "Владелец в отпуске"
    assert datetime.fromisoformat(body["next_action_due"]) == datetime.fromisoformat(due)
    events = (
        await HistoryEvent.select()
        .where((HistoryEvent.customer == w.c1) & (HistoryEvent.ref_id == v["id"]))
        .order_by(HistoryEvent.recorded_at)
        .output(load_json=True)
    )
    steps = [e["data"]["step"] for e in events]
    assert steps == ["planned", "check_in", "check_out"]
    assert all(e["kind"] == "visit" for e in events)
    assert events[1]["captured_at"] == arrived and events[2]["captured_at"] == left
    assert all(e["recorded_at"] > left for e in events[1:])
    # No exact position lands on the timeline.
    assert all("lat" not in e["data"] and "lng" not in e["data"] for e in events)
    cust = (
        await Customer.select(Customer.last_visit_at, Customer.version)
        .where(Customer.id == w.c1)
        .first()
    )
    assert cust is not None
    assert cust["last_visit_at"] == left and cust["version"] == 2
    changes = await SyncChange.select(SyncChange.collection).where(SyncChange.row_id == v["id"])
    assert len(changes) == 3 and {c["collection"] for c in changes} == {"visits"}


async def test_late_sync_does_not_move_last_visit_backwards(client):
    w = await make_world(client)
    now = datetime.now(UTC)
    for hours_ago in (1, 30):
        v = await _plan(client, w)
        when = now - timedelta(hours=hours_ago)
        await _check_in(client, w, v["id"], captured_at=when.isoformat())
        r = await client.post(
            f"/api/visits/{v['id']}/check-out",
            headers=w.headers["rep1"],
            json={"outcome": "ordered", "captured_at": (when + timedelta(minutes=5)).isoformat()},
        )
        assert r.status_code == 200
    cust = await Customer.select(Customer.last_visit_at).where(Customer.id == w.c1).first()
    assert cust is not None
    assert cust["last_visit_at"] == now - timedelta(hours=1) + timedelta(minutes=5)


async def test_list_filters_and_paging(client):
    w = await make_world(client)
    base = datetime(2026, 12, 1, 8, tzinfo=UTC)
    ids = []
    for day in range(5):
        v = await _plan(
            client,
            w,
            headers=w.headers["manager"],
            rep_id=str(w.rep1),
            planned_start=(base + timedelta(days=day)).isoformat(),
        )
        ids.append(v["id"])
    await _plan(client, w, customer=w.c2, headers=w.headers["rep2"], planned_start=base.isoformat())
    r = await client.get(
        "/api/visits",
        headers=w.headers["manager"],
        params={
            "rep_id": str(w.rep1),
            "date_from": (base + timedelta(days=1)).isoformat(),
            "date_to": (base + timedelta(days=4)).isoformat(),
        },
    )
    assert [x["id"] for x in r.json()["items"]] == ids[1:4]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "customer_id": str(w.c1)} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/visits", headers=w.headers["manager"], params=params)).json()
        seen += [x["id"] for x in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids
    r = await client.get(
        "/api/visits", headers=w.headers["manager"], params={"cursor": "@@nonsense"}
    )
    assert r.status_code == 422


async def test_reschedule_and_delete_only_while_planned(client):
    w = await make_world(client)
    v = await _plan(client, w)
    new_start = "2026-12-03T09:30:00+00:00"
    r = await client.patch(
        f"/api/visits/{v['id']}", json={"planned_start": new_start}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    r = await client.patch(
        f"/api/visits/{v['id']}", json={"rep_id": str(w.rep2)}, headers=w.headers["rep1"]
    )
    assert r.status_code == 403
    await _check_in(client, w, v["id"])
    assert (
        await client.delete(f"/api/visits/{v['id']}", headers=w.headers["rep1"])
    ).status_code == 409
    other = await _plan(client, w)
    assert (
        await client.delete(f"/api/visits/{other['id']}", headers=w.headers["rep1"])
    ).status_code == 204
    assert (
        await client.get(f"/api/visits/{other['id']}", headers=w.headers["rep1"])
    ).status_code == 404
    dels = await SyncChange.count().where(
        (SyncChange.row_id == other["id"]) & (SyncChange.op == "del")
    )
    assert dels == 1


async def test_a_check_out_without_notes_keeps_the_planning_notes(client):
    """A check-out sent without `notes` (the phone had nothing to add) leaves the visit's
    notes as planned; one with notes replaces them."""
    w = await make_world(client)
    for sent, kept in (({}, "bring samples"), ({"notes": "left samples"}, "left samples")):
        v = await _plan(client, w, notes="bring samples")
        r = await _check_in(client, w, v["id"], *NEAR, accuracy=15)
        assert r.status_code == 200, r.text
        r = await client.post(
            f"/api/visits/{v['id']}/check-out",
            json={"outcome": "no_order", **sent},
            headers=w.headers["rep1"],
        )
        assert r.status_code == 200, r.text
        assert r.json()["notes"] == kept
