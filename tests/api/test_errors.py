"""Errors are RFC 9457 problem details, and bad input stores nothing."""

from __future__ import annotations

from uuid import uuid4

from backend.accounts.tables import User
from tests.factories import email_of, login, make_user, make_world_fast


async def test_unknown_route_is_a_problem(client):
    r = await client.get("/api/no-such-thing")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 404 and body["type"].startswith("https://")


async def test_wrong_method_is_a_problem(client):
    r = await client.delete("/api/health")
    assert r.status_code == 405
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_oversized_body_is_refused_and_nothing_stored(client):
    admin = await make_user("admin")
    headers = await login(client, await email_of(admin))
    before = await User.count()
    big = {
        "email": "x@y.zz",
        "password": "p" * 100,
        "name": "n" * (2 * 1024 * 1024),
        "role": "admin",
    }
    r = await client.post("/api/users", json=big, headers=headers)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    assert await User.count() == before


async def test_wrong_types_and_unknown_fields_name_the_field(client):
    admin = await make_user("admin")
    headers = await login(client, await email_of(admin))
    before = await User.count()
    r = await client.post(
        "/api/users",
        json={"email": "new@x.ee", "password": "long-enough-pass-1", "name": 42, "role": "admin"},
        headers=headers,
    )
    assert r.status_code == 422
    assert _fields(r) == [("name", "invalid")]
    r = await client.post(
        "/api/users",
        json={
            "email": "new@x.ee",
            "password": "long-enough-pass-1",
            "name": "N",
            "role": "admin",
            "shoe_size": 44,
        },
        headers=headers,
    )
    assert r.status_code == 422 and _fields(r) == [("shoe_size", "unknown")]
    r = await client.post(
        "/api/users",
        json={
            "email": "new@x.ee",
            "password": "long-enough-pass-1",
            "name": "N",
            "role": "emperor",
        },
        headers=headers,
    )
    assert r.status_code == 422 and _fields(r) == [("role", "invalid")]
    assert await User.count() == before


def _fields(r) -> list[tuple[str, str]]:
    assert r.headers["content-type"].startswith("application/problem+json")
    return [(e["field"], e["code"]) for e in r.json()["errors"]]


async def test_a_missing_body_field_is_named_not_called_data(client):
    r = await client.post("/api/auth/login", json={"email": "rep@x.ee"})
    assert r.status_code == 422 and _fields(r) == [("password", "missing")]
    assert r.json()["errors"][0]["message"] == "is required"


async def test_a_nested_field_is_named_by_its_path(client):
    w = await make_world_fast()
    line = {"product_id": str(uuid4()), "quantity": "1"}
    order = {"customer_id": str(w.c1), "lines": [line, {"quantity": "1"}]}
    r = await client.post("/api/orders", json=order, headers=w.headers["rep1"])
    assert r.status_code == 422 and _fields(r) == [("lines[1].product_id", "missing")]
    order["lines"] = [{**line, "colour": "red"}]
    r = await client.post("/api/orders", json=order, headers=w.headers["rep1"])
    assert r.status_code == 422 and _fields(r) == [("lines[0].colour", "unknown")]


async def test_health_answers_with_the_engine(client):
    r = await client.get("/api/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["database"] in ("sqlite", "postgresql")


async def test_refused_fields_read_as_words_in_the_readers_language(client):
    w = await make_world_fast()
    from backend.catalogue.tables import Product

    before = await Product.count()
    headers = {**w.headers["admin"], "Accept-Language": "et-EE,et;q=0.9"}
    r = await client.post(
        "/api/products", json={"sku": "X-1", "name": "", "tax_rate": "22,5"}, headers=headers
    )
    assert r.status_code == 422, r.text
    body = r.json()
    # Not "Validation failed for POST /api/products" nor msgspec's "Expected `str` …".
    assert body["detail"] == "Mõned väärtused ei sobi: vaata välju."
    assert [(e["field"], e["message"]) for e in body["errors"]] == [("name", "ei tohi olla tühi")]
    r = await client.post(
        "/api/products", json={"sku": "X-1", "name": "Leib", "tax_rate": "22,5"}, headers=headers
    )
    assert [(e["field"], e["message"]) for e in r.json()["errors"]] == [("tax_rate", "pole arv")]
    assert await Product.count() == before
