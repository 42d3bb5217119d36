"""A Piccolo SQLite engine that reuses its connections.

Piccolo's SQLiteEngine opens a new aiosqlite connection (a new thread and file handle) for
every query outside a transaction and for every transaction: about 3 ms each on our 2-core
machine, more than the queries themselves. This engine keeps idle connections and hands them
out again. Connections are in autocommit mode outside transactions (isolation_level=None), so
a reused connection always reads the latest committed state; a connection that fails in a way
that could leave it inside a transaction is closed instead of being returned.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

IDLE_CONNECTIONS = 32


def _fetch_all(connection: sqlite3.Connection, query: str, args: list[Any]) -> list[Any]:
    """Run one statement and fetch its rows, in the connection's thread: one hand-over
    between the event loop and that thread per query. aiosqlite's cursor API takes three
    or four (execute, fetchall, close, and Piccolo's pragma), each a wake-up of the loop."""
    cursor = connection.execute(query, args)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


class PooledSQLiteTransaction(SQLiteTransaction):
    """A transaction whose connection goes back to the engine's pool afterwards."""

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        engine: PooledSQLiteEngine = self.engine  # type: ignore[assignment]
        healthy = True
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            healthy = False
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
            await engine.release(self.connection, healthy=healthy)
        return exception is None


class PooledSQLiteEngine(SQLiteEngine):
    """SQLiteEngine with a pool of idle connections."""

    __slots__ = ("_idle",)

    def __init__(self, path: str = "piccolo.sqlite", **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._idle: list[aiosqlite.Connection] = []

    async def _new_connection(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # An idle pooled connection must not keep the process alive at exit; it holds no
        # uncommitted work (it is only pooled outside transactions).
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def get_connection(self) -> aiosqlite.Connection:  # type: ignore[override]
        while self._idle:
            connection = self._idle.pop()
            if connection._running and connection._connection is not None:
                return connection
        return await self._new_connection()

    async def release(self, connection: aiosqlite.Connection, *, healthy: bool = True) -> None:
        """Return a connection to the pool, or close it when it may be in a bad state."""
        in_tx = False
        try:
            in_tx = bool(connection._connection and connection._connection.in_transaction)
        except sqlite3.ProgrammingError:
            healthy = False
        if healthy and not in_tx and len(self._idle) < IDLE_CONNECTIONS:
            self._idle.append(connection)
            return
        try:
            await connection.close()
        except Exception:  # already broken; nothing more to do
            pass

    async def close_all(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            try:
                await connection.close()
            except Exception:
                pass

    @asynccontextmanager
    async def _borrowed(self) -> AsyncIterator[aiosqlite.Connection]:
        """A pooled connection for one query outside a transaction; a connection that failed
        with an OperationalError is closed rather than pooled again."""
        connection = await self.get_connection()
        healthy = True
        try:
            yield connection
        except sqlite3.OperationalError:
            healthy = False
            raise
        finally:
            await self.release(connection, healthy=healthy)

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        async with self._borrowed() as connection:
            if query_type == "insert" and self.get_version_sync() < 3.35:
                # No RETURNING before SQLite 3.35: Piccolo's way of finding the new key.
                async with connection.execute(query, args or []) as cursor:
                    pk = await self._get_inserted_pk(cursor, table)
                    return [{table._meta.primary_key._meta.db_column_name: pk}]
            # Autocommit outside transactions (isolation_level=None): nothing to commit.
            return await connection._execute(_fetch_all, connection._conn, query, args or [])

    async def _run_in_existing_connection(
        self,
        connection: aiosqlite.Connection,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if query_type == "insert" and self.get_version_sync() < 3.35:
            return await super()._run_in_existing_connection(
                connection, query, args, query_type, table
            )
        # Our connections have foreign keys on from the start (Piccolo sets the pragma again
        # before every query of a transaction, where SQLite ignores it anyway).
        return await connection._execute(_fetch_all, connection._conn, query, args or [])

    def transaction(  # type: ignore[override]
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> PooledSQLiteTransaction:
        return PooledSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )
