"""A read-only SQLite connection to the state file, used from one worker thread.

A search runs several statements; through aiosqlite each would be its own hop to its thread and
back (~0.1-0.2 ms each). Here the whole search — every statement plus the Python scoring between
them — is one function run on a dedicated thread, inside one read transaction, so it sees one
consistent snapshot. In WAL mode readers never block the aiosqlite writer (or the other way), and
each new read transaction sees the latest commit, so a rebuild is visible to the next search.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from bot.notes import NotesError

T = TypeVar("T")


class Reader:
    """One thread, one connection; :meth:`run` calls ``fn(connection, *args)`` there."""

    def __init__(self, path: Path) -> None:
        if str(path) == ":memory:":
            raise NotesError("the notes index needs a state file on disk, not :memory:")
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notes-reader")
        # Made here, used only on the executor's single thread (hence check_same_thread=False).
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA query_only = ON")
        self._conn.execute("PRAGMA busy_timeout = 5000")
        self._conn.execute("PRAGMA cache_size = -8000")  # 8 MB of pages at most
        self._closed = False

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if self._closed:
            raise NotesError("the notes index is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, fn, args)

    def _call(self, fn: Callable[..., T], args: tuple[object, ...]) -> T:
        conn = self._conn
        conn.execute("BEGIN")
        try:
            return fn(conn, *args)
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def close(self) -> None:
        """Finish queued reads, then close the connection (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        # A garbage-collection finalizer may run this on the reader thread itself, which cannot join itself.
        on_reader_thread = threading.current_thread().name.startswith("notes-reader")
        self._executor.shutdown(wait=not on_reader_thread)
        if on_reader_thread:
            return  # the connection closes with the thread's last reference
        self._conn.close()
