"""What a distributor and a customer reach over REST, held against design/visibility.md.

One world: c1 is served by the distributor and is the customer user's shop; c2 and c_other
are neither's. Each listing and each read by id must return exactly the rows the table allows;
a row a partner may not read answers 404, like a row that does not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import make_catalogue, make_contact, make_history_event, make_world_fast

INTERNAL = (
    "notes",
    "credit_limit",
    "segment",
    "tier",
    "visit_frequency_days",
    "visit_duration_min",
    "territory_id",
)

NONE_REFUSED = ("/api/visits", "/api/routes", "/api/offers", "/api/territories", "/api/regions")


async def _world(client):  # type: ignore[no-untyped-def]
    w = await make_world_fast()
    cat = await make_catalogue(w)
    h = w.headers
    ids: dict[str, str] = {}

    async def post(path, body, role):  # type: ignore[no-untyped-def]
        r = await client.post(path, json=body, headers=h[role])
        assert r.status_code in (200, 201), r.text
        return r.json()["id"]

    line = [{"product_id": str(cat.p1), "quantity": "2"}]
    ids["order_c1_rep"] = await post(
        "/api/orders", {"customer_id": str(w.c1), "lines": line}, "rep1"
    )
    ids["order_c1_dist"] = await post(
        "/api/orders", {"customer_id": str(w.c1), "lines": line}, "distributor_user"
    )
    ids["order_c2"] = await post("/api/orders", {"customer_id": str(w.c2), "lines": line}, "rep2")
    ids["quote_c1_draft"] = await post(
        "/api/quotes", {"customer_id": str(w.c1), "lines": line}, "rep1"
    )
    ids["quote_c1_sent"] = await post(
        "/api/quotes", {"customer_id": str(w.c1), "lines": line, "status": "sent"}, "rep1"
    )
    # A distributor may not make quotes (so "those it made" is none).
    r = await client.post(
        "/api/quotes", json={"customer_id": str(w.c1), "lines": line}, headers=h["distributor_user"]
    )
    assert r.status_code == 403
    ids["quote_c2"] = await post(
        "/api/quotes", {"customer_id": str(w.c2), "lines": line, "status": "sent"}, "rep2"
    )
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    ids["visit_c1"] = await post(
        "/api/visits", {"customer_id": str(w.c1), "planned_start": soon}, "rep1"
    )
    ids["contact_c1"] = str(await make_contact(w.c1, "Olga"))
    ids["contact_c2"] = str(await make_contact(w.c2, "Ivan"))
    await make_history_event(w.c1, "note", actor=w.rep1, summary="Owner is hard to reach")
    return w, cat, ids


async def _ids(client, path, headers, **params):  # type: ignore[no-untyped-def]
    r = await client.get(path, headers=headers, params=params)
    if r.status_code == 403 and path in NONE_REFUSED:
        return set()  # a collection the role has none of may be refused as a whole
    assert r.status_code == 200, (path, r.text)
    body = r.json()
    rows = body["items"] if isinstance(body, dict) and "items" in body else body
    return {row["id"] for row in rows}


async def test_a_distributor_reaches_its_customers_orders_and_its_own_quotes_only(client):
    w, cat, ids = await _world(client)
    h = w.headers["distributor_user"]

    assert await _ids(client, "/api/customers", h) == {str(w.c1)}
    listed = (await client.get("/api/customers", headers=h)).json()["items"][0]
    assert not set(INTERNAL) & set(listed), "internal customer fields in the list"
    c1 = (await client.get(f"/api/customers/{w.c1}", headers=h)).json()
    assert not set(INTERNAL) & set(c1), "internal customer fields reach a distributor"
    for other in (w.c2, w.c_other):
        assert (await client.get(f"/api/customers/{other}", headers=h)).status_code == 404
    assert await _ids(client, f"/api/customers/{w.c1}/contacts", h) == {ids["contact_c1"]}
    assert (await client.get(f"/api/customers/{w.c2}/contacts", headers=h)).status_code == 404
    assert (await client.get(f"/api/contacts/{ids['contact_c2']}", headers=h)).status_code == 404

    # Orders of the customers it serves, whoever took them.
    assert await _ids(client, "/api/orders", h) == {ids["order_c1_rep"], ids["order_c1_dist"]}
    assert (await client.get(f"/api/orders/{ids['order_c2']}", headers=h)).status_code == 404
    # Quotes: those it made, which is none.
    assert await _ids(client, "/api/quotes", h) == set()
    for q in ("quote_c1_sent", "quote_c1_draft", "quote_c2"):
        assert (await client.get(f"/api/quotes/{ids[q]}", headers=h)).status_code == 404, q
    # No visits, routes, territories, regions or offers at all.
    assert await _ids(client, "/api/visits", h) == set()
    # The visits area refuses partner roles as a whole (403; tests/api/test_role_matrix_visits).
    assert (await client.get(f"/api/visits/{ids['visit_c1']}", headers=h)).status_code in (403, 404)
    assert await _ids(client, "/api/territories", h) == set()
    assert await _ids(client, "/api/regions", h) == set()
    assert await _ids(client, "/api/offers", h) == set()
    # History: the order and quote events of its customers, never notes or visits.
    r = await client.get(f"/api/customers/{w.c1}/history", headers=h)
    assert r.status_code == 200, r.text
    kinds = {e["kind"] for e in (r.json()["items"] if "items" in r.json() else r.json())}
    assert kinds and kinds <= {"order", "distributor_order", "order_status", "quote", "quote_sent"}
    assert (await client.get(f"/api/customers/{w.c2}/history", headers=h)).status_code == 404
    # Its own price list only; users: itself.
    assert await _ids(client, "/api/price-lists", h) == {str(cat.distributor_list)}
    assert await _ids(client, "/api/users", h) <= {str(w.distributor_user)}


async def test_a_customer_reaches_its_own_rows_and_never_drafts_notes_or_visits(client):
    w, cat, ids = await _world(client)
    h = w.headers["customer_user"]

    assert await _ids(client, "/api/customers", h) == {str(w.c1)}
    listed = (await client.get("/api/customers", headers=h)).json()["items"][0]
    assert not set(INTERNAL) & set(listed), "internal customer fields in the list"
    c1 = (await client.get(f"/api/customers/{w.c1}", headers=h)).json()
    assert not set(INTERNAL) & set(c1), "internal customer fields reach the customer"
    assert (await client.get(f"/api/customers/{w.c2}", headers=h)).status_code == 404
    assert await _ids(client, f"/api/customers/{w.c1}/contacts", h) == {ids["contact_c1"]}
    assert (await client.get(f"/api/contacts/{ids['contact_c2']}", headers=h)).status_code == 404

    assert await _ids(client, "/api/orders", h) == {ids["order_c1_rep"], ids["order_c1_dist"]}
    assert (await client.get(f"/api/orders/{ids['order_c2']}", headers=h)).status_code == 404
    # Sent quotes addressed to it; never drafts.
    assert await _ids(client, "/api/quotes", h) == {ids["quote_c1_sent"]}
    for q in ("quote_c1_draft", "quote_c2"):
        assert (await client.get(f"/api/quotes/{ids[q]}", headers=h)).status_code == 404, q
    assert await _ids(client, "/api/visits", h) == set()
    # The visits area refuses partner roles as a whole (403; tests/api/test_role_matrix_visits).
    assert (await client.get(f"/api/visits/{ids['visit_c1']}", headers=h)).status_code in (403, 404)
    assert await _ids(client, "/api/territories", h) == set()
    assert await _ids(client, "/api/routes", h) == set()
    r = await client.get(f"/api/customers/{w.c1}/history", headers=h)
    assert r.status_code == 200, r.text
    kinds = {e["kind"] for e in (r.json()["items"] if "items" in r.json() else r.json())}
    assert kinds and not kinds & {"note", "visit", "visit_planned", "check_in", "check_out"}
    assert await _ids(client, "/api/price-lists", h) == {str(cat.customer_list)}
    assert await _ids(client, "/api/users", h) <= {str(w.customer_user)}
