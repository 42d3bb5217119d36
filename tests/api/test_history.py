"""The customer history over HTTP: newest first, keyset pages, kinds, notes and who may read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from backend.history.tables import HistoryEvent
from tests.factories import change_rows, make_history_event, make_world_fast


async def test_pages_are_newest_first_without_gaps_or_repeats(client):
    w = await make_world_fast()
    base = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    made = []
    for i in range(17):
        # Pairs share a recorded_at: the id breaks the tie.
        at = base + timedelta(minutes=i // 2)
        made.append(
            (
                at,
                await make_history_event(
                    w.c1, "visit" if i % 3 else "order", actor=w.rep1, recorded_at=at
                ),
            )
        )
    expected = [str(e) for _, e in sorted(made, key=lambda t: (t[0], str(t[1])), reverse=True)]
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 4}
        if cursor:
            params["before"] = cursor
        r = await client.get(
            f"/api/customers/{w.c1}/history", params=params, headers=w.headers["rep1"]
        )
        assert r.status_code == 200, r.text
        seen += [e["id"] for e in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


async def test_kind_filter_actor_name_and_both_clocks(client):
    w = await make_world_fast()
    captured = datetime(2026, 4, 30, 18, 0, tzinfo=UTC)
    await make_history_event(w.c1, "visit", actor=w.rep1, summary="Visited", captured_at=captured)
    await make_history_event(w.c1, "order", actor=w.manager)
    await make_history_event(w.c1, "offer_sent")
    await make_history_event(w.c2, "visit")
    r = await client.get(
        f"/api/customers/{w.c1}/history",
        params=[("kind", "visit"), ("kind", "order")],
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert sorted(e["kind"] for e in items) == ["order", "visit"]
    visit = next(e for e in items if e["kind"] == "visit")
    assert visit["actor_id"] == str(w.rep1) and visit["actor_name"]
    assert datetime.fromisoformat(visit["captured_at"]) == captured
    assert datetime.fromisoformat(visit["recorded_at"]) > captured
    only = await client.get(
        f"/api/customers/{w.c1}/history", params={"kind": "offer_sent"}, headers=w.headers["admin"]
    )
    assert [e["kind"] for e in only.json()["items"]] == ["offer_sent"]
    assert only.json()["items"][0]["actor_name"] is None


async def test_a_rep_adds_a_note_captured_offline(client):
    w = await make_world_fast()
    captured = "2026-11-20T09:14:03+02:00"
    nid = str(uuid4())
    body = {
        "id": nid,
        "text": "Omanik tahab uut hinnakirja. Владелец просит прайс.",
        "captured_at": captured,
    }
    r = await client.post(f"/api/customers/{w.c1}/notes", json=body, headers=w.headers["rep1"])
    assert r.status_code == 201, r.text
    note = r.json()
    assert note["kind"] == "note" and note["id"] == nid
    assert datetime.fromisoformat(note["captured_at"]) == datetime.fromisoformat(captured)
    assert note["data"]["text"].startswith("Omanik")
    again = await client.post(f"/api/customers/{w.c1}/notes", json=body, headers=w.headers["rep1"])
    assert again.status_code == 201 and again.json() == note
    assert [c["op"] for c in await change_rows("history", nid)] == ["put"]
    page = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["manager"])
    assert page.json()["items"][0]["id"] == nid
    # Notes are internal: the distributor serving the customer reads its orders, not them.
    page = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["distributor_user"])
    assert page.status_code == 200 and nid not in [i["id"] for i in page.json()["items"]]


async def test_bad_notes_are_refused_and_nothing_stored(client):
    w = await make_world_fast()
    h = w.headers["rep1"]
    for body in (
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 5001},
        {"text": "hi", "captured_at": "2026-11-20T09:14:03"},
        {"text": "hi", "mood": "good"},
        {"text": 3},
    ):
        r = await client.post(f"/api/customers/{w.c1}/notes", json=body, headers=h)
        assert r.status_code == 422, (body, r.text)
    r = await client.get(f"/api/customers/{w.c1}/history", params={"before": "nonsense"}, headers=h)
    assert r.status_code == 422
    r = await client.get(f"/api/customers/{w.c1}/history", params={"kind": "DROP TABLE"}, headers=h)
    assert r.status_code == 422
    assert not await HistoryEvent.exists()
    assert await change_rows("history") == []


async def test_customers_read_only_their_order_events_and_others_stay_in_scope(client):
    w = await make_world_fast()
    await make_history_event(w.c1, "note", summary="internal: slow payer")
    await make_history_event(w.c1, "visit", summary="Visit by rep1")
    order = await make_history_event(w.c1, "order", summary="Order 01-1: 12.00 EUR")
    h = w.headers["customer_user"]
    r = await client.get(f"/api/customers/{w.c1}/history", headers=h)
    assert r.status_code == 200 and [i["id"] for i in r.json()["items"]] == [str(order)]
    r = await client.post(f"/api/customers/{w.c1}/notes", json={"text": "hi"}, headers=h)
    assert r.status_code == 403
    for role in ("rep2", "other_manager"):
        assert (
            await client.get(f"/api/customers/{w.c1}/history", headers=w.headers[role])
        ).status_code == 404
        r = await client.post(
            f"/api/customers/{w.c1}/notes", json={"text": "hi"}, headers=w.headers[role]
        )
        assert r.status_code == 404
    assert await HistoryEvent.count() == 3  # nothing added
    assert await change_rows("history") == []
