"""A Piccolo PostgreSQL engine whose transactions always give their connection back.

Piccolo 1.x's PostgresTransaction releases its pooled connection only after a successful
BEGIN and a successful COMMIT/ROLLBACK. When the server drops the connection (restart,
failover, `pg_terminate_backend`), BEGIN or ROLLBACK raises and the connection is never
released: each such request leaks one pool slot until the pool is empty and every later
request waits forever. Here a transaction whose connection failed terminates it and releases
it in all cases, so the pool replaces it with a fresh one and the request answers 503.
"""

from __future__ import annotations

from typing import Any

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction


class ReleasingTransaction(PostgresTransaction):
    """PostgresTransaction that releases (and, when broken, terminates) its connection."""

    __slots__ = ()

    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()
        try:
            self.transaction = self.connection.transaction()
            await self.begin()
        except BaseException:
            await self._give_back(broken=True)
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        broken = False
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            broken = True
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._give_back(broken=broken)
        return exception is None

    async def _give_back(self, *, broken: bool) -> None:
        if broken:
            # Its state is unknown (the server may have dropped it mid-statement): a pool
            # must not hand it out again.
            self.connection.terminate()
        if self.engine.pool:
            await self.engine.pool.release(self.connection)
        elif not broken:
            await self.connection.close()


class ReleasingPostgresEngine(PostgresEngine):
    """PostgresEngine whose transactions are ReleasingTransactions."""

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return ReleasingTransaction(engine=self, allow_nested=allow_nested)
