"""Docker's reference as a second answer source: indexed once into the state file, searched with FTS5.

The index is derived data. A hash of the page list (names, sizes, mtimes) in meta ``reference.hash``
says whether the files changed since the last build; only then is it rebuilt, in one
``BEGIN IMMEDIATE`` transaction that checks the hash again, so processes sharing the state file
build it once between them and readers see the old index or the new one, never half of each.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import aiosqlite

from bot.notes.memo import remember
from bot.reference.pages import RefSection, read_pages, reference_files
from bot.reference.terms import fts_quote, index_terms, query_terms

if TYPE_CHECKING:  # bot.storage imports this package's schema through its migrations
    from bot.storage import Database

log = logging.getLogger(__name__)

HASH_KEY = "reference.hash"
GENERATION_KEY = "reference.generation"
# Answers are kept per generation of the index: a search asked again is answered from memory, and whether another
# process rebuilt the index is asked at most this often (each look is a trip to the state file's thread).
GENERATION_TRUSTED_FOR = 1.0
_KEPT = 2000
# Part of the hash: bump it when parsing or terms change so existing state files are rebuilt.
INDEX_VERSION = "3"

# Words of the reference that are not Docker words: CLI meta words, English function words and
# everyday verbs/nouns that happen to be flag or command names (--all, --name, docker wait). A caller
# routes a question to the reference when it names a Docker word the notes lack; these would route
# ordinary questions ("how long should I wait", "copy a file from …") to a wrong page.
GENERIC_WORDS = frozenset(
    {
        "cli", "docker", "help", "options", "usage", "description", "examples", "the", "a", "an", "and", "or",
        "of", "to", "in", "on", "for", "with", "from", "yes", "all", "use", "set", "add", "key", "name",
        "type", "time", "size", "file", "mode", "input", "output", "last", "local", "format", "filter",
        "force", "quiet", "verbose", "details", "message", "target", "scope", "role", "change", "remove",
        "group", "limit", "since", "until", "follow", "top", "wait", "human", "pretty", "debug",
        # everyday words that are also subcommand or flag names ("install packages", "leave out the url")
        "alias", "amend", "arch", "archive", "author", "availability", "compress", "demote",
        "device", "disable", "enable", "generate", "host", "init", "install", "interactive", "internal", "join",
        "latest", "leave", "os", "password", "platform", "progress", "promote", "publish",
        "purge", "revoke", "rotate", "scale", "shell", "sign", "signal", "token", "trust", "upgrade",
        "user", "username", "variant",
    }
)

# bm25 column weights: title, heading (with a page's keywords and one-line summary), body.
_RANK = "bm25(ref_fts, 10.0, 4.0, 1.0)"
_FLAG_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # a command's or a long flag's name, as typed
_SHORT_FLAG = re.compile(r"-[A-Za-z]")  # a one-letter flag, as typed
_CANDIDATES = 30


@dataclass(frozen=True, slots=True)
class RefHit:
    """One search result; ``doc_id`` fetches the section again (:meth:`ReferenceIndex.section`)."""

    page: str
    title: str
    heading: str
    summary: str
    usage: str
    body: str
    score: float
    doc_id: int = 0
    path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Lead:
    doc_id: int
    names: frozenset[str]


class ReferenceIndex:
    """Search over Docker's reference; empty (every search returns ``[]``) when the docs are absent."""

    def __init__(self, db: Database | None, root: Path | None) -> None:
        self.db = db
        self.root = root
        self._words: frozenset[str] = frozenset()
        self._leads: list[_Lead] = []
        self._generation: str | None = None
        self._generation_seen_at = float("-inf")  # monotonic time of the last look at GENERATION_KEY
        self._searches: dict[tuple[tuple[str, ...], int], list[RefHit]] = {}  # of this generation
        self._flags: dict[str, list[str]] = {}  # long flag → the pages listing it, of this generation
        self._groups: frozenset[str] = frozenset()  # commands with subcommands (`secret`), of this generation
        self._sections: dict[tuple[object, ...], RefHit | None] = {}  # page(), section(): of this generation

    @classmethod
    async def open(cls, db: Database, root: Path | None) -> ReferenceIndex:
        if root is None:
            log.info(
                "docker reference not found: !explain answers from the notes only; "
                "install Debian's docker-doc or set STUDYBOT_REFERENCE_DIR"
            )
            return cls(None, None)
        index = cls(db, root)
        await index.ensure_built()
        return index

    @property
    def available(self) -> bool:
        return self.db is not None

    def words(self) -> frozenset[str]:
        """Docker words of the reference: command names, long flags (no dashes), Dockerfile instructions."""
        return self._words

    # --- building ---

    async def ensure_built(self) -> bool:
        """Rebuild when the files changed since the last build; True when this call rebuilt."""
        rebuilt = await self._build_if_changed()
        await self._load()
        return rebuilt

    async def _build_if_changed(self) -> bool:
        assert self.db is not None and self.root is not None
        root = self.root
        digest = await asyncio.to_thread(files_hash, root)
        if await self.db.get_meta(HASH_KEY) == digest:
            return False
        started = time.perf_counter()
        sections = await asyncio.to_thread(read_pages, root)
        async with self.db.transaction() as conn:
            # Another process may have built the same files while this one was reading them.
            async with conn.execute("SELECT value FROM meta WHERE key = ?", (HASH_KEY,)) as cur:
                row = await cur.fetchone()
            if row is not None and row[0] == digest:
                return False
            await _write(conn, sections)
            async with conn.execute("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,)) as cur:
                row = await cur.fetchone()
            generation = int(row[0]) + 1 if row is not None else 1
            for key, value in ((HASH_KEY, digest), (GENERATION_KEY, str(generation))):
                await conn.execute(
                    "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
        log.info(
            "indexed %d docker reference sections from %s in %.2f s", len(sections), root, time.perf_counter() - started
        )
        return True

    async def _load(self) -> None:
        """The small in-memory part: the vocabulary and the names of lead sections."""
        assert self.db is not None
        self._generation = await self.db.get_meta(GENERATION_KEY)
        self._generation_seen_at = time.monotonic()
        self._searches, self._sections, self._flags = {}, {}, {}
        self._words = frozenset(str(row[0]) for row in await self.db.fetchall("SELECT word FROM ref_words"))
        rows = await self.db.fetchall("SELECT id, names FROM ref_docs WHERE lead = 1 AND names != ''")
        self._leads = [_Lead(int(row[0]), frozenset(str(row[1]).split())) for row in rows]
        pages = await self.db.fetchall("SELECT DISTINCT page FROM ref_docs WHERE instr(page, '_') > 0")
        self._groups = frozenset(str(row[0]).split("_", 1)[0] for row in pages)

    # --- searching ---

    async def search(self, words: Sequence[str], limit: int = 3) -> list[RefHit]:
        """The best sections for already-normalised words (["logs", "container"], ["healthcheck"]).

        bm25 over (title, heading, body) picks candidates; a section named after the words (the page
        ``logs`` for "logs", the HEALTHCHECK instruction for "healthcheck") then wins over sections that
        only mention them, and a page's first section over its subsections.
        """
        if self.db is None or limit <= 0:
            return []
        terms = query_terms(words)[:12]
        if not terms:
            return []
        await self._current()
        key = (tuple(terms), limit)
        kept = self._searches.get(key)
        if kept is None:
            kept = remember(self._searches, key, await self._search(terms, limit), _KEPT)
        return list(kept)

    async def _current(self) -> None:
        """Reload when another process rebuilt the index (doc ids changed), looking at most once a second."""
        assert self.db is not None
        if time.monotonic() - self._generation_seen_at < GENERATION_TRUSTED_FOR:
            return
        if await self.db.get_meta(GENERATION_KEY) != self._generation:
            await self._load()
        self._generation_seen_at = time.monotonic()

    async def _search(self, terms: list[str], limit: int) -> list[RefHit]:
        assert self.db is not None
        wanted = set(terms)
        query = " OR ".join(fts_quote(term) for term in terms)
        rows = await self.db.fetchall(
            f"SELECT rowid, {_RANK} FROM ref_fts WHERE ref_fts MATCH ? ORDER BY {_RANK} LIMIT ?",  # noqa: S608
            (query, _CANDIDATES),
        )
        scores = {int(row[0]): -float(row[1]) for row in rows}
        named = [lead.doc_id for lead in self._leads if lead.names & wanted and lead.doc_id not in scores]
        if named:
            marks = ",".join("?" * len(named))
            extra = await self.db.fetchall(
                f"SELECT rowid, {_RANK} FROM ref_fts WHERE ref_fts MATCH ? AND rowid IN ({marks})",  # noqa: S608
                (query, *named),
            )
            scores.update({int(row[0]): -float(row[1]) for row in extra})
        if not scores:
            return []
        ids = list(scores)
        marks = ",".join("?" * len(ids))
        coverage = dict.fromkeys(ids, 0)
        if len(terms) > 1:
            for term in terms:
                hits = await self.db.fetchall(
                    f"SELECT rowid FROM ref_fts WHERE ref_fts MATCH ? AND rowid IN ({marks})",  # noqa: S608
                    (fts_quote(term), *ids),
                )
                for row in hits:
                    coverage[int(row[0])] += 1
        else:
            coverage = dict.fromkeys(ids, 1)
        docs = {
            int(row["id"]): row
            for row in await self.db.fetchall(
                f"SELECT id, page, title, heading, path, summary, usage, body, names, lead "  # noqa: S608
                f"FROM ref_docs WHERE id IN ({marks})",
                ids,
            )
        }
        best = max(scores.values()) or 1.0
        ranked = [
            (_score(doc, wanted, coverage[doc_id] / len(terms), max(scores[doc_id], 0.0) / best), doc_id)
            for doc_id, doc in docs.items()
        ]
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return [_hit(docs[doc_id], score) for score, doc_id in ranked[:limit]]

    async def page(self, page: str, heading: str | None = None) -> RefHit | None:
        """A page's first section (``kill``), or its section with that heading (``builder``, ``HEALTHCHECK``)."""
        if self.db is None:
            return None
        db = self.db
        columns = "id, page, title, heading, path, summary, usage, body"

        async def fetch() -> sqlite3.Row | None:
            if heading is None:
                return await db.fetchone(
                    f"SELECT {columns} FROM ref_docs WHERE page = ? ORDER BY lead DESC, id LIMIT 1",  # noqa: S608
                    (page,),
                )
            return await db.fetchone(
                f"SELECT {columns} FROM ref_docs WHERE page = ? AND heading = ? COLLATE NOCASE "  # noqa: S608
                "ORDER BY id LIMIT 1", (page, heading),
            )

        return await self._kept_section(("page", page, heading), fetch)

    async def with_flag(self, flag: str) -> list[str]:
        """The command pages whose options list the long flag ``--flag`` (``restart``: create, run, update), or the
        one-letter flag ``flag`` written with its dash (``-m``: as typed, `-P` is no `-p`)."""
        short = _SHORT_FLAG.fullmatch(flag) is not None
        if self.db is None or not (short or _FLAG_NAME.fullmatch(flag)):
            return []
        await self._current()
        kept = self._flags.get(flag)
        if kept is None:
            # (a one-letter flag is listed as the options table lists it: "  -m, --memory bytes   Memory limit")
            needle = f"{flag}, --" if short else f"--{flag}"
            rows = await self.db.fetchall(
                "SELECT page, body FROM ref_docs WHERE lead = 1 AND page != 'builder' AND instr(body, ?) > 0 "
                "ORDER BY page", (needle,),
            )
            listed = re.compile(rf"(?m)^\s*{flag}, --" if short else rf"(?<![\w-])--{re.escape(flag)}(?![\w-])")
            kept = remember(self._flags, flag, [str(row[0]) for row in rows if listed.search(str(row[1]))], _KEPT)
        return list(kept)

    async def has_subcommands(self, command: str) -> bool:
        """Whether ``command`` is a group of subcommands (`secret`: `secret create`, `secret ls`, …)."""
        if self.db is None:
            return False
        await self._current()
        return command in self._groups

    async def named(self, word: str) -> RefHit | None:
        """The section named after ``word`` alone (the page ``history``, the ARG instruction), if one is."""
        wanted = frozenset((word,))
        doc_id = next((lead.doc_id for lead in self._leads if lead.names == wanted), None)
        return None if doc_id is None else await self.section(doc_id)

    async def section(self, doc_id: int) -> RefHit | None:
        """One section by id (a hit's ``doc_id``), for a verbose answer."""
        if self.db is None:
            return None
        db = self.db

        async def fetch() -> sqlite3.Row | None:
            return await db.fetchone(
                "SELECT id, page, title, heading, path, summary, usage, body FROM ref_docs WHERE id = ?", (doc_id,)
            )

        return await self._kept_section(("id", doc_id), fetch)

    async def _kept_section(
        self, key: tuple[object, ...], fetch: Callable[[], Awaitable[sqlite3.Row | None]]
    ) -> RefHit | None:
        """The section ``fetch`` finds, kept for this generation of the index under ``key``."""
        await self._current()
        if key not in self._sections:
            row = await fetch()
            remember(self._sections, key, None if row is None else _hit(row, 0.0), _KEPT)
        return self._sections[key]


def _score(doc: sqlite3.Row, wanted: set[str], coverage: float, relevance: float) -> float:
    """Rank one candidate: all words present first, then being named after them, then bm25.

    ``coverage`` is the share of the words the section contains, ``relevance`` its bm25 relative to the
    best candidate. The name bonus is squared so that a partial name (``docker image`` for "save image")
    counts little next to a full one (``docker image prune`` for "image prune"). A lead section whose
    one-line summary says the words (cp: "Copy files/folders between a container and …") is what the
    question describes; a short name (``docker logs`` over ``docker service logs``) breaks near ties.
    """
    names = set(str(doc["names"]).split())
    heading = set(index_terms(str(doc["heading"])))
    named = len(names & wanted) / len(names | wanted) if names else 0.0
    headed = len(heading & wanted) / len(heading | wanted) if heading else 0.0
    score = 2.0 * coverage + relevance + 2.0 * named * named + 0.5 * headed
    if doc["lead"]:
        described = len(set(index_terms(str(doc["summary"]))) & wanted) / len(wanted)
        score += 0.3 + described + (0.1 / len(names) if names else 0.0)
    return score


def _hit(row: sqlite3.Row, score: float) -> RefHit:
    return RefHit(
        page=row["page"],
        title=row["title"],
        heading=row["heading"],
        summary=row["summary"],
        usage=row["usage"],
        body=row["body"],
        score=round(score, 4),
        doc_id=int(row["id"]),
        path=tuple(str(row["path"]).split(PATH_SEPARATOR)),
    )


PATH_SEPARATOR = " > "


def files_hash(root: Path) -> str:
    """What decides a rebuild: the page names, sizes and mtimes (and the index version), not their text."""
    digest = hashlib.sha256(f"v{INDEX_VERSION}\n".encode())
    for path in reference_files(root):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def vocabulary(sections: Sequence[RefSection]) -> set[str]:
    """Command and subcommand names, long flags and Dockerfile instructions, minus :data:`GENERIC_WORDS`."""
    words: set[str] = set()
    for section in sections:
        words.update(name.lower() for name in section.names)
        words.update(section.flags)
    return {word for word in words if word not in GENERIC_WORDS and len(word) > 1}


async def _write(conn: aiosqlite.Connection, sections: Sequence[RefSection]) -> None:
    """Replace the index with ``sections`` (inside the caller's transaction)."""
    execute, executemany = conn.execute, conn.executemany
    await execute("INSERT INTO ref_fts(ref_fts) VALUES('delete-all')")
    await execute("DELETE FROM ref_docs")
    await execute("DELETE FROM ref_words")
    docs = []
    fts = []
    for doc_id, section in enumerate(sections, start=1):
        names = " ".join(dict.fromkeys(term for name in section.names for term in query_terms([name])))
        docs.append(
            (
                doc_id, section.file, section.page, section.title, section.heading,
                PATH_SEPARATOR.join(section.path), section.summary, section.usage, section.body,
                section.ordinal, names, int(section.lead),
            )
        )
        heading = section.heading
        if section.lead:
            # A page's keywords and one-line summary describe its first section (cp: "copy, container, files").
            heading = " ".join([heading, *section.keywords, section.summary, *section.names])
        fts.append(
            (
                doc_id,
                " ".join(index_terms(section.title)),
                " ".join(index_terms(heading)),
                " ".join(index_terms(section.body)),
            )
        )
    await executemany(
        "INSERT INTO ref_docs(id, file, page, title, heading, path, summary, usage, body, ord, names, lead) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        docs,
    )
    await executemany("INSERT INTO ref_fts(rowid, title, heading, body) VALUES(?, ?, ?, ?)", fts)
    await executemany("INSERT INTO ref_words(word) VALUES(?)", [(word,) for word in sorted(vocabulary(sections))])

