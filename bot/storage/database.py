"""The one SQLite connection of the process, with migrations applied on open."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.storage.migrations import MIGRATIONS, Migration

log = logging.getLogger(__name__)

# How long a write waits for another process's write to finish (the connection's busy timeout
# covers 5 s of it; longer waits are retried here, since ``BEGIN IMMEDIATE`` has changed nothing yet).
WRITE_PATIENCE = 60.0
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)

T = TypeVar("T")


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
        # Held by a transaction() for its whole length (several trips to the thread): other transactions queue
        # here, and atomically() waits for it before handing its one-trip transaction over.
        self._tx_lock = asyncio.Lock()
        self._tx_owner: asyncio.Task[Any] | None = None

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
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception; one at a time per connection, one trip to
        the connection's thread per statement. Another process's write is waited for, up to
        :data:`WRITE_PATIENCE` seconds."""
        async with self._tx_lock:
            self._tx_owner = asyncio.current_task()
            try:
                await self._patiently(lambda: self._on_thread(_begin))
                try:
                    yield self.conn
                except BaseException:
                    await self.conn.execute("ROLLBACK")
                    raise
                else:
                    await self.conn.execute("COMMIT")
            finally:
                self._tx_owner = None

    async def atomically(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(conn)`` inside ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back if it raises), all of it on the
        connection's thread: one trip to that thread and back, where :meth:`transaction` makes one per statement,
        and every trip wakes the event loop. For writes of a few statements on a busy path (a quiz answer).
        ``work`` holds the connection's thread: SQL and quick computing only. Lock waits as in
        :meth:`transaction`. Once handed over, the write lands even if the caller is cancelled meanwhile.

        These need no turn at the write lock: the thread runs what it is given in order, so several are handed
        over at once and run back to back, where taking turns would cost a pass of the event loop each. Only a
        :meth:`transaction` in progress (statements on several trips) is waited for; calling this inside one's
        own would wait forever, so it raises."""
        if self._tx_owner is not None and self._tx_owner is asyncio.current_task():
            raise RuntimeError("atomically() inside this task's own transaction(): use the transaction's connection")

        async def attempt() -> T:
            while self._tx_lock.locked():
                async with self._tx_lock:
                    pass
            # Handed to the thread before the first await, so no transaction can begin in between.
            return await self._on_thread(_atomically, work)

        return await self._patiently(attempt)

    async def _patiently(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """``attempt()`` again while it finds another process writing (then it changed nothing), up to
        :data:`WRITE_PATIENCE` seconds."""
        deadline = time.monotonic() + WRITE_PATIENCE
        while True:
            try:
                return await attempt()
            except _LockWait as wait:
                if time.monotonic() >= deadline:
                    raise wait.busy from None
                log.info("the state file is busy with another process's write: waiting")
                await asyncio.sleep(0.05)

    async def _on_thread(self, job: Callable[..., T], *args: Any) -> T:
        # aiosqlite (pinned) has no public way to run a function on its thread; execute_fetchall and the rest are
        # built on this one. The job is queued before the first await.
        return await self.conn._execute(job, self.conn, *args)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        # One hop to aiosqlite's thread (execute, fetch and close there), not three.
        return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """The first row, in one hop like :meth:`fetchall` (for statements that give a row or a few)."""
        rows = await self.conn.execute_fetchall(sql, tuple(params))
        return next(iter(rows), None)

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        """One statement, as a write transaction of its own (never inside another coroutine's open one)."""
        values = tuple(params)
        await self.atomically(lambda conn: conn.execute(sql, values))

    async def get_meta(self, key: str) -> str | None:
        row = await self.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    async def close(self) -> None:
        await self.conn.close()


class _LockWait(Exception):
    """``BEGIN IMMEDIATE`` found another connection writing: nothing was done, try again."""

    def __init__(self, busy: sqlite3.OperationalError) -> None:
        super().__init__(str(busy))
        self.busy = busy  # SQLite's own error, raised once patience runs out


def _begin(conn: aiosqlite.Connection) -> None:
    """On the connection's thread: ``BEGIN IMMEDIATE``.

    A transaction already open here was left behind: jobs that begin one run only while no
    :meth:`Database.transaction` holds the write lock, and every other transaction starts and ends within one job.
    That is a ``transaction()`` cancelled while its own ``BEGIN`` waited for another process (the ``BEGIN`` still
    ran, after the task had gone): nothing was written in it, and it must not block every later write."""
    raw = conn._conn
    if raw.in_transaction:
        log.warning("a transaction was left open by a cancelled task: rolled back (it had written nothing)")
        raw.execute("ROLLBACK")
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_lock_wait(exc):
            raise _LockWait(exc) from exc
        raise


def _atomically(conn: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """On the connection's thread: one write transaction around ``work``."""
    raw = conn._conn
    _begin(conn)
    try:
        result = work(raw)
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise
    return result


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
