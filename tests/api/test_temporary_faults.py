"""Every endpoint answers a temporary database fault with 503 + Retry-After (problem details),
anything else unexpected with 500: the app-level handler tells them apart by exception class
and SQLSTATE / SQLite result code."""

from __future__ import annotations

import asyncpg
import pytest

from backend.customers import search
from backend.settings import get_settings
from tests.dbfaults import sqlite_busy, sqlite_io_error
from tests.factories import make_sync_world

TEMPORARY = {
    "sqlite busy": sqlite_busy,
    "sqlite I/O": sqlite_io_error,
    "connection closed": lambda: asyncpg.ConnectionDoesNotExistError("connection was closed"),
    "cannot switch state": lambda: asyncpg.InternalClientError(
        "cannot switch to state 12; another operation (2) is in progress"
    ),
    "admin shutdown": lambda: asyncpg.AdminShutdownError("terminating connection"),
    "serialization": lambda: asyncpg.SerializationError("could not serialize access"),
    "deadlock": lambda: asyncpg.DeadlockDetectedError("deadlock detected"),
    "too many connections": lambda: asyncpg.TooManyConnectionsError("too many clients"),
    "pool timeout": TimeoutError,
}


@pytest.mark.parametrize("fault", TEMPORARY.values(), ids=TEMPORARY.keys())
async def test_a_temporary_database_fault_answers_503_with_retry_after(client, monkeypatch, fault):
    w = await make_sync_world()

    async def failing(*args, **kwargs):
        raise fault()

    monkeypatch.setattr(search, "list_customers", failing)
    r = await client.get("/api/customers/", headers=w.headers["manager"])
    assert r.status_code == 503, r.text
    assert int(r.headers["retry-after"]) > 0
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/temporarily-unavailable")


PERMANENT = {
    "a bug": lambda: RuntimeError("a bug"),
    "unique violation": lambda: asyncpg.UniqueViolationError("duplicate key"),
    "no such table": lambda: __import__("sqlite3").OperationalError("no such table: x"),
}


@pytest.mark.parametrize("fault", PERMANENT.values(), ids=PERMANENT.keys())
async def test_other_failures_stay_500(client, monkeypatch, fault):
    w = await make_sync_world()

    async def failing(*args, **kwargs):
        raise fault()

    monkeypatch.setattr(search, "list_customers", failing)
    r = await client.get("/api/customers/", headers=w.headers["manager"])
    assert r.status_code == 500 and "retry-after" not in r.headers


async def test_a_value_the_database_refuses_is_422_not_500(client):
    """NUL in a text field through REST: PostgreSQL refuses it (22021), which is the request's
    fault (422, nothing stored); SQLite stores it. Never a 500 that a retry would repeat."""
    w = await make_sync_world()
    r = await client.post(
        f"/api/customers/{w.c1}/contacts", json={"name": "Nul\x00l"}, headers=w.headers["rep1"]
    )
    assert r.status_code in (201, 422), r.text
    if get_settings().is_postgres:
        assert r.status_code == 422
        assert r.headers["content-type"].startswith("application/problem+json")
        listed = await client.get(f"/api/customers/{w.c1}/contacts", headers=w.headers["rep1"])
        assert listed.json() == []
