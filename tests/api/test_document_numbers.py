"""Device document numbers are bound to the device's sync client code (issue 15).

Before: rep1 could POST /api/quotes {"number": "7-Q1"} and rep2's device 7 then had its
offline 7-Q1 refused forever.
"""

from __future__ import annotations

import re
from datetime import date
from uuid import uuid4

from backend.orders.tables import Order
from backend.quoting.tables import Quote
from tests.factories import make_catalogue, make_world_fast
from tests.integration.sync.device import Device


def _lines(cat):
    return [{"product_id": str(cat.p1), "quantity": "2"}]


async def _code(device: Device) -> int:
    """Register the install (an empty push) and return its client code."""
    body = await device.push()
    return int(body["client_code"])


async def test_a_number_from_another_users_device_is_refused_over_rest(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    rep2_device = Device(client, w.headers["rep2"])
    code = await _code(rep2_device)
    stolen_quote, stolen_order = f"{code}-Q1", f"{code:02d}-1"

    r = await client.post(
        "/api/quotes",
        json={"customer_id": str(w.c1), "lines": _lines(cat), "number": stolen_quote},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 422, r.text
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("number", "foreign_series")]
    r = await client.post(
        "/api/orders",
        json={"customer_id": str(w.c1), "lines": _lines(cat), "number": stolen_order},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "number"
    assert await Quote.count() == 0 and await Order.count() == 0

    # rep2's device can still use its own numbers, offline, through sync.
    qid, oid = uuid4(), uuid4()
    rep2_device.queue(
        "quotes",
        "create",
        qid,
        {"customer_id": str(w.c2), "lines": _lines(cat), "number": stolen_quote},
    )
    rep2_device.queue(
        "orders",
        "create",
        oid,
        {"customer_id": str(w.c2), "lines": _lines(cat), "number": stolen_order},
    )
    body = await rep2_device.push()
    assert [x["status"] for x in body["results"]] == ["applied", "applied"], body
    assert (await Quote.select(Quote.number).where(Quote.id == qid).first())["number"] == (
        stolen_quote
    )
    assert (await Order.select(Order.number).where(Order.id == oid).first())["number"] == (
        stolen_order
    )


async def test_a_device_cannot_push_another_devices_numbers(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    phone, tablet = Device(client, w.headers["rep1"]), Device(client, w.headers["rep1"])
    phone_code, tablet_code = await _code(phone), await _code(tablet)
    assert phone_code != tablet_code
    # The same user's other install: still another series.
    phone.queue(
        "quotes",
        "create",
        uuid4(),
        {"customer_id": str(w.c1), "lines": _lines(cat), "number": f"{tablet_code}-Q1"},
    )
    phone.queue(
        "orders",
        "create",
        uuid4(),
        {"customer_id": str(w.c1), "lines": _lines(cat), "number": f"{tablet_code:02d}-1"},
    )
    body = await phone.push()
    assert [x["status"] for x in body["results"]] == ["rejected", "rejected"], body
    for result in body["results"]:
        assert result["error"]["errors"][0]["field"] == "number"
        assert result["error"]["errors"][0]["code"] == "foreign_series"
    assert await Quote.count() == 0 and await Order.count() == 0


async def test_rest_without_a_device_gets_a_server_number_and_own_series_are_kept(client):
    w = await make_world_fast()
    cat = await make_catalogue(w)
    r = await client.post(
        "/api/quotes",
        json={"customer_id": str(w.c1), "lines": _lines(cat)},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 201 and re.fullmatch(
        rf"Q-{date.today().year}-\d{{6}}", r.json()["number"]
    )
    r = await client.post(
        "/api/orders",
        json={"customer_id": str(w.c1), "lines": _lines(cat)},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 201 and r.json()["number"].startswith("SO-")
    # The PWA online posting a number of its own install is accepted.
    code = await _code(Device(client, w.headers["rep1"]))
    r = await client.post(
        "/api/quotes",
        json={"customer_id": str(w.c1), "lines": _lines(cat), "number": f"{code}-Q9"},
        headers=w.headers["rep1"],
    )
    assert r.status_code == 201 and r.json()["number"] == f"{code}-Q9"
