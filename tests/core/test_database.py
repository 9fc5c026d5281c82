"""Database.atomically: a write transaction in one trip to the connection's thread."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.migrations import Migration

TABLE = (Migration("t", "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL);"),)


async def _open(tmp_path: Path) -> Database:
    return await Database.open(tmp_path / "s.sqlite3", TABLE)


async def _rows(db: Database) -> list[tuple[str, int]]:
    """What another process sees: only committed rows."""
    assert not db.conn.in_transaction
    with sqlite3.connect(db.path) as other:
        return [(str(r[0]), int(r[1])) for r in other.execute("SELECT k, v FROM t ORDER BY k")]


async def test_every_statement_lands_and_the_result_comes_back(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        def write(conn: sqlite3.Connection) -> int:
            conn.execute("INSERT INTO t VALUES ('a', 1)")
            return int(conn.execute("INSERT INTO t VALUES ('b', 2)").lastrowid or 0)

        assert await db.atomically(write) == 2
        assert await _rows(db) == [("a", 1), ("b", 2)]
    finally:
        await db.close()


async def test_a_failure_part_way_stores_nothing_and_the_connection_goes_on(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        def half(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO t VALUES ('a', 1)")
            conn.execute("INSERT INTO t VALUES ('a', 2)")  # the key is taken: the whole write is undone

        with pytest.raises(sqlite3.IntegrityError):
            await db.atomically(half)
        assert await _rows(db) == []
        await db.atomically(lambda conn: conn.execute("INSERT INTO t VALUES ('c', 3)"))
        assert await _rows(db) == [("c", 3)]
    finally:
        await db.close()


async def test_it_never_runs_inside_another_coroutines_open_transaction(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
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
    finally:
        await db.close()


async def test_another_process_writing_is_waited_out(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        await db.conn.execute("PRAGMA busy_timeout=50")  # so the wait outlasts SQLite's own
        holder = sqlite3.connect(tmp_path / "s.sqlite3", isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO t VALUES ('first', 1)")
        releaser = threading.Timer(0.5, lambda: (holder.execute("COMMIT"), holder.close()))
        releaser.start()
        try:
            await db.atomically(lambda conn: conn.execute("INSERT INTO t VALUES ('second', 2)"))
        finally:
            releaser.join()
        assert await _rows(db) == [("first", 1), ("second", 2)]
    finally:
        await db.close()


async def test_a_transaction_cancelled_while_waiting_to_begin_does_not_block_later_writes(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        await db.conn.execute("PRAGMA busy_timeout=300")
        holder = sqlite3.connect(tmp_path / "s.sqlite3", isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another process writing

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
    finally:
        await db.close()


async def test_it_refuses_to_run_inside_its_own_tasks_transaction(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:
        with pytest.raises(RuntimeError, match="own transaction"):
            async with asyncio.timeout(2), db.transaction():  # (a timeout, not a new task: it is this task's)
                await db.execute("INSERT INTO t VALUES ('x', 1)")
        assert await _rows(db) == []
    finally:
        await db.close()
