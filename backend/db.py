"""The database engine (SQLite by default, PostgreSQL by URL), transactions and migrations."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "backend.piccolo_conf")

from piccolo.columns import JSON, JSONB, Column
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from backend.settings import Settings, get_settings
from backend.sqlite_pool import PooledSQLiteEngine


def engine_for(settings: Settings) -> Engine:
    """Build the Piccolo engine that settings.database_url names."""
    if settings.is_postgres:
        return PostgresEngine(config={"dsn": settings.database_url})
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
    elif isinstance(engine, SQLiteEngine):
        # WAL lets readers go on while one writer commits; it persists in the file.
        await engine.run_ddl("PRAGMA journal_mode=WAL")


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
)


async def ensure_indexes() -> None:
    engine = current_engine()
    for name, table, columns in COMPOSITE_INDEXES:
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


async def analyze() -> None:
    """Refresh the query planner's statistics (after bulk loads)."""
    await current_engine().run_ddl("ANALYZE")


async def migrate() -> list[str]:
    """Apply every pending migration of every app and the composite indexes."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")
    await ensure_indexes()
    return [result.message] if result.message else []
