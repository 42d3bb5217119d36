"""Database errors told apart by class and SQLSTATE / SQLite result code: real errors from
the real engines, never message text."""

from __future__ import annotations

import asyncio
import sqlite3

import asyncpg
import pytest

from backend.db import is_data_error, is_temporary_fault, is_unique_violation, temporary_cause
from backend.settings import get_settings
from tests.dbfaults import sqlite_busy


def _sqlite_error(*statements: str, args: tuple = ()) -> Exception:
    connection = sqlite3.connect(":memory:")
    try:
        for sql in statements[:-1]:
            connection.execute(sql)
        connection.execute(statements[-1], args)
    except Exception as exc:
        return exc
    finally:
        connection.close()
    raise AssertionError("SQLite accepted it")


def test_sqlite_busy_is_temporary():
    exc = sqlite_busy()
    assert is_temporary_fault(exc) and not is_data_error(exc)


def test_sqlite_unique_violation_is_a_permanent_data_error():
    exc = _sqlite_error(
        "CREATE TABLE t (code TEXT UNIQUE)",
        "INSERT INTO t VALUES ('a')",
        "INSERT INTO t VALUES ('a')",
    )
    assert is_unique_violation(exc) and is_data_error(exc) and not is_temporary_fault(exc)


def test_sqlite_other_constraints_are_not_unique_violations():
    exc = _sqlite_error("CREATE TABLE t (code TEXT NOT NULL)", "INSERT INTO t VALUES (NULL)")
    assert isinstance(exc, sqlite3.IntegrityError)
    assert not is_unique_violation(exc) and is_data_error(exc)


def test_sqlite_integer_too_large_is_a_data_error():
    exc = _sqlite_error("CREATE TABLE t (n INTEGER)", "INSERT INTO t VALUES (?)", args=(2**70,))
    assert is_data_error(exc) and not is_temporary_fault(exc)


def test_sqlite_programming_mistakes_are_neither():
    exc = _sqlite_error("SELECT * FROM no_such_table")
    assert isinstance(exc, sqlite3.OperationalError)
    assert not is_temporary_fault(exc) and not is_data_error(exc)


def test_a_fault_behind_another_exception_is_found():
    try:
        try:
            raise sqlite_busy()
        except sqlite3.OperationalError:
            raise RuntimeError("while rolling back") from None
    except RuntimeError as outer:
        assert temporary_cause(outer) is outer.__context__
    assert temporary_cause(ValueError("x")) is None


def test_network_errors_are_temporary_other_os_errors_not():
    assert is_temporary_fault(ConnectionRefusedError(111, "refused"))
    assert is_temporary_fault(TimeoutError())
    assert not is_temporary_fault(FileNotFoundError(2, "no such file"))


# --- PostgreSQL: errors the server itself raises -----------------------------------------


async def _pg() -> asyncpg.Connection:
    return await asyncpg.connect(get_settings().database_url)


async def _pg_error(sql: str, *args) -> Exception:
    connection = await _pg()
    try:
        await connection.execute("CREATE TEMP TABLE t (code text UNIQUE, n numeric(14, 2))")
        await connection.execute(sql, *args)
    except Exception as exc:
        return exc
    finally:
        await connection.close()
    raise AssertionError("PostgreSQL accepted it")


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("sql", "args", "sqlstate"),
    [
        ("INSERT INTO t (code) VALUES ($1)", ("a\x00b",), "22021"),  # NUL in text
        ("INSERT INTO t (n) VALUES ($1::numeric)", ("1e20",), "22003"),  # out of range
        ("SELECT $1::text::date", ("2026-13-45",), "22008"),  # date out of range
        ("SELECT $1::text::int", ("twelve",), "22P02"),  # malformed
        ("SELECT $1::text::jsonb", ('"\\u0000"',), "22P05"),  # NUL in JSON
    ],
)
async def test_postgres_data_errors_are_permanent(engine, sql, args, sqlstate):
    exc = await _pg_error(sql, *args)
    assert getattr(exc, "sqlstate", None) == sqlstate
    assert is_data_error(exc) and not is_temporary_fault(exc)


@pytest.mark.postgres_only
async def test_postgres_unique_violation(engine):
    exc = await _pg_error("INSERT INTO t (code) VALUES ('a'), ('a')")
    assert is_unique_violation(exc) and is_data_error(exc) and not is_temporary_fault(exc)


@pytest.mark.postgres_only
async def test_postgres_argument_asyncpg_cannot_encode_is_a_data_error(engine):
    exc = await _pg_error("SELECT $1::int", 2**40)
    assert is_data_error(exc) and not is_temporary_fault(exc)


@pytest.mark.postgres_only
async def test_postgres_statement_timeout_is_temporary(engine):
    exc = await _pg_error("SET statement_timeout = 50; SELECT pg_sleep(2)")
    assert getattr(exc, "sqlstate", None) == "57014"
    assert is_temporary_fault(exc) and not is_data_error(exc)


@pytest.mark.postgres_only
async def test_postgres_killed_connection_is_temporary(engine):
    victim = await _pg()
    killer = await _pg()
    try:
        pid = await victim.fetchval("SELECT pg_backend_pid()")
        await killer.execute("SELECT pg_terminate_backend($1)", pid)
        await asyncio.sleep(0.2)
        with pytest.raises(Exception) as caught:
            await victim.fetchval("SELECT 1")
        assert is_temporary_fault(caught.value), repr(caught.value)
        with pytest.raises(Exception) as again:
            await victim.fetchval("SELECT 1")
        assert is_temporary_fault(again.value), repr(again.value)
    finally:
        await killer.close()
        victim.terminate()
