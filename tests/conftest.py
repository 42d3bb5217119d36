"""Test set-up: one suite for SQLite and PostgreSQL, picked by ROUNDS_TEST_DATABASE_URL.

Unset, the database tests run on a fresh SQLite file; set to postgres://…, they run on that
database, whose public schema is dropped and rebuilt by the migrations at session start.
"""

from __future__ import annotations

import os
import tempfile

_TMP = tempfile.mkdtemp(prefix="rounds-test-")
os.environ["ROUNDS_DATA_DIR"] = _TMP
os.environ["ROUNDS_DATABASE_URL"] = (
    os.environ.get("ROUNDS_TEST_DATABASE_URL") or f"sqlite:///{_TMP}/test.sqlite3"
)
os.environ.setdefault("ROUNDS_LOG_LEVEL", "WARNING")
os.environ.setdefault("ROUNDS_LOG_JSON", "true")
os.environ["ROUNDS_IN_PROCESS_WORKER"] = "false"
os.environ["ROUNDS_PASSWORD_HASH"] = "fast"
# Nothing in the tests may reach a public service: outside services point at a closed port
# unless a test starts a local fake and points the settings at it.
os.environ["ROUNDS_GEOCODER_URL"] = "http://127.0.0.1:9"
os.environ.pop("ROUNDS_OSRM_URL", None)

from collections.abc import AsyncIterator  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402
from litestar import Litestar  # noqa: E402

from backend import db as dbmod  # noqa: E402
from backend.settings import get_settings  # noqa: E402

IS_POSTGRES = get_settings().is_postgres


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set ROUNDS_TEST_DATABASE_URL)")
    skip_sqlite = pytest.mark.skip(reason="SQLite-specific")
    for item in items:
        if "postgres_only" in item.keywords and not IS_POSTGRES:
            item.add_marker(skip_pg)
        if "sqlite_only" in item.keywords and IS_POSTGRES:
            item.add_marker(skip_sqlite)


async def _reset_schema() -> None:
    engine = dbmod.current_engine()
    if IS_POSTGRES:
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    else:
        path = get_settings().sqlite_path
        for suffix in ("", "-wal", "-shm"):
            p = path.with_name(path.name + suffix)
            if p.exists():
                p.unlink()


@pytest.fixture(scope="session")
async def engine() -> AsyncIterator[None]:
    """The migrated test database, shared by the session."""
    dbmod.configure(get_settings())
    await _reset_schema()
    await dbmod.migrate()
    await dbmod.open_engine(get_settings())
    yield
    await dbmod.close_engine()


def _data_tables() -> list[str]:
    return [t._meta.tablename for t in dbmod.all_tables()]


@pytest.fixture
async def db(engine: None) -> AsyncIterator[None]:
    """An empty database for each test."""
    eng = dbmod.current_engine()
    names = _data_tables()
    if IS_POSTGRES:
        await eng.run_ddl(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
    else:
        async with eng.transaction():
            for name in reversed(names):
                await eng.run_ddl(f"DELETE FROM {name}")
            has_seq = await eng.run_ddl(
                "SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"
            )
            if has_seq:
                await eng.run_ddl("DELETE FROM sqlite_sequence")
    yield


@pytest.fixture(scope="session")
def app(engine: None) -> Litestar:
    from backend.app import create_app

    return create_app(get_settings(), manage_engine=False)


@pytest.fixture
async def client(app: Litestar, db: None) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling the app in this event loop (the engine's pool lives here)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
