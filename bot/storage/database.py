"""The one SQLite connection of the process, with migrations applied on open."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.migrations import MIGRATIONS, Migration

log = logging.getLogger(__name__)

# How long a write waits for another process's write to finish (the connection's busy timeout
# covers 5 s of it; longer waits are retried here, since ``BEGIN IMMEDIATE`` has changed nothing yet).
WRITE_PATIENCE = 60.0
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def is_lock_wait(exc: BaseException) -> bool:
    """True for "database is locked/busy": another connection is writing, nothing is damaged."""
    return isinstance(exc, sqlite3.OperationalError) and (exc.sqlite_errorcode & 0xFF) in _BUSY_CODES


class Database:
    """A thin owner of one aiosqlite connection.

    aiosqlite runs every statement on its own thread, so queries never block the
    event loop; one connection serialises writes, which SQLite needs anyway.
    Use :meth:`transaction` for writes that must land together.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        # One connection means one transaction at a time: coroutines queue here instead of colliding.
        self._tx_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str, migrations: Iterable[Migration] = MIGRATIONS) -> Database:
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path)
        try:
            await conn.execute("PRAGMA busy_timeout=5000")  # first: switching to WAL may wait for another process
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await db._migrate(list(migrations))
        except BaseException:
            await conn.close()
            raise
        return db

    async def _migrate(self, migrations: list[Migration]) -> None:
        if await self._user_version() >= len(migrations):
            return
        # Under the write lock: processes starting together on a new file migrate it once, in turn.
        async with self.transaction():
            current = await self._user_version()
            for version, migration in enumerate(migrations, start=1):
                if version <= current:
                    continue
                log.info("applying migration %d (%s)", version, migration.name)
                for statement in split_sql(migration.sql):
                    await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version = {int(version)}")

    async def _user_version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception; one at a time per connection.

        Another process's write is waited for, up to :data:`WRITE_PATIENCE` seconds."""
        async with self._tx_lock:
            await self._patiently("BEGIN IMMEDIATE", ())
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def _patiently(self, sql: str, params: tuple[Any, ...]) -> None:
        """Run a statement that changes nothing when it fails to get the lock, retrying lock waits."""
        deadline = time.monotonic() + WRITE_PATIENCE
        while True:
            try:
                await self.conn.execute(sql, params)
                return
            except sqlite3.OperationalError as exc:
                if not is_lock_wait(exc) or time.monotonic() >= deadline:
                    raise
                log.info("the state file is busy with another process's write: waiting")
                await asyncio.sleep(0.05)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        # One hop to aiosqlite's thread (execute, fetch and close there), not three.
        return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """The first row, in one hop like :meth:`fetchall` (for statements that give a row or a few)."""
        rows = await self.conn.execute_fetchall(sql, tuple(params))
        return next(iter(rows), None)

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        """One statement; outside a transaction it is atomic on its own, so lock waits are retried."""
        if self.conn.in_transaction:
            await self.conn.execute(sql, tuple(params))
        else:
            await self._patiently(sql, tuple(params))

    async def get_meta(self, key: str) -> str | None:
        row = await self.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    async def close(self) -> None:
        await self.conn.close()


def split_sql(script: str) -> list[str]:
    """Split a migration into statements (``sqlite3.complete_statement`` knows about triggers)."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
