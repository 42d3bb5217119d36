"""Test set-up: one suite for SQLite and PostgreSQL, picked by ROUNDS_TEST_DATABASE_URL.

Unset, the database tests run on a fresh SQLite file; set to postgres://…, they run on that
database, whose public schema is dropped and rebuilt by the migrations at session start.
Between tests only the tables a test wrote to are emptied (see `db`). The run's temporary
folder (/tmp/rounds-test-*) is removed when pytest ends.
"""

from __future__ import annotations

import os
import shutil
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
# A developer's .env must not reach the tests (nor the servers they start, which inherit this).
os.environ["ROUNDS_ENV_FILE"] = ""
# Nothing in the tests may reach a public service: outside services point at a closed port
# unless a test starts a local fake and points the settings at it.
os.environ["ROUNDS_GEOCODER_URL"] = "http://127.0.0.1:9"
os.environ.pop("ROUNDS_OSRM_URL", None)
# The local fake push services listen on http://127.0.0.1; tests of the public-host rule
# turn this off for themselves.
os.environ["ROUNDS_PUSH_ALLOW_PRIVATE_ENDPOINTS"] = "true"

from collections.abc import AsyncIterator  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402
from litestar import Litestar  # noqa: E402

from backend import db as dbmod  # noqa: E402
from backend.settings import get_settings  # noqa: E402
from backend.wiring import install_sync  # noqa: E402

install_sync()  # the areas' sync collections, as every entry point registers them

IS_POSTGRES = get_settings().is_postgres


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove this run's temporary folder (SQLite files, keys, uploads: up to tens of MB)."""
    shutil.rmtree(_TMP, ignore_errors=True)


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


async def _tables_with_rows(names: list[str]) -> list[str]:
    """The tables holding at least one row, in one query (well under a millisecond)."""
    probe = " UNION ALL ".join(
        f"SELECT '{name}' AS name WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names
    )
    rows = await dbmod.current_engine().run_ddl(probe)
    return [row["name"] for row in rows]


# Sequences a test advanced go back to their start, as TRUNCATE … RESTART IDENTITY did.
_RESTART_SEQUENCES = (
    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) "
    "FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"
)


@pytest.fixture
async def db(engine: None) -> AsyncIterator[None]:
    """An empty database for each test.

    Only the tables the previous test wrote to are emptied, children before parents, with
    DELETE: on PostgreSQL a TRUNCATE of all 31 tables took 0.7-1.1 s per test, the probe and
    the DELETEs take milliseconds.
    """
    eng = dbmod.current_engine()
    names = _data_tables()
    dirty = set(await _tables_with_rows(names))
    deletes = [f'DELETE FROM "{name}"' for name in reversed(names) if name in dirty]
    if IS_POSTGRES:
        async with eng.pool.acquire() as connection:  # type: ignore[attr-defined]
            # One round trip: the simple query protocol runs the statements as one transaction.
            await connection.execute("; ".join([*deletes, _RESTART_SEQUENCES]))
    else:
        async with eng.transaction():
            for statement in deletes:
                await eng.run_ddl(statement)
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
