"""The notes index: built from ``*.md`` into the state file (aiosqlite), searched on a read thread.

Building streams parsed sections into SQLite in batches, all in one write transaction, so a
search running meanwhile sees the old index until the new one is complete. Searching
(:mod:`bot.notes.search`) runs whole on :class:`~bot.notes.reader.Reader`'s thread — one hop
per query. Memory holds only small things (symbol names, topics, a capped typo word list);
term frequencies, the vocabulary and the notes themselves stay in SQLite.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar, cast

from bot.notes import NotesError
from bot.notes.forms import FORMS_SUFFIX, forms_rows
from bot.notes.glossary import Correction, load_corrections
from bot.notes.lexicon import Language
from bot.notes.memo import remember
from bot.notes.parser import Section, parse_markdown
from bot.notes.query import may_retype
from bot.notes.reader import Reader
from bot.notes.results import EntryPlace, Hit, IndexStats, SearchResult, SectionView
from bot.notes.rows import RowMaker, heading_key, symbol_key
from bot.notes.schema import DROP_INDEX_TABLES, INDEX_TABLES
from bot.notes.search import (
    BUILD_META,
    COUNT_META,
    Memory,
    current_build,
    entry,
    load_memory,
    named,
    retyped,
    search,
    section,
)
from bot.storage import Database
from bot.storage.database import is_lock_wait, split_sql

__all__ = ["Hit", "IndexStats", "NotesIndex", "SearchResult", "SectionView", "heading_key", "symbol_key"]

log = logging.getLogger(__name__)

HASH_META = "notes.hash"
# How often a search may look at the notes folder for edits (a stat of each file; cheap, but not per query).
FOLLOW_EVERY = 2.0
# For this long after the reader last saw which build the state file holds, a question asked again is answered
# from the kept results on the event loop, without a trip to the reader's thread: a rebuild by this process
# replaces the memory at once, one by another process (`python -m bot index`) is seen within this time.
BUILD_TRUSTED_FOR = 1.0
READS_KEPT = 4000  # search results, entries, names and sections kept per build (each a few KB at most)
T = TypeVar("T")
_UNREAD = object()  # a read not kept (None is a result: "no such entry")
# Part of the notes hash: a new index layout rebuilds state files made by an older version.
INDEX_FORMAT = "4"
BATCH_ROWS = 2000
_FTS_SHADOW_TABLES = ("notes_fts_data", "notes_fts_idx", "notes_fts_docsize", "notes_fts_config",
                      "notes_fts_content")
_UPSERT_META = (
    "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
)


class NotesIndex:
    """The notes, indexed in the state file. Build with :meth:`open`; :meth:`close` ends its thread."""

    def __init__(self, db: Database, notes_dir: Path, data_dir: Path) -> None:
        self.db = db
        self.notes_dir = notes_dir
        self.data_dir = data_dir
        self.language = Language()
        self.corrections: list[Correction] = []
        self._memory = Memory()
        self._build_seen_at = float("-inf")  # when the reader last checked self._memory.build (monotonic)
        self._reader = Reader(db.path)
        self._finalizer = weakref.finalize(self, self._reader.close)
        self._build_lock = asyncio.Lock()
        self._builds = 0
        self._looked_at = time.monotonic()
        self._seen: tuple[tuple[str, int, int], ...] | None = self._signature()

    # opening and building ------------------------------------------------------------------------

    @classmethod
    async def open(cls, db: Database, notes_dir: Path, data_dir: Path) -> NotesIndex:
        index = cls(db, Path(notes_dir), Path(data_dir))
        try:
            index.language = Language.load(index.data_dir)
            index.corrections = load_corrections(index.data_dir / "corrections.yaml")
            files = index._read_files()
            if await db.get_meta(HASH_META) == _digest(files) and await index._healthy():
                await index._refresh()
            else:
                # Processes starting together on a new state file: the first builds, the rest find it built.
                await index._build(files, only_if_stale=True)
        except BaseException:
            index.close()
            raise
        return index

    def close(self) -> None:
        """Stop the read thread and close its connection (the aiosqlite writer is the core's)."""
        self._finalizer()

    def _read_files(self) -> list[tuple[str, bytes]]:
        folder = self.notes_dir
        if not folder.is_dir():
            raise NotesError(f"notes folder not found: {folder}")
        paths = sorted(p for p in folder.glob("*.md") if p.is_file() or not p.exists())
        paths += sorted(p for p in folder.glob(f"*{FORMS_SUFFIX}") if p.with_name(
            p.name.removesuffix(FORMS_SUFFIX) + ".md") in paths)
        if not paths:
            raise NotesError(f"no *.md notes files in {folder}")
        files: list[tuple[str, bytes]] = []
        for path in paths:
            try:
                data = path.read_bytes()
                data.decode("utf-8")
            except OSError as exc:
                raise NotesError(f"cannot read notes file {path}: {exc.strerror or exc}") from exc
            except UnicodeDecodeError as exc:
                raise NotesError(f"notes file {path} is not UTF-8 text: {exc.reason}") from exc
            files.append((path.name, data))
        return files

    async def _healthy(self, thorough: bool = False) -> bool:
        """The index tables exist and agree with each other; ``thorough`` also runs FTS5's integrity check
        (a write statement, so it waits for the write lock). Waiting for another process's write is not
        damage: :func:`~bot.storage.database.is_lock_wait` errors propagate."""
        try:
            if thorough:
                async with self.db.transaction() as conn:
                    await conn.execute("INSERT INTO notes_fts(notes_fts) VALUES('integrity-check')")
            expected = await self.db.get_meta(COUNT_META)
            row = await self.db.fetchone("SELECT count(*) FROM notes_docs")
            if row is None or expected is None or int(row[0]) != int(expected):
                return False
            await self.db.fetchone("SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'docker' LIMIT 1")
            row = await self.db.fetchone("SELECT count(*) FROM notes_fts_docsize")
            return row is not None and int(row[0]) == int(expected)
        except sqlite3.DatabaseError as exc:
            if is_lock_wait(exc):
                raise
            log.warning("notes index damaged (%s)", exc)
            return False

    async def rebuild(self) -> IndexStats:
        """Re-read every notes file and rebuild the index (``!reindex``, ``python -m bot index``)."""
        self.language = Language.load(self.data_dir, self.language.reference_words)
        self.corrections = load_corrections(self.data_dir / "corrections.yaml")
        return await self._build(self._read_files())

    async def _build(self, files: list[tuple[str, bytes]], only_if_stale: bool = False) -> IndexStats:
        async with self._build_lock:
            started = time.perf_counter()
            maker = RowMaker()
            try:
                built = await self._write(files, maker, only_if_stale)
            except sqlite3.DatabaseError as exc:
                if is_lock_wait(exc):
                    raise
                # A virtual table whose shadow tables lost their structure cannot be dropped
                # ("vtable constructor failed"): remove it from the schema, then build again.
                log.warning("cannot replace damaged notes_fts (%s): removing it from the schema", exc)
                await self._remove_fts()
                maker = RowMaker()
                built = await self._write(files, maker, only_if_stale=False)
            if built:
                self._builds += 1
            await self._refresh()
            return IndexStats(files=sum(1 for name, _ in files if name.endswith(".md")), sections=maker.sections,
                              entries=maker.entries,
                              seconds=time.perf_counter() - started)

    async def _write(self, files: list[tuple[str, bytes]], maker: RowMaker, only_if_stale: bool) -> bool:
        """Replace the index tables in one transaction, streaming rows in batches. With ``only_if_stale``,
        an index that another process built from these same files meanwhile is kept. True if written."""
        digest = _digest(files)
        async with self.db.transaction() as conn:
            if only_if_stale and await self.db.get_meta(HASH_META) == digest and await self._healthy():
                return False
            log.info("notes changed or index missing: building the index")
            for statement in split_sql(DROP_INDEX_TABLES) + split_sql(INDEX_TABLES):
                await conn.execute(statement)
            docs: list[tuple] = []
            fts: list[tuple] = []
            for doc_row, fts_row in _rows(files, maker):
                docs.append(doc_row)
                fts.append(fts_row)
                if len(docs) >= BATCH_ROWS:
                    await _flush(conn, docs, fts)
            await _flush(conn, docs, fts)
            await conn.executemany("INSERT INTO notes_forms(doc_id, ord, text) VALUES (?,?,?)",
                                   forms_rows(files, maker.keys))
            await conn.executemany("INSERT INTO notes_terms(term, df) VALUES (?,?)", maker.df.items())
            await conn.executemany("INSERT INTO notes_chunks(chunk) VALUES (?)", ((c,) for c in maker.chunks))
            await conn.executemany("INSERT INTO notes_names(kind, key, total, first, ids) VALUES (?,?,?,?,?)",
                                   maker.name_rows())
            await conn.execute("DELETE FROM notes_files")
            await conn.executemany(
                "INSERT INTO notes_files(file, sha256, size) VALUES (?,?,?)",
                [(name, hashlib.sha256(data).hexdigest(), len(data)) for name, data in files],
            )
            await conn.execute(_UPSERT_META, (HASH_META, digest))
            await conn.execute(_UPSERT_META, (COUNT_META, str(maker.docs)))
            await conn.execute(_UPSERT_META, (BUILD_META, uuid.uuid4().hex))
        return True

    async def _remove_fts(self) -> None:
        """Drop a notes_fts that cannot be constructed, under the write lock and only if it is still broken
        (another process may have rebuilt it meanwhile)."""
        async with self.db.transaction() as conn:
            try:
                await conn.execute("SELECT rowid FROM notes_fts LIMIT 1")
                return
            except sqlite3.DatabaseError as exc:
                if is_lock_wait(exc):
                    raise
            await conn.execute("PRAGMA writable_schema = ON")
            try:
                await conn.execute("DELETE FROM sqlite_master WHERE type = 'table' AND name = 'notes_fts'")
            finally:
                await conn.execute("PRAGMA writable_schema = RESET")
            for shadow in _FTS_SHADOW_TABLES:
                await conn.execute(f"DROP TABLE IF EXISTS {shadow}")

    async def _refresh(self) -> None:
        self._memory = await self._reader.run(load_memory, self.language)

    def _memory_for(self, conn: sqlite3.Connection) -> Memory:
        """The memory that matches the index this read transaction sees (reloaded after a rebuild,
        including one made by another process such as ``python -m bot index``)."""
        memory = self._memory
        if current_build(conn) != memory.build:
            memory = self._memory = load_memory(conn, self.language)
        self._build_seen_at = time.monotonic()
        return memory

    # queries ---------------------------------------------------------------------------------------

    def topics(self) -> list[str]:
        """Section paths in file order (``Dockerfile › command``)."""
        return list(self._memory.topics)

    def _signature(self) -> tuple[tuple[str, int, int], ...] | None:
        """(name, mtime, size) of each notes file: a change means an edit worth hashing."""
        try:
            return tuple(sorted(
                (p.name, (st := p.stat()).st_mtime_ns, st.st_size)
                for pattern in ("*.md", f"*{FORMS_SUFFIX}") for p in self.notes_dir.glob(pattern)
            ))
        except OSError:
            return None

    async def follow_notes(self) -> bool:
        """Rebuild when a notes file was edited, added or removed since the last look (at most every
        :data:`FOLLOW_EVERY` seconds). A folder that became unreadable keeps the old index. True if rebuilt."""
        now = time.monotonic()
        if now - self._looked_at < FOLLOW_EVERY:
            return False
        self._looked_at = now
        signature = self._signature()
        if signature == self._seen:
            return False
        self._seen = signature
        try:
            files = self._read_files()
        except NotesError as exc:
            log.warning("notes changed but cannot be read, keeping the current index: %s", exc)
            return False
        if await self.db.get_meta(HASH_META) == _digest(files):
            return False
        log.info("a notes file changed: rebuilding the index")
        await self._build(files)
        return True

    async def search(self, query: str, limit: int = 5) -> SearchResult:
        await self.follow_notes()
        key = ("search", query, limit)  # nobody changes a result once made

        def read(conn: sqlite3.Connection, memory: Memory) -> SearchResult:
            return search(conn, memory, self.language, query, limit)

        builds = self._builds
        try:
            return await self._read(key, read)
        except sqlite3.DatabaseError as exc:
            if is_lock_wait(exc):
                raise NotesError("the notes index is busy with another process: try again in a moment") from exc
            # Rebuilt from the notes only if an integrity check finds damage (and no rebuild happened meanwhile).
            log.warning("notes index failed (%s): checking it", exc)
            async with self._build_lock:
                rebuilt = self._builds != builds
            if not rebuilt and await self._healthy(thorough=True):
                raise
            if not rebuilt:
                await self.rebuild()
            return await self._read(key, read)

    async def retyped(self, text: str) -> str:
        """``text`` with words typed in the wrong keyboard layout read as meant (``ehzj`` → 도커) and a command typed
        after `docker` with a slip mended (``dokcer imgaes``); most questions have no word that could be either,
        and are given back without asking the index."""
        if not may_retype(text):
            return text
        return await self._read(("retyped", text), lambda conn, memory: retyped(conn, memory, self.language, text))

    async def entry(self, place: EntryPlace) -> SearchResult | None:
        """The entry at ``place`` as a found result, or None when the notes no longer hold it."""
        return await self._read(("entry", place), lambda conn, memory: entry(conn, memory, self.language, place))

    async def named(self, symbol: str) -> SearchResult | None:
        """The entry named exactly ``symbol`` (`exec`, `CMD`), or None when the notes hold no such name."""
        return await self._read(("named", symbol), lambda conn, memory: named(conn, memory, self.language, symbol))

    async def _read(self, key: tuple[object, ...], read: Callable[[sqlite3.Connection, Memory], T]) -> T:
        """``read`` on the reader thread, kept with the build: asked again while the build is trusted, it is
        answered on the event loop, without a trip to the reader thread (members ask the same things)."""
        if time.monotonic() - self._build_seen_at < BUILD_TRUSTED_FOR:
            # One lookup: the reader thread may replace the memory, or drop the oldest read, at any moment.
            kept = self._memory.reads.get(key, _UNREAD)
            if kept is not _UNREAD:
                return cast(T, kept)

        def run(conn: sqlite3.Connection) -> T:
            memory = self._memory_for(conn)
            kept = memory.reads.get(key, _UNREAD)
            if kept is not _UNREAD:
                return cast(T, kept)
            return remember(memory.reads, key, read(conn, memory), READS_KEPT)

        return await self._reader.run(run)

    def corrections_for(self, hit: Hit, lang: str) -> list[str]:
        """Curated corrections that apply to this note (shown beside it, never instead of it)."""
        return [c.text(lang) for c in self.corrections if c.applies(hit.symbol, hit.raw)]

    async def section(self, file: str, section_path: str) -> SectionView:
        """A whole section with its entries (every answer shows where it sits; ``!explain -v`` all of it)."""
        return await self._read(("section", file, section_path), lambda conn, _: section(conn, file, section_path))


def _rows(files: list[tuple[str, bytes]], maker: RowMaker) -> Iterator[tuple[tuple, tuple]]:
    for name, data in files:
        if not name.endswith(".md"):
            continue
        sections: list[Section] = parse_markdown(data.decode("utf-8"), name)
        for one in sections:
            yield from maker.rows(one)


async def _flush(conn: object, docs: list[tuple], fts: list[tuple]) -> None:
    if not docs:
        return
    await conn.executemany(  # type: ignore[attr-defined]
        "INSERT INTO notes_docs(id, file, section, section_ord, ord, kind, symbol, symbol_key,"
        " heading_key, raw, terms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        docs,
    )
    await conn.executemany(  # type: ignore[attr-defined]
        "INSERT INTO notes_fts(rowid, symbol, heading, body, chunks) VALUES (?,?,?,?,?)", fts
    )
    docs.clear()
    fts.clear()


def _digest(files: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256(f"index-format-{INDEX_FORMAT}\0".encode())
    for name, data in files:
        h.update(name.encode())
        h.update(b"\0")
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()
