"""Database.atomically: a write transaction in one trip to the connection's thread."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.migrations import Migration

TABLE = (Migration("t", "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL);"),)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(tmp_path / "s.sqlite3", TABLE)
    try:
        yield opened
    finally:
        await opened.close()


def _another_process_writing(db: Database) -> sqlite3.Connection:
    """A connection of "another process" holding the write lock until it commits."""
    holder = sqlite3.connect(db.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


async def _rows(db: Database) -> list[tuple[str, int]]:
    """What another process sees: only committed rows."""
    assert not db.conn.in_transaction
    with sqlite3.connect(db.path) as other:
        return [(str(r[0]), int(r[1])) for r in other.execute("SELECT k, v FROM t ORDER BY k")]


async def test_every_statement_lands_and_the_result_comes_back(db: Database) -> None:
    def write(conn: sqlite3.Connection) -> int:
        conn.execute("INSERT INTO t VALUES ('a', 1)")
        return int(conn.execute("INSERT INTO t VALUES ('b', 2)").lastrowid or 0)

    assert await db.atomically(write) == 2
    assert await _rows(db) == [("a", 1), ("b", 2)]


async def test_a_failure_part_way_stores_nothing_and_the_connection_goes_on(db: Database) -> None:
    def half(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO t VALUES ('a', 1)")
        conn.execute("INSERT INTO t VALUES ('a', 2)")  # the key is taken: the whole write is undone

    with pytest.raises(sqlite3.IntegrityError):
        await db.atomically(half)
    assert await _rows(db) == []
    await db.atomically(lambda conn: conn.execute("INSERT INTO t VALUES ('c', 3)"))
    assert await _rows(db) == [("c", 3)]


async def test_it_never_runs_inside_another_coroutines_open_transaction(db: Database) -> None:
    opened = asyncio.Event()

    async def rolled_back() -> None:
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO t VALUES ('mine', 1)")
                opened.set()
                await asyncio.sleep(0.1)  # the other write is asked for meanwhile
                raise RuntimeError("changed my mind")

    async def other() -> None:
        await opened.wait()
        await db.atomically(lambda conn: conn.execute("INSERT INTO t VALUES ('theirs', 2)"))

    await asyncio.gather(rolled_back(), other())
    assert await _rows(db) == [("theirs", 2)]  # not rolled back with the first one


async def test_another_process_writing_is_waited_out(db: Database) -> None:
    await db.conn.execute("PRAGMA busy_timeout=50")  # so the wait outlasts SQLite's own
    holder = _another_process_writing(db)
    holder.execute("INSERT INTO t VALUES ('first', 1)")
    loop = asyncio.get_running_loop()
    loop.call_later(0.5, lambda: (holder.execute("COMMIT"), holder.close()))
    await db.atomically(lambda conn: conn.execute("INSERT INTO t VALUES ('second', 2)"))
    assert await _rows(db) == [("first", 1), ("second", 2)]


async def test_a_transaction_cancelled_while_waiting_to_begin_does_not_block_later_writes(db: Database) -> None:
    await db.conn.execute("PRAGMA busy_timeout=300")
    holder = _another_process_writing(db)

    async def write() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES ('never', 0)")

    task = asyncio.create_task(write())
    await asyncio.sleep(0.1)  # its BEGIN is waiting on the thread
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    holder.execute("COMMIT")
    holder.close()
    await db.atomically(lambda conn: conn.execute("INSERT INTO t VALUES ('after', 1)"))
    await db.execute("INSERT INTO t VALUES ('later', 2)")
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO t VALUES ('last', 3)")
    assert await _rows(db) == [("after", 1), ("last", 3), ("later", 2)]


async def test_it_refuses_to_run_inside_its_own_tasks_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError, match="own transaction"):
        async with asyncio.timeout(2), db.transaction():  # (a timeout, not a new task: it is this task's)
            await db.execute("INSERT INTO t VALUES ('x', 1)")
    assert await _rows(db) == []
