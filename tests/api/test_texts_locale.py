"""Server-made texts reach each user in their language (both engines): a history summary in
Ukrainian, a sync refusal in Estonian, problem details in Russian; notes stay as typed."""

from __future__ import annotations

from uuid import uuid4

from backend.accounts.tables import User
from tests.factories import make_world_fast as make_world
from tests.integration.sync.device import Device


async def _speaks(user, locale: str) -> None:  # type: ignore[no-untyped-def]
    await User.update({User.locale: locale}).where(User.id == user)


async def test_a_history_summary_reads_in_ukrainian_and_a_note_as_typed(client):
    w = await make_world()
    await _speaks(w.rep1, "uk")
    r = await client.post("/api/visits", json={"customer_id": str(w.c1)}, headers=w.headers["rep1"])
    assert r.status_code == 201, r.text
    r = await client.post(
        f"/api/customers/{w.c1}/notes",
        json={"text": "Visit planned"},  # typed by a person: never translated
        headers=w.headers["rep1"],
    )
    assert r.status_code == 201, r.text
    r = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["rep1"])
    assert r.status_code == 200, r.text
    by_kind = {e["kind"]: e["summary"] for e in r.json()["items"]}
    assert by_kind == {"visit": "Візит заплановано", "note": "Visit planned"}
    # The same entry reads in English for an English-speaking manager.
    r = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["manager"])
    assert {e["summary"] for e in r.json()["items"]} == {"Visit planned"}


async def test_the_synced_history_carries_the_readers_language(client):
    w = await make_world()
    await _speaks(w.rep1, "ru")
    r = await client.post("/api/visits", json={"customer_id": str(w.c1)}, headers=w.headers["rep1"])
    assert r.status_code == 201, r.text
    rep = Device(client, w.headers["rep1"])
    await rep.sync()
    summaries = [d["summary"] for (c, _), d in rep.replica.items() if c == "history"]
    assert "Визит запланирован" in summaries


async def test_a_sync_refusal_reads_in_estonian_with_its_code_and_field_unchanged(client):
    w = await make_world()
    await _speaks(w.rep1, "et")
    rep = Device(client, w.headers["rep1"])
    bad = {
        "mid": 1,
        "collection": "visits",
        "op": "create",
        "id": str(uuid4()),
        "fields": {"customer_id": str(w.c1), "notes": "a\x00b"},
    }
    r = await rep.push_raw([bad])
    assert r.status_code == 200, r.text
    error = r.json()["results"][0]["error"]
    assert error["code"] == "validation-failed"
    assert error["detail"] == "Muudatuse väljades on väärtusi, mida ei saa salvestada."
    assert [e["field"] for e in error["errors"]] == ["fields.notes"]


async def test_problem_details_follow_accept_language(client):
    w = await make_world()
    missing = f"/api/customers/{uuid4()}"
    ru = await client.get(missing, headers={**w.headers["rep1"], "Accept-Language": "ru-RU,ru"})
    en = await client.get(missing, headers={**w.headers["rep1"], "Accept-Language": "fr, en"})
    assert ru.status_code == en.status_code == 404
    assert ru.headers["content-type"].startswith("application/problem+json")
    assert ru.json()["title"] == "Не найдено"
    assert en.json()["title"] == "Not found"
    assert ru.json()["type"] == en.json()["type"]


async def test_a_customer_edit_names_its_fields_in_russian(client):
    w = await make_world()
    await _speaks(w.manager, "ru")
    r = await client.patch(
        f"/api/customers/{w.c1}",
        json={"phone": "+372 5555 0101", "email": "kohvik@example.ee", "visit_frequency_days": 9},
        headers=w.headers["manager"],
    )
    assert r.status_code == 200, r.text
    summary = "Изменено: эл. почта, телефон, частота визитов"
    r = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["manager"])
    assert [e["summary"] for e in r.json()["items"] if e["kind"] == "customer_updated"] == [summary]
    manager = Device(client, w.headers["manager"])
    await manager.sync()
    synced = [d["summary"] for (c, _), d in manager.replica.items() if c == "history"]
    assert summary in synced
    # The stored text is English, with names a person reads.
    r = await client.get(f"/api/customers/{w.c1}/history", headers=w.headers["admin"])
    assert "Changed: email, phone, visit frequency" in [e["summary"] for e in r.json()["items"]]
