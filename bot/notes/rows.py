"""Rows of the notes index, made one section at a time so a big notes folder streams into SQLite.

:class:`RowMaker` turns parsed sections into ``notes_docs`` and ``notes_fts`` rows and keeps the
small summaries the index needs afterwards: document frequencies (``notes_terms``), the Hangul
2-character chunks of every word (``notes_chunks``), and per name — symbol key, exact symbol,
heading key, section path — how often it occurs and its first few row ids (``notes_names``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from bot.notes.korean import chunks, index_terms, is_hangul
from bot.notes.morph import lemma_terms
from bot.notes.parser import Section

# Ids kept per name: enough for exact-name candidates and "see also" after duplicates are skipped.
IDS_PER_NAME = 16
_CODE_SPAN = re.compile(r"`([^`\n]+)`")

DocRow = tuple[int, str, str, int, int, str, str | None, str | None, str | None, str, str]
FtsRow = tuple[int, str, str, str, str]


def heading_key(name: str) -> str:
    return "".join(index_terms(name))


def symbol_key(symbol: str) -> str:
    if symbol.startswith("-"):
        return "-" + symbol.lstrip("-").lower()
    return symbol.split()[0].lower()


class RowMaker:
    """Numbers sections and entries from 1 in file order and collects the summaries as it goes."""

    def __init__(self) -> None:
        self.docs = 0
        self.sections = 0
        self.entries = 0
        self.df: Counter[str] = Counter()
        self.chunks: set[str] = set()
        # (kind, key) → [count, first id, ids...]
        self._names: dict[tuple[str, str], list[int]] = {}
        # (file, entry key) → the first row with that key (question forms attach to it)
        self.keys: dict[tuple[str, str], int] = {}

    def rows(self, section: Section) -> Iterator[tuple[DocRow, FtsRow]]:
        """The section itself, then each of its entries."""
        self.sections += 1
        self.entries += len(section.entries)
        heading_terms = index_terms(" ".join(section.path))
        section_raw = "\n\n".join(p for p in [section.definition, *section.body] if p)
        items: list[tuple[int, str, str | None, str]] = [(-1, "section", None, section_raw)]
        items += [(e.ordinal, "entry", e.symbol, e.raw) for e in section.entries]
        # A section with no text of its own and one plain item (`명령어`): its forms are that item's.
        lone = sum(1 for e in section.entries if e.symbol is None) == 1 and not section_raw
        for ord_, kind, symbol, raw in items:
            lone_item = lone and kind == "entry" and symbol is None
            self.docs += 1
            doc_id = self.docs
            body_source = raw if symbol is None else raw.split("`", 2)[-1]
            body_terms = index_terms(body_source) + lemma_terms(body_source)
            sym_terms = [symbol_key(symbol).lstrip("-")] if symbol else []
            # Other code spans name things too (`Docker version`): they go in the symbol column.
            sym_terms += [t for span in _CODE_SPAN.findall(body_source) for t in index_terms(span)]
            all_terms = set(body_terms) | set(heading_terms) | set(sym_terms)
            # A heading word counts once per section, not once per entry under it.
            self.df.update(all_terms if kind == "section" else set(body_terms) | set(sym_terms))
            hangul = [t for t in set(body_terms) | set(heading_terms) if is_hangul(t)]
            chunk_list = sorted({c for t in hangul for c in chunks(t)})
            self.chunks.update(chunk_list)
            if symbol is not None or lone_item or (kind == "section" and not lone):
                self.keys.setdefault((section.file, f"{section.key}#{symbol}" if symbol else section.key), doc_id)
            skey = symbol_key(symbol) if symbol else None
            hkey = heading_key(section.name) if kind == "section" else None
            if symbol is not None and skey is not None:
                self._name("symbol", skey, doc_id)
                self._name("name", symbol, doc_id)
            if kind == "section":
                self._name("heading", hkey or "", doc_id)
                self._name("topic", section.key, doc_id)
            yield (
                (doc_id, section.file, section.key, section.ordinal, ord_, kind, symbol, skey, hkey, raw,
                 " ".join(sorted(all_terms))),
                (doc_id, " ".join(sym_terms), " ".join(heading_terms), " ".join(body_terms), " ".join(chunk_list)),
            )

    def _name(self, kind: str, key: str, doc_id: int) -> None:
        slot = self._names.get((kind, key))
        if slot is None:
            self._names[(kind, key)] = [1, doc_id]
            return
        slot[0] += 1
        if len(slot) <= IDS_PER_NAME:
            slot.append(doc_id)

    def name_rows(self) -> list[tuple[str, str, int, int, str]]:
        """``notes_names`` rows: kind, key, count, first id, the first ids space-separated."""
        return [(kind, key, slot[0], slot[1], " ".join(map(str, slot[1:])))
                for (kind, key), slot in self._names.items()]
