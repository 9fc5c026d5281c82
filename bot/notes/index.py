"""The notes index: built from ``*.md`` into the state file, searched with exact lookup + FTS5.

Search order (see /work/shared/reference/search-ko.md for the measurements behind it):
1. exact names: symbols (commands, flags, Dockerfile instructions) and headings, from memory;
2. FTS5 over weighted columns (symbol, heading, body), every term quoted, stems as prefixes;
3. Hangul 2-character chunks for words the vocabulary does not know as a whole (compounds),
   fused with (2) by reciprocal rank;
4. every candidate is scored by how much of the query it covers (terms weighted by rarity;
   unknown words count against it), plus bonuses for exact names. Too little coverage means
   "not found", never a guess.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.notes import NotesError
from bot.notes.glossary import Correction, Glossary, load_corrections
from bot.notes.korean import chunks, index_terms, is_hangul
from bot.notes.parser import PATH_SEP, Section, parse_markdown, symbol_kind
from bot.notes.query import Analysis, Term, Vocabulary, analyze
from bot.notes.schema import DROP_INDEX_TABLES, INDEX_TABLES
from bot.storage import Database
from bot.storage.database import _split_sql

log = logging.getLogger(__name__)

HASH_META = "notes.hash"
COUNT_META = "notes.docs"
# "Found" needs both: the best note covers half the query (by weight), and the notes know at least
# 60 % of the query's words at all. A question about something else (`파이썬 리스트 정렬`) fails the second.
MIN_COVERAGE = 0.5
MIN_KNOWN = 0.6
FTS_DEPTH = 20
EXACT_PER_NAME = 8  # candidates taken per exact symbol/heading name (big notes repeat names a lot)
RRF_K = 10.0
_FTS_SHADOW_TABLES = ("notes_fts_data", "notes_fts_idx", "notes_fts_docsize", "notes_fts_config",
                      "notes_fts_content")
# Ranking every match costs time in proportion to their number: in very big notes, words found in
# more than this many places are matched without bm25 ordering (exact names and coverage still rank).
MAX_RANKED = 1500
_FTS_UNRANKED_SQL = "SELECT rowid FROM notes_fts WHERE notes_fts MATCH ? LIMIT ?"
# Column weights: symbol, heading, body, chunks.
_FTS_SQL = (
    "SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?"
    " ORDER BY bm25(notes_fts, 8.0, 4.0, 1.0, 0.5) LIMIT ?"
)


@dataclass(frozen=True, slots=True)
class IndexStats:
    files: int
    sections: int
    entries: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Hit:
    """A section or an entry of the notes, as written, with where it comes from."""

    doc_id: int
    file: str
    section: str
    kind: str  # "section" | "entry"
    symbol: str | None
    raw: str
    score: float = 0.0
    coverage: float = 0.0

    @property
    def key(self) -> str:
        """``Dockerfile › command#RUN`` for symbols, the section path otherwise."""
        return f"{self.section}#{self.symbol}" if self.symbol else self.section

    @property
    def source(self) -> str:
        return f"{self.file}{PATH_SEP}{self.section}"

    @property
    def symbol_kind(self) -> str | None:
        return symbol_kind(self.symbol) if self.symbol else None


@dataclass(slots=True)
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    confidence: float = 0.0
    found: bool = False
    see_also: list[Hit] = field(default_factory=list)
    siblings: list[Hit] = field(default_factory=list)  # same symbol, same section (shown together)
    suggestions: list[str] = field(default_factory=list)
    problem: str | None = None  # "empty" | "too_long" when the query could not be searched

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.found and self.hits else None


@dataclass(frozen=True, slots=True)
class SectionView:
    file: str
    section: str
    raw: str
    entries: list[Hit]


@dataclass(slots=True)
class _Doc:
    """What scoring needs about a candidate, read from ``notes_docs``."""

    hit: Hit
    terms: frozenset[str]
    symbol_key: str | None
    heading_key: str | None
    heading_terms: frozenset[str] = frozenset()


def heading_key(name: str) -> str:
    return "".join(index_terms(name))


def symbol_key(symbol: str) -> str:
    if symbol.startswith("-"):
        return "-" + symbol.lstrip("-").lower()
    return symbol.split()[0].lower()


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class NotesIndex:
    """The notes, indexed in the state file. Build with :meth:`open`."""

    def __init__(self, db: Database, notes_dir: Path, data_dir: Path) -> None:
        self.db = db
        self.notes_dir = notes_dir
        self.data_dir = data_dir
        self.glossary = Glossary()
        self.corrections: list[Correction] = []
        self._symbols: dict[str, list[Hit]] = {}
        self._symbols_exact: dict[str, list[Hit]] = {}
        self._headings: dict[str, list[int]] = {}
        self._df: dict[str, int] = {}
        self._docs_total = 1
        self._topics: list[str] = []
        self._vocab = Vocabulary(set())

    # opening and building ------------------------------------------------------------------------

    @classmethod
    async def open(cls, db: Database, notes_dir: Path, data_dir: Path) -> NotesIndex:
        index = cls(db, Path(notes_dir), Path(data_dir))
        index.glossary = Glossary.load(index.data_dir / "glossary.yaml")
        index.corrections = load_corrections(index.data_dir / "corrections.yaml")
        files = index._read_files()
        digest = _digest(files)
        if await db.get_meta(HASH_META) == digest and await index._healthy():
            await index._load_memory()
        else:
            log.info("notes changed or index missing: rebuilding")
            await index._build(files)
        return index

    def _read_files(self) -> list[tuple[str, bytes]]:
        folder = self.notes_dir
        if not folder.is_dir():
            raise NotesError(f"notes folder not found: {folder}")
        paths = sorted(p for p in folder.glob("*.md") if p.is_file() or not p.exists())
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

    async def _healthy(self) -> bool:
        """The index tables exist, agree with each other, and FTS5 finds no damage."""
        try:
            expected = await self.db.get_meta(COUNT_META)
            row = await self.db.fetchone("SELECT count(*) FROM notes_docs")
            if row is None or expected is None or int(row[0]) != int(expected):
                return False
            await self.db.execute("INSERT INTO notes_fts(notes_fts) VALUES('integrity-check')")
            row = await self.db.fetchone("SELECT count(*) FROM notes_fts_docsize")
            return row is not None and int(row[0]) == int(expected)
        except sqlite3.DatabaseError as exc:
            log.warning("notes index damaged (%s): rebuilding", exc)
            return False

    async def rebuild(self) -> IndexStats:
        """Re-read every notes file and rebuild the index (``!reindex``, ``python -m bot index``)."""
        self.glossary = Glossary.load(self.data_dir / "glossary.yaml")
        self.corrections = load_corrections(self.data_dir / "corrections.yaml")
        return await self._build(self._read_files())

    async def _build(self, files: list[tuple[str, bytes]]) -> IndexStats:
        started = time.perf_counter()
        sections: list[Section] = []
        for name, data in files:
            sections.extend(parse_markdown(data.decode("utf-8"), name))
        docs, fts_rows, df = _documents(sections)
        await self._drop_fts()
        async with self.db.transaction() as conn:
            for statement in _split_sql(DROP_INDEX_TABLES) + _split_sql(INDEX_TABLES):
                await conn.execute(statement)
            await conn.executemany(
                "INSERT INTO notes_docs(id, file, section, section_ord, ord, kind, symbol, symbol_key,"
                " heading_key, raw, terms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                docs,
            )
            await conn.executemany(
                "INSERT INTO notes_fts(rowid, symbol, heading, body, chunks) VALUES (?,?,?,?,?)", fts_rows
            )
            await conn.executemany("INSERT INTO notes_terms(term, df) VALUES (?,?)", sorted(df.items()))
            await conn.execute("DELETE FROM notes_files")
            await conn.executemany(
                "INSERT INTO notes_files(file, sha256, size) VALUES (?,?,?)",
                [(name, hashlib.sha256(data).hexdigest(), len(data)) for name, data in files],
            )
            await conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (HASH_META, _digest(files)),
            )
            await conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (COUNT_META, str(len(docs))),
            )
        await self._load_memory()
        entries = sum(len(s.entries) for s in sections)
        return IndexStats(files=len(files), sections=len(sections), entries=entries,
                          seconds=time.perf_counter() - started)

    async def _drop_fts(self) -> None:
        """Drop the FTS table, even when it is too damaged for SQLite to load it.

        A virtual table whose shadow tables lost their structure record cannot be dropped
        ("vtable constructor failed"); its schema row is then removed directly and the
        shadow tables dropped as ordinary tables. The index is derived data, rebuilt next.
        """
        try:
            await self.db.execute("DROP TABLE IF EXISTS notes_fts")
            return
        except sqlite3.DatabaseError as exc:
            log.warning("cannot drop damaged notes_fts (%s): removing it from the schema", exc)
        await self.db.execute("PRAGMA writable_schema = ON")
        try:
            await self.db.execute("DELETE FROM sqlite_master WHERE type = 'table' AND name = 'notes_fts'")
        finally:
            await self.db.execute("PRAGMA writable_schema = RESET")
        for shadow in _FTS_SHADOW_TABLES:
            await self.db.execute(f"DROP TABLE IF EXISTS {shadow}")

    async def _load_memory(self) -> None:
        """Cache what every query needs: symbols, headings, term frequencies, topics."""
        symbols: dict[str, list[Hit]] = {}
        exact: dict[str, list[Hit]] = {}
        headings: dict[str, list[int]] = {}
        topics: list[str] = []
        rows = await self.db.fetchall(
            "SELECT id, file, section, kind, symbol, symbol_key, heading_key, raw FROM notes_docs"
            " WHERE symbol IS NOT NULL OR kind = 'section' ORDER BY id"
        )
        for row in rows:
            hit = Hit(doc_id=row[0], file=row[1], section=row[2], kind=row[3], symbol=row[4], raw=row[7])
            if row[4] is not None:
                symbols.setdefault(row[5], []).append(hit)
                exact.setdefault(row[4], []).append(hit)
            if row[3] == "section":
                headings.setdefault(row[6], []).append(row[0])
                if row[2] not in topics:
                    topics.append(row[2])
        self._symbols, self._symbols_exact, self._headings, self._topics = symbols, exact, headings, topics
        term_rows = await self.db.fetchall("SELECT term, df FROM notes_terms")
        self._df = {str(r[0]): int(r[1]) for r in term_rows}
        total = await self.db.fetchone("SELECT count(*) FROM notes_docs")
        self._docs_total = max(1, int(total[0]) if total else 1)
        words = set(self._df) | self.glossary.words() | {k.lstrip("-") for k in symbols}
        self._vocab = Vocabulary(words)

    # queries ---------------------------------------------------------------------------------------

    def topics(self) -> list[str]:
        """Section paths in file order (``Dockerfile › command``)."""
        return list(self._topics)

    def _is_symbol(self, key: str) -> bool:
        return key in self._symbols

    async def search(self, query: str, limit: int = 5) -> SearchResult:
        analysis = analyze(query, self._vocab, self.glossary, self._is_symbol)
        result = SearchResult(query=analysis.text)
        if analysis.too_long:
            result.problem = "too_long"
            return result
        if not analysis.terms:
            result.problem = "empty"
            return result
        try:
            return await self._search(analysis, result, limit)
        except sqlite3.DatabaseError as exc:
            # A damaged index is rebuilt from the notes and the query retried once.
            log.warning("notes index failed (%s): rebuilding", exc)
            await self.rebuild()
            return await self._search(analysis, SearchResult(query=analysis.text), limit)

    async def _search(self, analysis: Analysis, result: SearchResult, limit: int) -> SearchResult:
        terms = analysis.terms
        candidates: dict[int, float] = {}  # doc id → fused rank score
        exact_ids: set[int] = set()
        for term in terms:
            for hit in self._symbols.get(term.symbol_key or "", ())[:EXACT_PER_NAME]:
                exact_ids.add(hit.doc_id)
            if not term.flag and len(terms) == 1:
                for alt in term.alts:
                    for hit in self._symbols.get(alt, ())[:EXACT_PER_NAME]:
                        exact_ids.add(hit.doc_id)
        for key in analysis.phrase_keys | {a for t in terms if len(terms) == 1 for a in t.alts}:
            exact_ids.update(self._headings.get(key, ())[:EXACT_PER_NAME])

        ids: list[int] = []
        frequencies = [sum(self._df.get(a, 0) for a in t.alts) for t in terms if t.known and not t.flag]
        all_match = _word_query(terms, self._vocab, every=True)
        if all_match:  # notes holding every word first: a small set, and the best ones anyway
            ids = await self._fts(all_match, ranked=min(frequencies, default=0) <= MAX_RANKED)
        if len(ids) < FTS_DEPTH // 2 and (any_match := _word_query(terms, self._vocab, every=False)):
            seen = set(ids)
            ids += [i for i in await self._fts(any_match, ranked=sum(frequencies) <= MAX_RANKED) if i not in seen]
        if ids:
            for rank, doc_id in enumerate(ids):
                candidates[doc_id] = candidates.get(doc_id, 0.0) + 1.0 / (RRF_K + rank)
        chunk_match = _chunk_query(terms, self._vocab)
        if chunk_match:
            ids = await self._fts(chunk_match, ranked=self._docs_total <= MAX_RANKED * 4)
            for rank, doc_id in enumerate(ids):
                candidates[doc_id] = candidates.get(doc_id, 0.0) + 1.0 / (RRF_K + rank)
        for doc_id in exact_ids:
            candidates.setdefault(doc_id, 0.0)
        if not candidates:
            result.suggestions = self._suggest(analysis, [])
            return result

        docs = await self._fetch(list(candidates))
        weights = [self._weight(t) for t in terms]
        last = terms[-1]
        if len(terms) > 1 and not last.known and is_hangul(last.typed):
            weights[-1] /= 2  # an unknown last Korean word is most often the predicate (확인, 넣기)
        scored: list[Hit] = []
        for doc in docs:
            coverage = _coverage(doc, terms, weights)
            score = 3.0 * coverage + candidates[doc.hit.doc_id] + self._bonus(doc, analysis)
            scored.append(_with_score(doc.hit, score, coverage))
        scored.sort(key=lambda h: (-h.score, h.doc_id))
        result.hits = scored[:limit]
        top = scored[0]
        known = sum(w for t, w in zip(terms, weights, strict=True) if t.known) / sum(weights)
        result.confidence = min(top.coverage, known)
        result.found = top.coverage >= MIN_COVERAGE and known >= MIN_KNOWN
        if result.found:
            result.siblings = self._siblings(top)
            result.see_also = self._see_also(top)
        else:
            result.suggestions = self._suggest(analysis, scored)
        return result

    def _weight(self, term: Term) -> float:
        """Rarer words weigh more; a word the notes never use weighs as much as the rarest one."""
        n = self._docs_total
        if not term.known:
            return math.log(1 + n)
        df = max((self._df.get(a, 0) for a in term.alts), default=0)
        if term.flag or df == 0:
            df = max(1, len(self._symbols.get(term.symbol_key or "", ())))
        return math.log(1 + n / df)

    def _bonus(self, doc: _Doc, analysis: Analysis) -> float:
        """Exact names: a symbol the query names, a heading the query spells out."""
        bonus = 0.0
        hit = doc.hit
        # Naming a symbol matters less when it is one word among many (`run a container in the background`).
        share = 1.0 / len(analysis.terms)
        if doc.symbol_key is not None:
            for term in analysis.terms:
                if term.symbol_key == doc.symbol_key:
                    bonus = max(bonus, 1.0 if term.typed.lstrip("-") == (hit.symbol or "").lstrip("-") else 0.7)
                elif not term.flag and len(analysis.terms) == 1 and doc.symbol_key in term.alts:
                    bonus = max(bonus, 0.4)  # `볼륨` → volume → `VOLUME`
            if bonus and hit.symbol_kind == "flag":
                bonus += 0.1  # a flag is more specific than the command it qualifies
            if bonus and analysis.cli_context and hit.symbol_kind in ("flag", "command"):
                bonus += 0.3
            bonus *= share
        if analysis.wants_flag and hit.symbol_kind == "flag":
            bonus += 0.3
        if hit.kind == "section" and doc.heading_key is not None:
            keys = set(analysis.phrase_keys)
            if len(analysis.terms) == 1:
                keys |= analysis.terms[0].alts
            if doc.heading_key in keys:
                bonus += 1.0
            else:
                # The query names this section's heading, in other words (`도커파일 명령어` → Dockerfile › command).
                named = [t for t in analysis.terms if not t.flag and any(a in doc.heading_terms for a in t.alts)]
                if 3 * len(named) >= 2 * len(analysis.terms):
                    bonus += 0.5 * len(named) / len(analysis.terms)
        return bonus

    async def _fts(self, match: str, ranked: bool = True) -> list[int]:
        """Top rows by weighted bm25; unranked (first rows) when the words are too common to rank cheaply."""
        rows = await self.db.fetchall(_FTS_SQL if ranked else _FTS_UNRANKED_SQL, (match, FTS_DEPTH))
        return [int(r[0]) for r in rows]

    async def _fetch(self, ids: list[int]) -> list[_Doc]:
        rows = await self.db.fetchall(
            "SELECT id, file, section, kind, symbol, symbol_key, heading_key, raw, terms FROM notes_docs"
            " WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        return [
            _Doc(
                hit=Hit(doc_id=r[0], file=r[1], section=r[2], kind=r[3], symbol=r[4], raw=r[7]),
                terms=frozenset(str(r[8]).split()),
                symbol_key=r[5],
                heading_key=r[6],
                heading_terms=frozenset(index_terms(r[2])),
            )
            for r in rows
        ]

    def _siblings(self, top: Hit) -> list[Hit]:
        if not top.symbol:
            return []
        return [h for h in self._symbols_exact.get(top.symbol, ())
                if h.doc_id != top.doc_id and h.file == top.file and h.section == top.section]

    def _see_also(self, top: Hit) -> list[Hit]:
        """Other symbols with the same name (``run``/``RUN``) or curated as related (``-v``/``VOLUME``)."""
        if not top.symbol:
            return []
        out: list[Hit] = []
        seen = {(top.file, top.section, top.symbol)}

        def add(hit: Hit) -> None:
            ident = (hit.file, hit.section, hit.symbol)
            if ident not in seen:
                seen.add(ident)
                out.append(hit)

        for hit in self._symbols.get(symbol_key(top.symbol), ()):
            add(hit)
        for name in self.glossary.related_to(top.symbol):
            for hit in self._symbols_exact.get(name, ()):
                add(hit)
        return out[:3]

    def _suggest(self, analysis: Analysis, scored: list[Hit]) -> list[str]:
        out: list[str] = []
        for hit in scored:
            if hit.coverage > 0 and hit.section not in out:
                out.append(hit.section)
        if len(out) < 5 and analysis.text:
            from rapidfuzz import fuzz, process

            for name, score, _ in process.extract(analysis.text, self._topics, scorer=fuzz.WRatio, limit=5):
                if score >= 60 and name not in out:
                    out.append(name)
        return out[:5]

    def corrections_for(self, hit: Hit, lang: str) -> list[str]:
        """Curated corrections that apply to this note (shown beside it, never instead of it)."""
        return [c.text(lang) for c in self.corrections if c.applies(hit.symbol, hit.raw)]

    async def section(self, file: str, section: str) -> SectionView:
        """A whole section with its entries, for ``!explain -v``."""
        rows = await self.db.fetchall(
            "SELECT id, file, section, kind, symbol, raw FROM notes_docs WHERE file = ? AND section = ?"
            " ORDER BY section_ord, ord",
            (file, section),
        )
        raw = ""
        entries: list[Hit] = []
        for r in rows:
            hit = Hit(doc_id=r[0], file=r[1], section=r[2], kind=r[3], symbol=r[4], raw=r[5])
            if hit.kind == "section":
                raw = hit.raw
            else:
                entries.append(hit)
        return SectionView(file=file, section=section, raw=raw, entries=entries)


def _with_score(hit: Hit, score: float, coverage: float) -> Hit:
    return Hit(doc_id=hit.doc_id, file=hit.file, section=hit.section, kind=hit.kind, symbol=hit.symbol,
               raw=hit.raw, score=score, coverage=coverage)


def _digest(files: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode())
        h.update(b"\0")
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _documents(sections: list[Section]) -> tuple[list[tuple], list[tuple], Counter[str]]:
    """Rows for ``notes_docs`` and ``notes_fts``, and document frequencies."""
    docs: list[tuple] = []
    fts: list[tuple] = []
    df: Counter[str] = Counter()
    doc_id = 0
    for section in sections:
        heading_terms = index_terms(" ".join(section.path))
        section_raw = "\n\n".join(p for p in [section.definition, *section.body] if p)
        items: list[tuple[int, str, str | None, str]] = [(-1, "section", None, section_raw)]
        items += [(e.ordinal, "entry", e.symbol, e.raw) for e in section.entries]
        for ord_, kind, symbol, raw in items:
            doc_id += 1
            body_source = raw if symbol is None else raw.split("`", 2)[-1]
            body_terms = index_terms(body_source)
            sym_terms = [symbol_key(symbol).lstrip("-")] if symbol else []
            # Other code spans name things too (`Docker version`): they go in the symbol column.
            sym_terms += [t for span in _CODE_SPAN.findall(body_source) for t in index_terms(span)]
            all_terms = set(body_terms) | set(heading_terms) | set(sym_terms)
            # A heading word counts once per section, not once per entry under it.
            df.update(all_terms if kind == "section" else set(body_terms) | set(sym_terms))
            hangul = [t for t in set(body_terms) | set(heading_terms) if is_hangul(t)]
            chunk_list = sorted({c for t in hangul for c in chunks(t)})
            docs.append((
                doc_id, section.file, section.key, section.ordinal, ord_, kind, symbol,
                symbol_key(symbol) if symbol else None,
                heading_key(section.name) if kind == "section" else None,
                raw, " ".join(sorted(all_terms)),
            ))
            fts.append((doc_id, " ".join(sym_terms), " ".join(heading_terms), " ".join(body_terms),
                        " ".join(chunk_list)))
    return docs, fts, df


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _word_query(terms: tuple[Term, ...], vocab: Vocabulary, *, every: bool) -> str:
    """``{symbol heading body}: ((a OR a2) AND (b))`` with ``every``, else every form OR-ed.

    Whole known words match exactly (the index holds stems); only words known as a prefix
    (컨테이너 → 컨테이너명) are searched as prefixes.
    """
    groups: list[str] = []
    for term in terms:
        if not term.known or (term.flag and not every):
            continue
        forms = []
        for alt in sorted(term.alts):
            if alt in vocab:
                forms.append(_fts_string(alt))
            elif is_hangul(alt) and len(alt) >= 2 and vocab.has_prefix(alt):
                forms.append(_fts_string(alt) + "*")
        if forms:
            groups.append("(" + " OR ".join(forms) + ")")
        elif every:
            return ""
    if not groups or (every and len(groups) < 2):
        return ""
    return "{symbol heading body}: (" + (" AND " if every else " OR ").join(groups) + ")"


def _chunk_query(terms: tuple[Term, ...], vocab: Vocabulary) -> str:
    """Chunks of Hangul words the vocabulary does not hold whole (compounds like 포트포워딩)."""
    parts: list[str] = []
    for term in terms:
        if term.flag or term.typed in vocab:
            continue
        for alt in sorted(term.alts):
            if is_hangul(alt) and len(alt) >= 3:
                parts.extend(_fts_string(c) for c in chunks(alt))
    if not parts:
        return ""
    return "chunks: (" + " OR ".join(sorted(set(parts))) + ")"


def _coverage(doc: _Doc, terms: tuple[Term, ...], weights: list[float]) -> float:
    total = sum(weights)
    if total <= 0:
        return 0.0
    got = 0.0
    doc_chunks: set[str] | None = None
    for term, weight in zip(terms, weights, strict=True):
        if term.flag:
            got += weight if doc.symbol_key == term.symbol_key else 0.0
            continue
        if not term.known and not (is_hangul(term.typed) and len(term.typed) >= 3):
            continue
        matched = 0.0
        for alt in term.alts:
            if not term.known:
                break
            if alt in doc.terms or (is_hangul(alt) and len(alt) >= 2 and any(t.startswith(alt) for t in doc.terms)):
                matched = 1.0
                break
        if not matched:
            for alt in term.alts:
                pieces = chunks(alt) if len(alt) >= 3 else []
                if pieces:
                    if doc_chunks is None:
                        doc_chunks = {c for t in doc.terms if is_hangul(t) for c in chunks(t)}
                    share = sum(1 for c in pieces if c in doc_chunks) / len(pieces)
                    if share >= 0.5:
                        matched = max(matched, share)
        got += weight * matched
    return got / total
