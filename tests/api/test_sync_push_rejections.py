"""A pushed mutation is judged on its own: whatever is invalid in it is `rejected`, naming the
field, and consumed, so `last_mid` moves and the device's queue goes on (both engines)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.factories import make_sync_world
from tests.integration.sync.device import Device


def _visit(mid: int, customer, **fields) -> dict:
    return {
        "mid": mid,
        "collection": "visits",
        "op": "create",
        "id": str(uuid4()),
        "fields": {"customer_id": str(customer), **fields},
    }


def _first_control(text: str) -> int:
    return next(ord(c) for c in text if ord(c) < 32)


async def _visit_notes(client, headers) -> list[str]:
    admin = Device(client, headers)
    await admin.sync()
    return sorted(d["notes"] for (c, _), d in admin.replica.items() if c == "visits")


@pytest.mark.parametrize("bad", ["\x00", "a\x00b", "\x07bell", "esc\x1b[0m", "\x1f"])
async def test_control_characters_are_rejected_naming_the_field_and_the_queue_goes_on(client, bad):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    batch = [
        _visit(1, w.c1, notes=bad),
        _visit(2, w.c1, notes="tab\tnewline\ncr\r are fine"),
        {
            "mid": 3,
            "collection": "contacts",
            "op": "create",
            "id": str(uuid4()),
            "fields": {"customer_id": str(w.c1), "name": "Ann", "title": f"Boss{bad}"},
        },
        _visit(4, w.c1, notes="after"),
    ]
    r = await rep.push_raw(batch)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [x["status"] for x in body["results"]] == ["rejected", "applied", "rejected", "applied"]
    assert body["last_mid"] == 4
    for result, field in (
        (body["results"][0], "fields.notes"),
        (body["results"][2], "fields.title"),
    ):
        assert result["error"]["code"] == "validation-failed"
        assert result["error"]["errors"] == [
            {
                "field": field,
                "message": f"holds a control character (U+{_first_control(bad):04X})",
                "code": "control-character",
            }
        ]
    # Retried, the push answers the same, and nothing was stored twice or half.
    again = (await rep.push_raw(batch)).json()
    assert [x["status"] for x in again["results"]] == ["duplicate"] * 4
    assert [x["first"]["status"] for x in again["results"]] == [
        "rejected",
        "applied",
        "rejected",
        "applied",
    ]
    assert await _visit_notes(client, w.headers["admin"]) == [
        "after",
        "tab\tnewline\ncr\r are fine",
    ]


async def test_a_control_character_deep_inside_the_fields_is_named_by_its_path(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    oid = uuid4()
    body = (
        await rep.push_raw(
            [
                {
                    "mid": 1,
                    "collection": "orders",
                    "op": "create",
                    "id": str(oid),
                    "fields": {
                        "customer_id": str(w.c1),
                        "lines": [{"product_id": str(uuid4()), "quantity": "1"}, {"note": "x\x00"}],
                    },
                },
                _visit(2, w.c1, notes="next"),
            ]
        )
    ).json()
    assert [x["status"] for x in body["results"]] == ["rejected", "applied"]
    assert body["results"][0]["error"]["errors"][0]["field"] == "fields.lines.1.note"
    assert body["last_mid"] == 2


async def test_a_number_no_column_holds_is_rejected_naming_the_field(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    body = (
        await rep.push_raw(
            [_visit(1, w.c1, planned_duration_min=2**70), _visit(2, w.c1, notes="next")]
        )
    ).json()
    assert [x["status"] for x in body["results"]] == ["rejected", "applied"]
    assert body["results"][0]["error"]["errors"] == [
        {
            "field": "fields.planned_duration_min",
            "message": "is a number out of range",
            "code": "out-of-range",
        }
    ]


async def test_a_repeated_mid_counts_once_and_the_repeat_is_rejected(client):
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    batch = [
        _visit(1, w.c1, notes="first"),
        _visit(1, w.c1, notes="repeat"),
        _visit(2, w.c1, notes="second"),
        _visit(2, w.c1, notes="repeat again"),
    ]
    r = await rep.push_raw(batch)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(x["mid"], x["status"]) for x in body["results"]] == [
        (1, "applied"),
        (1, "rejected"),
        (2, "applied"),
        (2, "rejected"),
    ]
    assert body["results"][1]["error"]["code"] == "repeated-mid"
    assert body["results"][1]["error"]["errors"][0]["field"] == "mid"
    assert body["last_mid"] == 2
    # The same batch again: the stored first results, the repeats refused again.
    again = (await rep.push_raw(batch)).json()
    assert [x["status"] for x in again["results"]] == [
        "duplicate",
        "rejected",
        "duplicate",
        "rejected",
    ]
    assert await _visit_notes(client, w.headers["admin"]) == ["first", "second"]
    # Later mutations go on.
    after = (await rep.push_raw([_visit(3, w.c1, notes="third")])).json()
    assert after["results"][0]["status"] == "applied" and after["last_mid"] == 3


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
async def test_a_date_out_of_range_is_rejected_and_the_queue_goes_on(client, moment):
    """A time the wire contract accepts but no column can hold once turned to UTC: that
    mutation is rejected; the ones around it, applied on the fast path before the refusal,
    are applied again in the guarded redo."""
    w = await make_sync_world()
    rep = Device(client, w.headers["rep1"])
    batch = [
        _visit(1, w.c1, notes="before"),
        _visit(2, w.c1, notes="far", planned_start=moment),
        _visit(3, w.c1, notes="after"),
    ]
    r = await rep.push_raw(batch)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [x["status"] for x in body["results"]] == ["applied", "rejected", "applied"]
    assert body["last_mid"] == 3
    error = body["results"][1]["error"]
    # Caught by the same date bounds as a REST body, before the database sees it.
    assert error["code"] == "validation-failed"
    assert [(e["field"], e["code"]) for e in error["errors"]] == [
        ("fields.planned_start", "out_of_range")
    ]
    assert await _visit_notes(client, w.headers["admin"]) == ["after", "before"]
    nxt = (await rep.push_raw([_visit(4, w.c1, notes="next")])).json()
    assert nxt["results"][0]["status"] == "applied" and nxt["last_mid"] == 4
