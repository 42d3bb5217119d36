"""Errors are RFC 9457 problem details, and bad input stores nothing."""

from __future__ import annotations

from backend.accounts.tables import User
from tests.factories import email_of, login, make_user


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
        json={"email": "new@x.ee", "password": "longenough1", "name": 42, "role": "admin"},
        headers=headers,
    )
    assert r.status_code == 422
    assert any("name" in e["field"] or "name" in e["message"] for e in r.json()["errors"])
    r = await client.post(
        "/api/users",
        json={
            "email": "new@x.ee",
            "password": "longenough1",
            "name": "N",
            "role": "admin",
            "shoe_size": 44,
        },
        headers=headers,
    )
    assert r.status_code == 422 and "shoe_size" in r.text
    r = await client.post(
        "/api/users",
        json={"email": "new@x.ee", "password": "longenough1", "name": "N", "role": "emperor"},
        headers=headers,
    )
    assert r.status_code == 422
    assert await User.count() == before


async def test_health_answers_with_the_engine(client):
    r = await client.get("/api/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["database"] in ("sqlite", "postgresql")
