"""The database engine (SQLite by default, PostgreSQL by URL), transactions and migrations."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog

os.environ.setdefault("PICCOLO_CONF", "backend.piccolo_conf")

import asyncpg
from piccolo.columns import JSON, JSONB, Column
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from backend.pg_engine import ReleasingPostgresEngine
from backend.settings import Settings, get_settings
from backend.sqlite_pool import PooledSQLiteEngine

log = structlog.get_logger(__name__)


def engine_for(settings: Settings) -> Engine:
    """Build the Piccolo engine that settings.database_url names."""
    if settings.is_postgres:
        return ReleasingPostgresEngine(config={"dsn": settings.database_url})
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # A generous busy timeout: writers queue behind each other instead of failing.
    return PooledSQLiteEngine(path=str(path), timeout=30)


def current_engine() -> Engine:
    """The engine every table uses."""
    from backend import piccolo_conf

    return piccolo_conf.DB


def is_sqlite() -> bool:
    return isinstance(current_engine(), SQLiteEngine)


def all_tables() -> list[Any]:
    """Every table of every registered app, in dependency order."""
    from piccolo.conf.apps import Finder

    return Finder().get_table_classes()


def configure(settings: Settings | None = None) -> Engine:
    """Point every table at the engine of these settings; return it."""
    from backend import piccolo_conf

    settings = settings or get_settings()
    engine = engine_for(settings)
    piccolo_conf.DB = engine
    for table in all_tables():
        table._meta.db = engine
    from piccolo.apps.migrations.tables import Migration

    Migration._meta.db = engine
    return engine


async def open_engine(settings: Settings | None = None) -> None:
    """Prepare the engine for serving: a connection pool on PostgreSQL, WAL on SQLite."""
    settings = settings or get_settings()
    engine = current_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(
            min_size=1, max_size=settings.db_pool_size, reset=_keep_session
        )
        rows = await engine.run_ddl("SHOW server_version")
        log.info("db.opened", engine="postgresql", version=rows[0]["server_version"])
    elif isinstance(engine, SQLiteEngine):
        # WAL lets readers go on while one writer commits; it persists in the file.
        await engine.run_ddl("PRAGMA journal_mode=WAL")
        log.info("db.opened", engine="sqlite", version=sqlite3.sqlite_version)


async def _keep_session(connection: Any) -> None:
    """Nothing to undo when a connection goes back to the pool (asyncpg has already rolled
    back a transaction left open): Rounds sets no session state."""


async def close_engine() -> None:
    engine = current_engine()
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.close_all()


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """A transaction that will write: IMMEDIATE on SQLite so writers queue instead of deadlocking.

    Re-entrant: inside an open transaction it simply joins it.
    """
    engine = current_engine()
    if engine.transaction_exists():
        yield
        return
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with engine.transaction():
            yield


class RowById:
    """`SELECT <columns> FROM <table> WHERE id = ?`, its SQL built once.

    Building a Piccolo select costs CPU on every call (about 0.7 ms for a customer's 30
    columns, more than the query takes in the database); the reads made on every write use
    this instead. The row is the one `.output(load_json=True).first()` gives.
    """

    def __init__(self, table: Any, columns: tuple[Column, ...]) -> None:
        self.table = table
        select = ", ".join(f'"{c._meta.db_column_name}" AS "{c._meta.name}"' for c in columns)
        self.sql = f'SELECT {select} FROM "{table._meta.tablename}" WHERE "id" = {{}}'
        self.json = [c._meta.name for c in columns if isinstance(c, JSON | JSONB)]

    async def __call__(self, row_id: Any) -> dict[str, Any] | None:
        rows = await self.table.raw(self.sql, row_id)
        if not rows:
            return None
        return load_json(rows[0], self.json)


def load_json(row: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Decode the JSON columns of a raw or RETURNING row in place."""
    for name in names:
        if isinstance(row[name], str):
            row[name] = json.loads(row[name])
    return row


# Composite indexes, which Piccolo 1.38 cannot declare on a table: (name, table, columns).
# Created idempotently by migrate() on both engines, after the generated migrations.
COMPOSITE_INDEXES = (
    ("history_event_customer_recorded", "history_event", "customer, recorded_at, id"),
    ("visit_rep_planned", "visit", "rep, planned_start"),
    ("visit_customer_planned", "visit", "customer, planned_start"),
    ("sales_order_customer_created", "sales_order", "customer, created_at"),
    ("customer_lat_lng", "customer", "lat, lng"),
    # Plan vs actual (backend/reports): a rep's check-ins, routes, orders, quotes over days.
    ("visit_rep_check_in", "visit", "rep, check_in_at"),
    ("route_rep_day", "route", "rep, day"),
    ("sales_order_author_taken", "sales_order", "author, (COALESCE(captured_at, created_at))"),
    ("quote_author_issue_date", "quote", "author, issue_date"),
)


async def ensure_indexes() -> None:
    engine = current_engine()
    for name, table, columns in COMPOSITE_INDEXES:
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


async def analyze() -> None:
    """Refresh the query planner's statistics (after bulk loads)."""
    await current_engine().run_ddl("ANALYZE")


async def migrate() -> list[str]:
    """Apply every pending migration of every app and the composite indexes.

    Piccolo's own runner prints a banner per app to stdout (and counts every migration as
    "already complete"); this one runs the same migrations quietly and logs one
    `db.migrated` event per app with the true counts. Returns the ids it applied.
    """
    from piccolo.apps.migrations.auto.migration_manager import MigrationManager
    from piccolo.apps.migrations.commands.base import BaseMigrationManager
    from piccolo.apps.migrations.tables import Migration

    finder = BaseMigrationManager()
    await finder.create_migration_table()
    applied: list[str] = []
    for app_name in finder.get_sorted_app_names():
        config = finder.get_app_config(app_name)
        modules = finder.get_migration_modules(config.resolved_migrations_folder_path)
        done = set(await Migration.get_migrations_which_ran(app_name=app_name))
        pending = [i for i in finder.get_migration_ids(modules) if i not in done]
        for migration_id in pending:
            manager = await modules[migration_id].forwards()
            if isinstance(manager, MigrationManager):
                with contextlib.redirect_stdout(io.StringIO()):
                    await manager.run()
            await Migration.insert(Migration(name=migration_id, app_name=app_name)).run()
            applied.append(f"{app_name}:{migration_id}")
        log.info("db.migrated", app=app_name, applied=len(pending), already=len(done))
    await ensure_indexes()
    return applied


# --- What a database error means, told by its class and code, never by its message text ---

# SQLSTATEs of faults that pass: serialisation failure, deadlock, the server shutting down or
# starting, a statement cancelled (timeout), a lock not available. Classes 08 (connection) and
# 53 (insufficient resources) as a whole.
_TEMPORARY_SQLSTATES = frozenset({"40001", "40P01", "57P01", "57P02", "57P03", "57014", "55P03"})
_TEMPORARY_SQLSTATE_CLASSES = ("08", "53")
# SQLite primary result codes of faults that pass: busy, locked, I/O, disk full, out of memory,
# lock protocol, cannot open.
_SQLITE_TEMPORARY_CODES = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_PROTOCOL,
        sqlite3.SQLITE_CANTOPEN,
    }
)
_SQLITE_UNIQUE_CODES = frozenset(
    {sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY}
)
# Socket errors of a connection that dropped or could not be made.
_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.ENETUNREACH,
        errno.ENETDOWN,
        errno.EHOSTUNREACH,
        errno.ETIMEDOUT,
        errno.EPIPE,
    }
)


def _sqlstate(exc: BaseException) -> str:
    return str(getattr(exc, "sqlstate", "") or "") if isinstance(exc, asyncpg.PostgresError) else ""


def _sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code (extended codes keep it in their low byte)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_data_error(exc: BaseException) -> bool:
    """The database (or the conversion on the way to it) refused a value: permanent.

    PostgreSQL class 22 (data exception: out-of-range numbers and dates, text it cannot store,
    malformed values) and class 23 (integrity: a unique, foreign-key, check or not-null
    constraint); asyncpg's own refusal to encode an argument; SQLite's DataError and
    IntegrityError; Python's ValueError and ArithmeticError (OverflowError for an integer
    SQLite cannot hold, a decimal that does not convert).
    """
    if isinstance(exc, asyncpg.PostgresError):
        return _sqlstate(exc)[:2] in ("22", "23")
    if isinstance(exc, asyncpg.exceptions._base.DataError):  # encoding an argument
        return True
    if isinstance(exc, sqlite3.DataError | sqlite3.IntegrityError):
        return True
    if isinstance(exc, sqlite3.Error):
        return False
    return isinstance(exc, ValueError | ArithmeticError)


def is_refused_value(exc: BaseException) -> bool:
    """The database itself refused a value sent to it (PostgreSQL class 22, SQLite's
    DataError): the request's fault, not the server's, whatever endpoint it came through."""
    if isinstance(exc, asyncpg.PostgresError):
        return _sqlstate(exc)[:2] == "22"
    return isinstance(exc, asyncpg.exceptions._base.DataError | sqlite3.DataError)


def is_temporary_fault(exc: BaseException) -> bool:
    """Database trouble that may pass: answer 503 with Retry-After and consume nothing."""
    if isinstance(exc, asyncpg.PostgresError):
        state = _sqlstate(exc)
        return state in _TEMPORARY_SQLSTATES or state[:2] in _TEMPORARY_SQLSTATE_CLASSES
    if isinstance(exc, asyncpg.exceptions._base.DataError):
        return False
    if isinstance(exc, asyncpg.InterfaceError | asyncpg.exceptions._base.InternalClientError):
        # The client's side of a connection that broke under it ("connection is closed",
        # "cannot switch to state ..." after the server killed the backend).
        return True
    if isinstance(exc, sqlite3.Error):
        return _sqlite_code(exc) in _SQLITE_TEMPORARY_CODES
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    return isinstance(exc, OSError) and exc.errno in _NETWORK_ERRNOS


def is_unique_violation(exc: BaseException) -> bool:
    """A unique or primary-key constraint refused the row (two writers racing on one key)."""
    if isinstance(exc, asyncpg.UniqueViolationError):
        return True
    if isinstance(exc, sqlite3.IntegrityError):
        code = getattr(exc, "sqlite_errorcode", None)
        return code in _SQLITE_UNIQUE_CODES
    return False


def temporary_cause(exc: BaseException) -> BaseException | None:
    """The temporary database fault in exc or its chain of causes, if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if is_temporary_fault(current):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
