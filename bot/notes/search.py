"""The search itself, run on the reader thread: analysis, SQL and scoring in one call.

Search order:
1. exact names: symbols (commands, flags, Dockerfile instructions) from memory, headings from
   ``notes_names``;
2. FTS5 over weighted columns (symbol, heading, body), every term quoted, stems as prefixes:
   first notes holding every word, then (only when that found few) notes holding any;
3. Hangul 2-character chunks for words the vocabulary does not know as a whole (compounds),
   fused with (2) by reciprocal rank;
4. curated question forms (``<notes>.questions.yaml``: the ways members ask for an entry) are
   analysed like queries and held in memory; a form sharing words with the query adds its entry;
   so do the entries whose forms the query looks most like letter by letter (typos, endings,
   spacing slips: :mod:`bot.notes.likeness`);
5. every candidate is scored by how much of the query it covers, in its own words or its forms'
   (terms weighted by rarity; unknown words count against it, filler never does, hints only when
   matched), plus the best form's match, its likeness and bonuses for exact names;
6. whether the best entry answers: for an entry with forms, a calibrated model reads the evidence
   (:mod:`bot.notes.confidence`); for one without, enough coverage. Unsure means "not found" with
   the best entries as choices, never a guess; so does a Docker word the notes lack (`logs`): that
   question belongs to Docker's reference, and the result names the words to look up there.

Every FTS query has a LIMIT; words so common that bm25 ordering would cost too much are matched
unranked (exact names and coverage still rank), so a query costs about the same at any size.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass, field, replace

from bot.notes.confidence import Evidence, answers, sureness
from bot.notes.korean import chunks, index_terms, is_hangul
from bot.notes.lexicon import Language
from bot.notes.likeness import Likeness
from bot.notes.memo import remember
from bot.notes.morph import content_morphs
from bot.notes.query import Analysis, Term, TypoFixer, Vocabulary, Words, analyze, names_docker, retype
from bot.notes.results import EntryPlace, Hit, SearchResult, SectionView
from bot.notes.rows import symbol_key

BUILD_META = "notes.build"
COUNT_META = "notes.docs"
# "Found" needs both: the best note covers half the query (by weight), and the notes know at least
# 60 % of the query's words at all. A question about something else (`파이썬 리스트 정렬`) fails the second.
MIN_COVERAGE = 0.5
MIN_KNOWN = 0.6
FTS_DEPTH = 20
EXACT_PER_NAME = 8  # candidates taken per exact symbol/heading name (big notes repeat names a lot)
RRF_K = 10.0
# Ranking every match costs time in proportion to their number (bm25 on this contentless table is
# ~8 µs a row: 250 rows ≈ 2 ms): words found in more places than this are matched without bm25
# ordering (first rows; exact names and coverage still rank). The shipped notes never reach it.
MAX_RANKED = 250
# Typo fixing compares against this many of the most frequent words (plus glossary and symbols):
# ~0.1 µs a word per typo, and a word used once in 100k notes is a poor correction anyway.
TYPO_WORDS = 5_000
# A section whose heading is the whole question as typed (bot.notes.query.Analysis.typed_key) comes first: it is
# reached by its own name (more than the best question forms and likeness add to another entry: FORM_WEIGHT +
# LIKENESS_WEIGHT).
HEADING_NAMED = 9.0
# Fuzzy topic suggestions look at every topic only when there are few (costs ~3 µs a topic).
FUZZY_TOPICS = 1000
_CACHE_LIMIT = 20_000
_PREFIX_TERMS = 200  # a prefix shared by more words than this is treated as found everywhere
_FTS_UNRANKED_SQL = "SELECT rowid FROM notes_fts WHERE notes_fts MATCH ? LIMIT ?"
# A question form that matches the query word for word adds this much to its entry's score.
FORM_WEIGHT = 2.0
# Likeness to an entry's question forms (letter runs, bot.notes.likeness) adds this much times its value
# (in [0, 1]); the entries most alike are candidates even when no word matched (tuned on the dev split).
LIKENESS_WEIGHT = 6.0
LIKENESS_CANDIDATES = 10
# Column weights: symbol, heading, body, chunks.
_FTS_SQL = (
    "SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?"
    " ORDER BY bm25(notes_fts, 8.0, 4.0, 1.0, 0.5) LIMIT ?"
)
_DOCS_BY_ID_SQL = (
    "SELECT id, file, section, kind, symbol, symbol_key, heading_key, raw, terms, ord FROM notes_docs"
    " WHERE id IN (SELECT value FROM json_each(?))"
)
_SIBLINGS_SQL = (
    "SELECT id, file, section, kind, symbol, symbol_key, heading_key, raw, terms, ord FROM notes_docs"
    " WHERE file = ? AND section = ? AND symbol = ? AND id != ? ORDER BY id"
)
_ENTRY_SQL = (
    "SELECT id, file, section, kind, symbol, symbol_key, heading_key, raw, terms, ord FROM notes_docs"
    " WHERE file = ? AND section = ? AND kind = ? AND (symbol = ? OR (symbol IS NULL AND ? IS NULL)) AND ord = ?"
)
_SECTION_SQL = (
    "SELECT id, file, section, kind, symbol, symbol_key, heading_key, raw, terms, ord FROM notes_docs"
    " WHERE file = ? AND section = ? ORDER BY section_ord, ord"
)
# What FTS5 holds as one token (index terms come from bot.notes.korean.TOKEN, lower-cased).
_ONE_TOKEN = re.compile(r"[0-9a-z가-힣]+")


@dataclass(frozen=True, slots=True)
class Name:
    """An exact name: how many rows carry it and the first few of their ids."""

    total: int
    ids: tuple[int, ...]


@dataclass(slots=True)
class Memory:
    """The small things every query needs, loaded from the index once per build."""

    build: str | None = None
    symbols: dict[str, Name] = field(default_factory=dict)  # symbol key (`run`, `-d`) → rows
    names: dict[str, Name] = field(default_factory=dict)  # exact symbol (`RUN`, `--rm`) → rows
    topics: tuple[str, ...] = ()
    docs_total: int = 1
    words: frozenset[str] = frozenset()  # glossary words and symbol names (always known)
    chunks: frozenset[str] = frozenset()  # their Hangul chunks
    typos: TypoFixer = field(default_factory=lambda: TypoFixer(()))
    known_cache: dict[str, bool] = field(default_factory=dict)
    heading_terms: dict[str, frozenset[str]] = field(default_factory=dict)
    prefix_cache: dict[str, bool] = field(default_factory=dict)
    # Question forms, analysed: (doc id, how many words) by form number. Forms share words: each distinct word
    # (its set of alternatives) is one group, with the places it has in forms: (form number, which word).
    forms: tuple[tuple[int, int], ...] = ()
    form_groups: dict[str, tuple[int, ...]] = field(default_factory=dict)  # alternative → groups holding it
    group_places: tuple[tuple[tuple[int, int], ...], ...] = ()
    likeness: Likeness = field(default_factory=lambda: Likeness(()))
    # Reads of this build asked again (a search, an entry, a name, a section): key → what it gave, oldest first.
    reads: dict[tuple[object, ...], object] = field(default_factory=dict)

    def is_symbol(self, key: str) -> bool:
        return key in self.symbols


def load_memory(conn: sqlite3.Connection, language: Language) -> Memory:
    memory = Memory(build=_meta(conn, BUILD_META))
    for kind, key, total, ids in conn.execute(
        "SELECT kind, key, total, ids FROM notes_names WHERE kind IN ('symbol', 'name')"
    ):
        name = Name(int(total), tuple(int(i) for i in str(ids).split()))
        (memory.symbols if kind == "symbol" else memory.names)[str(key)] = name
    memory.topics = tuple(
        str(r[0]) for r in conn.execute("SELECT key FROM notes_names WHERE kind = 'topic' ORDER BY first")
    )
    memory.docs_total = max(1, int(_meta(conn, COUNT_META) or 1))
    words = language.glossary.words() | {k.lstrip("-") for k in memory.symbols}
    memory.words = frozenset(words)
    memory.chunks = frozenset(c for w in words for c in chunks(w))
    frequent = [term for r in conn.execute(
        "SELECT term FROM notes_terms ORDER BY df DESC, term LIMIT ?", (TYPO_WORDS,)
    ) if typo_target(term := str(r[0]), language)]
    lexicon_words = [w for w in language.lexicon.intents if len(w) >= 3]
    memory.typos = TypoFixer(frequent + sorted(words) + lexicon_words + sorted(language.reference_words))
    _load_forms(conn, memory, language)
    return memory


def typo_target(word: str, language: Language) -> bool:
    """Whether a word of the notes may be what a slip meant: not a Hangul verb form with no word of its own (되니,
    있던: 되냐 is chat, not a slip of 되니)."""
    return not is_hangul(word) or any(m.role == "noun" or language.lexicon.knows(m.lemma)
                                      for m in content_morphs(word))


def _load_forms(conn: sqlite3.Connection, memory: Memory, language: Language) -> None:
    """Analyse every question form once per build (forms are curated: a few hundred at most)."""
    vocab = SqlVocabulary(conn, memory)
    words_ = _words(memory, language)
    forms: list[tuple[int, int]] = []
    groups: dict[frozenset[str], list[tuple[int, int]]] = {}
    rows = [(int(r[0]), str(r[1])) for r in conn.execute("SELECT doc_id, text FROM notes_forms ORDER BY doc_id, ord")]
    memory.likeness = Likeness(rows)
    for doc_id, text in rows:
        terms = tuple(t.alts for t in analyze(text, vocab, words_).terms if t.known and not t.hint)
        if not terms:
            continue
        for position, alts in enumerate(terms):
            groups.setdefault(alts, []).append((len(forms), position))
        forms.append((doc_id, len(terms)))
    memory.forms = tuple(forms)
    memory.group_places = tuple(tuple(places) for places in groups.values())
    holding: dict[str, list[int]] = {}
    for number, alts in enumerate(groups):
        for alt in alts:
            holding.setdefault(alt, []).append(number)
    memory.form_groups = {alt: tuple(numbers) for alt, numbers in holding.items()}


def current_build(conn: sqlite3.Connection) -> str | None:
    return _meta(conn, BUILD_META)


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


class SqlVocabulary:
    """:class:`~bot.notes.query.Vocabulary` over ``notes_terms``/``notes_chunks`` plus memory."""

    def __init__(self, conn: sqlite3.Connection, memory: Memory) -> None:
        self.conn = conn
        self.memory = memory

    def __contains__(self, word: str) -> bool:
        memory = self.memory
        if word in memory.words:
            return True
        known = memory.known_cache.get(word)
        if known is None:
            row = self.conn.execute("SELECT 1 FROM notes_terms WHERE term = ?", (word,)).fetchone()
            known = remember(memory.known_cache, word, row is not None, _CACHE_LIMIT)
        return known

    def has_prefix(self, prefix: str) -> bool:
        memory = self.memory
        found = memory.prefix_cache.get(prefix)
        if found is None:
            found = any(w.startswith(prefix) for w in memory.words) or self.conn.execute(
                "SELECT 1 FROM notes_terms WHERE term >= ? AND term < ? LIMIT 1", (prefix, prefix + "\U0010ffff")
            ).fetchone() is not None
            remember(memory.prefix_cache, prefix, found, _CACHE_LIMIT)
        return found

    def knows_chunks(self, word: str) -> bool:
        pieces = chunks(word)
        if len(word) < 3 or not pieces:
            return False
        unknown = [c for c in pieces if c not in self.memory.chunks]
        known = len(pieces) - len(unknown)
        if unknown:
            row = self.conn.execute(
                "SELECT count(*) FROM notes_chunks WHERE chunk IN (SELECT value FROM json_each(?))",
                (json.dumps(unknown),),
            ).fetchone()
            known += int(row[0]) if row else 0
        return 3 * known >= 2 * len(pieces)

    def fix_typo(self, word: str) -> str | None:
        return self.memory.typos.fix(word)



@dataclass(slots=True)
class _Doc:
    """What scoring needs about a candidate, read from ``notes_docs``."""

    hit: Hit
    # " term term … ": the note's index terms, sorted, space-separated with a space at each end, so that
    # "has the word" is `" w " in text`, "has a word starting with w" is `" w" in text` and "has the
    # Hangul chunk c" is `c in text` (Hangul terms are pure Hangul, chunks never span a space).
    text: str
    symbol_key: str | None
    heading_key: str | None
    heading_terms: frozenset[str] = frozenset()


def _words(memory: Memory, language: Language) -> Words:
    """What analysis knows besides the index, for this build."""
    return Words(language.glossary, language.lexicon, memory.is_symbol, language.reference_words)


def retyped(conn: sqlite3.Connection, memory: Memory, language: Language, text: str) -> str:
    """``text`` with its keyboard-layout slips undone, by what the notes and the language know."""
    return retype(text, SqlVocabulary(conn, memory), _words(memory, language))


def search(conn: sqlite3.Connection, memory: Memory, language: Language, query: str, limit: int) -> SearchResult:
    """Analyse ``query`` and search; runs on the reader thread inside one read transaction (the index keeps
    the result with the build: :meth:`bot.notes.index.NotesIndex.search`)."""
    vocab = SqlVocabulary(conn, memory)
    words_ = _words(memory, language)
    analysis = analyze(query, vocab, words_)
    result = SearchResult(query=analysis.text)
    if analysis.too_long:
        result.problem = "too_long"
        return result
    if not analysis.terms:
        result.problem = "empty"
        return result
    result.docker, result.english = _reference_words(analysis.terms)
    result.elsewhere = analysis.elsewhere
    return _Search(conn, memory, language, vocab, analysis).run(result, limit)


class _Search:
    def __init__(
        self, conn: sqlite3.Connection, memory: Memory, language: Language, vocab: SqlVocabulary, analysis: Analysis
    ) -> None:
        self.conn = conn
        self.memory = memory
        self.glossary = language.glossary
        self.vocab = vocab
        self.analysis = analysis
        alts = sorted({a for t in analysis.terms for a in t.alts})
        self.df: dict[str, int] = dict(self.conn.execute(
            "SELECT term, df FROM notes_terms WHERE term IN (SELECT value FROM json_each(?))", (json.dumps(alts),)
        ).fetchall())

    def run(self, result: SearchResult, limit: int) -> SearchResult:
        analysis, memory = self.analysis, self.memory
        terms = analysis.terms
        candidates: dict[int, float] = {}  # doc id → fused rank score
        exact_ids: set[int] = set()
        for term in terms:
            exact_ids.update(self._symbol_ids(term.symbol_key or ""))
            if not term.flag and len(terms) == 1:
                for alt in term.alts:
                    exact_ids.update(self._symbol_ids(alt))
        heading_keys = analysis.phrase_keys | {a for t in terms if len(terms) == 1 for a in t.alts}
        exact_ids.update(self._heading_ids(heading_keys))

        weights = [self._weight(t) for t in terms]
        ids: list[int] = []
        every_groups, every_df = self._forms(every=True)
        if all_match := _word_query(every_groups, every=True):
            # notes holding every word first: a small set, and the best ones anyway
            ids = self._fts(all_match, ranked=min(every_df) <= MAX_RANKED)
        if len(ids) < FTS_DEPTH // 2:
            any_groups, any_df = self._forms(every=False)
            if any_match := _word_query(any_groups, every=False):
                seen = set(ids)
                ids += [i for i in self._fts(any_match, ranked=sum(any_df) <= MAX_RANKED) if i not in seen]
        for rank, doc_id in enumerate(ids):
            candidates[doc_id] = candidates.get(doc_id, 0.0) + 1.0 / (RRF_K + rank)
        chunk_match = _chunk_query(terms, self.vocab)
        if chunk_match:
            ids = self._fts(chunk_match, ranked=memory.docs_total <= MAX_RANKED * 4)
            for rank, doc_id in enumerate(ids):
                candidates[doc_id] = candidates.get(doc_id, 0.0) + 1.0 / (RRF_K + rank)
        forms = self._form_matches(weights)
        likeness = memory.likeness.of(analysis.text) if memory.likeness else {}
        alike = sorted(likeness, key=lambda d: (-likeness[d], d))[:LIKENESS_CANDIDATES]
        for doc_id in [*exact_ids, *forms, *alike]:
            candidates.setdefault(doc_id, 0.0)
        counted = [(t, w) for t, w in zip(terms, weights, strict=True) if not t.hint]
        result.known = (sum(w for t, w in counted if t.known) / sum(w for _, w in counted)) if counted else 1.0
        if not candidates:
            result.suggestions = self._suggest([])
            return result

        docs = self._fetch(list(candidates))
        scored: list[Hit] = []
        by_words: dict[int, float] = {}  # doc id → score without likeness
        probes = _probes(terms, weights)
        for doc in docs:
            doc_id = doc.hit.doc_id
            form = forms.get(doc_id)
            f1 = form.f1 if form else 0.0
            coverage = _share(probes, _covered(doc, probes, form.terms if form else frozenset()))
            score = 3.0 * coverage + FORM_WEIGHT * f1 + candidates[doc_id] + self._bonus(doc)
            by_words[doc_id] = score
            like = likeness.get(doc_id, 0.0)
            scored.append(_with_score(doc.hit, score + LIKENESS_WEIGHT * like, coverage, f1, like))
        scored.sort(key=lambda h: (-h.score, h.doc_id))
        result.hits = scored[:limit]
        top = scored[0]
        known = result.known
        # A Docker word the notes lack (`logs`, `prune`) makes this a question for the reference; the
        # entry's own text must hold it (a question form that mentions 로그 in passing does not).
        top_doc = next(d for d in docs if d.hit.doc_id == top.doc_id)
        own = _covered(top_doc, probes, frozenset())
        result.vetoed = any(t.docker and not c for t, c in zip(terms, own, strict=True))
        if top.doc_id in memory.likeness.entries:
            result.calibrated = True
            result.evidence = replace(_evidence(scored, by_words, likeness, alike, known), own=_share(probes, own),
                                      docker_thing=float(names_docker(analysis.text)))
            result.confidence = sureness(result.evidence)
            result.found = answers(result.evidence, result.vetoed)
        else:
            result.confidence = min(top.coverage, known)
            result.found = top.coverage >= MIN_COVERAGE and known >= MIN_KNOWN and not result.vetoed
        if result.found or result.calibrated:  # (the explainer may still find a calibrated entry sure)
            result.siblings = self._siblings(top)
            result.see_also = self._see_also(top)
        if not result.found:
            result.suggestions = self._suggest(scored)
        return result

    def _form_matches(self, weights: list[float]) -> dict[int, _FormMatch]:
        """Per entry, its question form that best matches the query (F1 of words both ways)."""
        memory, terms = self.memory, self.analysis.terms
        if not memory.forms:
            return {}
        hits: dict[int, set[int]] = {}  # form number → query terms it holds
        held: dict[int, set[int]] = {}  # form number → its words the query holds
        for number, term in enumerate(terms):
            groups = {g for alt in term.alts for g in memory.form_groups.get(alt, ())}
            for group in groups:
                for form, position in memory.group_places[group]:
                    hits.setdefault(form, set()).add(number)
                    held.setdefault(form, set()).add(position)
        total = sum(w for t, w in zip(terms, weights, strict=True) if not t.hint)
        best: dict[int, _FormMatch] = {}
        for form, matched in hits.items():
            doc_id, words = memory.forms[form]
            got = sum(weights[i] for i in matched)
            hinted = sum(weights[i] for i in matched if terms[i].hint)
            recall = got / (total + hinted) if total + hinted > 0 else 0.0
            precision = len(held[form]) / words
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            if doc_id not in best or f1 > best[doc_id].f1:
                best[doc_id] = _FormMatch(f1=f1, terms=frozenset(matched))
        return best

    def _forms(self, *, every: bool) -> tuple[list[list[str]], list[int]]:
        """FTS forms of each known term, and how many notes hold each group of forms.

        Whole words the notes use match exactly (the index holds stems); Hangul words the notes only
        use longer (컨테이너 → 컨테이너를) match as prefixes. Forms no note holds (a glossary word the
        notes never use, a form that is not one index token) are left out: they cost FTS time and
        find nothing. With ``every``, flags count as words (their name without dashes).
        """
        groups: list[list[str]] = []
        frequencies: list[int] = []
        for term in self.analysis.terms:
            if not term.known or (term.flag and not every):
                continue
            forms: list[str] = []
            df = 0
            for alt in sorted(term.alts):
                if not _ONE_TOKEN.fullmatch(alt):
                    continue
                if self.df.get(alt, 0) > 0:
                    forms.append(_fts_string(alt))
                    df += self.df[alt]
                elif is_hangul(alt) and len(alt) >= 2 and (prefix_df := self._prefix_df(alt)):
                    forms.append(_fts_string(alt) + "*")
                    df += prefix_df
            groups.append(forms)
            frequencies.append(df)
        return groups, frequencies

    def _prefix_df(self, prefix: str) -> int:
        """Notes holding a word that starts with ``prefix`` (at most; a word may share a note)."""
        row = self.conn.execute(
            "SELECT count(*), sum(df) FROM (SELECT df FROM notes_terms WHERE term >= ? AND term < ? LIMIT ?)",
            (prefix, prefix + "\U0010ffff", _PREFIX_TERMS),
        ).fetchone()
        if row is None or not row[0]:
            return 0
        return self.memory.docs_total if int(row[0]) >= _PREFIX_TERMS else int(row[1])

    # exact names -------------------------------------------------------------------------------

    def _symbol_ids(self, key: str) -> tuple[int, ...]:
        name = self.memory.symbols.get(key)
        return name.ids[:EXACT_PER_NAME] if name else ()

    def _heading_ids(self, keys: frozenset[str] | set[str]) -> list[int]:
        rows = self.conn.execute(
            "SELECT ids FROM notes_names WHERE kind = 'heading' AND key IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(keys)),),
        ).fetchall()
        return [int(i) for row in rows for i in str(row[0]).split()[:EXACT_PER_NAME]]

    # scoring -----------------------------------------------------------------------------------

    def _weight(self, term: Term) -> float:
        """Rarer words weigh more; a word the notes never use weighs as much as the rarest one."""
        n = self.memory.docs_total
        if not term.known:
            return math.log(1 + n)
        df = max((self.df.get(a, 0) for a in term.alts), default=0)
        if term.flag or df == 0:
            name = self.memory.symbols.get(term.symbol_key or "")
            df = max(1, name.total if name else 0)
        return math.log(1 + n / df)

    def _bonus(self, doc: _Doc) -> float:
        """Exact names: a symbol the query names, a heading the query spells out."""
        analysis = self.analysis
        bonus = 0.0
        hit = doc.hit
        # Naming a symbol matters less when it is one word among many (`run a container in the background`).
        share = 1.0 / len(analysis.terms)
        if doc.symbol_key is not None:
            for term in analysis.terms:
                if term.symbol_key == doc.symbol_key:
                    # Named exactly (case too: `RUN` vs `run`) outweighs what question forms suggest.
                    bonus = max(bonus, 2.0 if term.typed.lstrip("-") == (hit.symbol or "").lstrip("-") else 1.4)
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
            if doc.heading_key == analysis.typed_key:
                bonus += HEADING_NAMED  # the question is the heading's name, as typed: `명령어` is that section
            elif doc.heading_key in keys:
                bonus += 1.0
            else:
                # The query names this section's heading, in other words (`도커파일 명령어` → Dockerfile › command).
                named = [t for t in analysis.terms if not t.flag and any(a in doc.heading_terms for a in t.alts)]
                if 3 * len(named) >= 2 * len(analysis.terms):
                    bonus += 0.5 * len(named) / len(analysis.terms)
        return bonus

    # SQL ---------------------------------------------------------------------------------------

    def _fts(self, match: str, ranked: bool = True) -> list[int]:
        """Top rows by weighted bm25; unranked (first rows) when the words are too common to rank cheaply."""
        rows = self.conn.execute(_FTS_SQL if ranked else _FTS_UNRANKED_SQL, (match, FTS_DEPTH)).fetchall()
        return [int(r[0]) for r in rows]

    def _fetch(self, ids: list[int]) -> list[_Doc]:
        rows = self.conn.execute(
            _DOCS_BY_ID_SQL, (json.dumps(ids),),
        ).fetchall()
        headings = self.memory.heading_terms
        docs: list[_Doc] = []
        for r in rows:
            heading_terms = headings.get(r[2])
            if heading_terms is None:
                heading_terms = remember(headings, r[2], frozenset(index_terms(r[2])), _CACHE_LIMIT)
            docs.append(_Doc(hit=_hit(r), text=f" {r[8]} ", symbol_key=r[5], heading_key=r[6],
                             heading_terms=heading_terms))
        return docs

    def _hits(self, ids: list[int]) -> list[Hit]:
        """Rows as hits, in the order of ``ids``."""
        rows = self.conn.execute(
            _DOCS_BY_ID_SQL, (json.dumps(ids),),
        ).fetchall()
        by_id = {int(r[0]): _hit(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    # around the answer -------------------------------------------------------------------------

    def _siblings(self, top: Hit) -> list[Hit]:
        if not top.symbol:
            return []
        rows = self.conn.execute(
            _SIBLINGS_SQL, (top.file, top.section, top.symbol, top.doc_id),
        ).fetchall()
        return [_hit(r) for r in rows]

    def _see_also(self, top: Hit) -> list[Hit]:
        """Other symbols with the same name (``run``/``RUN``) or curated as related (``-v``/``VOLUME``)."""
        if not top.symbol:
            return []
        ids: list[int] = []
        same = self.memory.symbols.get(symbol_key(top.symbol))
        ids += same.ids if same else ()
        for name in self.glossary.related_to(top.symbol):
            related = self.memory.names.get(name)
            ids += related.ids if related else ()
        out: list[Hit] = []
        seen = {(top.file, top.section, top.symbol)}
        for hit in self._hits(list(dict.fromkeys(ids))):
            ident = (hit.file, hit.section, hit.symbol)
            if ident not in seen:
                seen.add(ident)
                out.append(hit)
        return out[:3]

    def _suggest(self, scored: list[Hit]) -> list[str]:
        out: list[str] = []
        for hit in scored:
            if hit.coverage > 0 and hit.section not in out:
                out.append(hit.section)
        text = self.analysis.text
        topics = self.memory.topics
        if len(out) < 5 and text and len(topics) <= FUZZY_TOPICS:
            from rapidfuzz import fuzz, process

            for name, score, _ in process.extract(text, topics, scorer=fuzz.WRatio, limit=5):
                if score >= 60 and name not in out:
                    out.append(name)
        return out[:5]


def entry(conn: sqlite3.Connection, memory: Memory, language: Language, place: EntryPlace) -> SearchResult | None:
    """One entry named by where it sits (a learned pick, a clicked suggestion) as a found result."""
    file, section_path, kind, symbol, ord_ = place
    row = conn.execute(_ENTRY_SQL, (file, section_path, kind, symbol, symbol, ord_)).fetchone()
    if row is None:
        return None
    return _found(conn, memory, language, _hit(row))


def named(conn: sqlite3.Connection, memory: Memory, language: Language, symbol: str) -> SearchResult | None:
    """The first entry named exactly ``symbol`` (`exec`, `CMD`) as a found result, or None."""
    name = memory.names.get(symbol)
    if name is None or not name.ids:
        return None
    row = conn.execute(_DOCS_BY_ID_SQL, (json.dumps([name.ids[0]]),)).fetchone()
    return None if row is None else _found(conn, memory, language, _hit(row))


def _found(conn: sqlite3.Connection, memory: Memory, language: Language, hit: Hit) -> SearchResult:
    """``hit`` as a found result, with its siblings and see-also as a search would give them."""
    around = _Search(conn, memory, language, SqlVocabulary(conn, memory), Analysis("", (), cli_context=False))
    return SearchResult(query="", hits=[hit], confidence=1.0, found=True, siblings=around._siblings(hit),
                        see_also=around._see_also(hit))


def section(conn: sqlite3.Connection, file: str, section_path: str) -> SectionView:
    """A whole section with its entries, for ``!explain -v``."""
    rows = conn.execute(
        _SECTION_SQL, (file, section_path),
    ).fetchall()
    raw = ""
    entries: list[Hit] = []
    for r in rows:
        hit = _hit(r)
        if hit.kind == "section":
            raw = hit.raw
        else:
            entries.append(hit)
    return SectionView(file=file, section=section_path, raw=raw, entries=entries)


def _hit(row: tuple) -> Hit:
    return Hit(doc_id=int(row[0]), file=row[1], section=row[2], kind=row[3], symbol=row[4], raw=row[7],
               ord=int(row[9]))


def _with_score(hit: Hit, score: float, coverage: float, form: float, likeness: float) -> Hit:
    return Hit(doc_id=hit.doc_id, file=hit.file, section=hit.section, kind=hit.kind, symbol=hit.symbol,
               raw=hit.raw, ord=hit.ord, score=score, coverage=coverage, form=form, likeness=likeness)


def _squash(lead: float) -> float:
    """A lead in [0, 1): the first points of lead say much, the tenth little."""
    return lead / (1.0 + lead)


def _evidence(scored: list[Hit], by_words: dict[int, float], likeness: dict[int, float], alike: list[int],
              known: float) -> Evidence:
    """What the confidence model reads about the best of ``scored`` (sorted, best first); ``alike`` are the
    entries most like the question, most alike first."""
    top = scored[0]
    key = {h.doc_id: h.key for h in scored}
    runner_up = next((h for h in scored[1:] if h.key != top.key), None)
    words_top = min(by_words, key=lambda d: (-by_words[d], d))
    first, second = [*(likeness[d] for d in alike[:2]), 0.0, 0.0][:2]
    return Evidence(
        lead=_squash(top.score - (runner_up.score if runner_up else 0.0)),
        likeness=first,
        likeness_lead=first - second,
        words_agree=float(key[words_top] == top.key),
        likeness_agrees=float(bool(alike) and key.get(alike[0]) == top.key),
        known=known,
        coverage=top.coverage,
    )


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _word_query(groups: list[list[str]], *, every: bool) -> str:
    """``{symbol heading body}: ((a OR a2) AND (b))`` with ``every``, else every form OR-ed."""
    parts = ["(" + " OR ".join(forms) + ")" for forms in groups if forms]
    if not parts or (every and (len(parts) < 2 or len(parts) < len(groups))):
        return ""
    return "{symbol heading body}: (" + (" AND " if every else " OR ").join(parts) + ")"


def _chunk_query(terms: tuple[Term, ...], vocab: Vocabulary) -> str:
    """Chunks of Hangul words the vocabulary does not hold whole (compounds like 포트포워딩)."""
    parts: list[str] = []
    for term in terms:
        if term.flag or term.typed in vocab:
            continue
        for alt in sorted(term.alts):
            if is_hangul(alt) and len(alt) >= 3:
                parts.extend(_fts_string(c) for c in chunks(alt) if _ONE_TOKEN.fullmatch(c))
    if not parts:
        return ""
    return "chunks: (" + " OR ".join(sorted(set(parts))) + ")"


@dataclass(frozen=True, slots=True)
class _Probe:
    """One query term, prepared once per query for scoring every candidate."""

    weight: float
    hint: bool  # counts only when found
    flag_key: str | None  # a flag matches by symbol key only
    words: tuple[str, ...]  # " w " (the word) for known terms
    prefixes: tuple[str, ...]  # " w" (a word it begins) for known Hangul terms
    pieces: tuple[tuple[str, ...], ...]  # Hangul 2-character chunks of each form with 3+ letters


@dataclass(frozen=True, slots=True)
class _FormMatch:
    f1: float
    terms: frozenset[int]  # the query terms the form holds


def _probes(terms: tuple[Term, ...], weights: list[float]) -> list[_Probe]:
    probes: list[_Probe] = []
    for term, weight in zip(terms, weights, strict=True):
        if term.flag:
            probes.append(_Probe(weight, False, term.symbol_key, (), (), ()))
            continue
        if not term.known and not (is_hangul(term.typed) and len(term.typed) >= 3):
            probes.append(_Probe(weight, False, None, (), (), ()))  # counts against the note, never found
            continue
        alts = sorted(term.alts)
        words = tuple(f" {a} " for a in alts) if term.known else ()
        prefixes = tuple(f" {a}" for a in alts if len(a) >= 2 and is_hangul(a)) if term.known else ()
        pieces = tuple(p for p in (tuple(chunks(a)) for a in alts if len(a) >= 3) if p)
        probes.append(_Probe(weight, term.hint, None, words, prefixes, pieces))
    return probes


def _covered(doc: _Doc, probes: list[_Probe], by_form: frozenset[int]) -> list[float]:
    """How much of each query term this note holds (1 = found; chunks count in part for compounds)."""
    out: list[float] = []
    text = doc.text
    for number, probe in enumerate(probes):
        if number in by_form:
            out.append(1.0)
        elif probe.flag_key is not None:
            out.append(1.0 if doc.symbol_key == probe.flag_key else 0.0)
        elif any(w in text for w in probe.words) or any(p in text for p in probe.prefixes):
            out.append(1.0)
        else:
            matched = 0.0
            for pieces in probe.pieces:
                share = sum(1 for c in pieces if c in text) / len(pieces)
                if share >= 0.5:
                    matched = max(matched, share)
            out.append(matched)
    return out


def _share(probes: list[_Probe], covered: list[float]) -> float:
    """The share of the query's weight a note holds; a hint it lacks is left out, not counted against."""
    total = got = 0.0
    for probe, found in zip(probes, covered, strict=True):
        if probe.hint and not found:
            continue
        total += probe.weight
        got += probe.weight * found
    return got / total if total > 0 else 0.0


def _reference_words(terms: tuple[Term, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words for Docker's reference: the Docker words named, and the English forms of the rest."""
    named = [w for t in terms for w in sorted(t.docker)]
    english = [a for t in terms if not t.docker and not t.hint
               for a in sorted(t.alts) if a.isascii() and a.replace("-", "").isalnum() and a not in named]
    return tuple(dict.fromkeys(named)), tuple(dict.fromkeys(english))
