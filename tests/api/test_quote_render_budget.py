"""Quote PDFs render off the request loop within a budget: a hostile quote gets a problem
answer, and other requests are answered while it renders."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from backend.quoting.tables import Quote
from backend.settings import get_settings
from tests.factories import make_catalogue, make_world_fast
from tests.integration.sync.device import Device

# Like the reproduction: rendering this takes minutes in reportlab (20,000 breaks).
HOSTILE_NOTES = "x\n" * 20_000


@pytest.fixture
def short_budget(monkeypatch):
    """A render budget of a few seconds, so the hostile render is cut short quickly."""
    monkeypatch.setattr(
        "backend.settings._current", dataclasses.replace(get_settings(), pdf_render_seconds=4)
    )


async def _draft(client, w, cat):
    body = {"customer_id": str(w.c1), "lines": [{"product_id": str(cat.p1), "quantity": "2"}]}
    r = await client.post("/api/quotes", json=body, headers=w.headers["rep1"])
    assert r.status_code == 201, r.text
    return r.json()


async def _stored_hostile(client, w, cat):
    """A quote whose notes predate the bounds: stored as they are, straight in the table."""
    q = await _draft(client, w, cat)
    await Quote.update({Quote.notes: HOSTILE_NOTES}).where(Quote.id == q["id"])
    return q


async def _while(client, slow):
    """Run `slow` and poll /api/health meanwhile; the health answers that came back first."""
    task = asyncio.create_task(slow)
    answered_during = 0
    while not task.done():
        r = await client.get("/api/health")
        assert r.status_code == 200
        if not task.done():
            answered_during += 1
        await asyncio.sleep(0.05)
    return await task, answered_during


async def test_a_hostile_pdf_gets_a_problem_and_health_stays_answered(
    client, short_budget, monkeypatch
):
    w, cat = await _world(client)
    q = await _stored_hostile(client, w, cat)
    r, answered = await _while(
        client, client.get(f"/api/quotes/{q['id']}/pdf", headers=w.headers["rep1"])
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/pdf-budget-exceeded")
    # Health was answered again and again while the render ran (it used to wait it out).
    assert answered >= 5
    # The pool is made anew (its start counts in the budget: the default one is restored):
    # an ordinary quote prints right after.
    monkeypatch.setattr(
        "backend.settings._current", dataclasses.replace(get_settings(), pdf_render_seconds=60)
    )
    ok = await _draft(client, w, cat)
    r = await client.get(f"/api/quotes/{ok['id']}/pdf", headers=w.headers["rep1"])
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


async def test_a_device_hash_on_a_hostile_quote_is_refused_and_changes_nothing(
    client, short_budget
):
    w, cat = await _world(client)
    q = await _stored_hostile(client, w, cat)
    r, answered = await _while(
        client,
        client.post(
            f"/api/quotes/{q['id']}/status",
            json={"status": "sent", "device_pdf_sha256": "0" * 64},
            headers=w.headers["rep1"],
        ),
    )
    assert r.status_code == 422 and r.json()["type"].endswith("/pdf-budget-exceeded")
    assert answered >= 5
    row = await Quote.select(Quote.status, Quote.version).where(Quote.id == q["id"]).first()
    assert row == {"status": "draft", "version": q["version"]}


async def test_sync_push_with_a_device_hash_is_rejected_within_budget(client, short_budget):
    w, cat = await _world(client)
    q = await _stored_hostile(client, w, cat)
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    rep.queue("quotes", "update", q["id"], {"status": "sent", "device_pdf_sha256": "0" * 64})
    body, answered = await _while(client, rep.push())
    result = body["results"][0]
    assert result["status"] == "rejected" and result["error"]["code"] == "pdf-budget-exceeded"
    assert answered >= 5
    row = await Quote.select(Quote.status).where(Quote.id == q["id"]).first()
    assert row["status"] == "draft"


async def test_text_printed_on_the_pdf_is_bounded_at_the_edge(client):
    w, cat = await _world(client)
    line = {"product_id": str(cat.p1), "quantity": "1"}
    for field, text in (("notes", "x\n" * 300), ("terms", "y" * 4001), ("notes", "\r" * 300)):
        r = await client.post(
            "/api/quotes",
            json={"customer_id": str(w.c1), "lines": [line], field: text},
            headers=w.headers["rep1"],
        )
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == [field]
    q = await _draft(client, w, cat)
    r = await client.patch(
        f"/api/quotes/{q['id']}", json={"notes": "z\n" * 500}, headers=w.headers["rep1"]
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "notes"
    # At the bound it is accepted and prints.
    r = await client.patch(
        f"/api/quotes/{q['id']}", json={"notes": "z\n" * 200}, headers=w.headers["rep1"]
    )
    assert r.status_code == 200, r.text
    # Through sync the same bound holds (the mutation is rejected, nothing stored).
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    rep.queue("quotes", "update", q["id"], {"notes": "n\n" * 1000})
    body = await rep.push()
    assert body["results"][0]["status"] == "rejected"
    row = await Quote.select(Quote.notes).where(Quote.id == q["id"]).first()
    assert row["notes"] == "z\n" * 200


async def _world(client):
    w = await make_world_fast()
    return w, await make_catalogue(w)
