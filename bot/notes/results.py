"""What a search gives back: hits (sections and entries as written), results, whole sections."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.notes.confidence import Evidence
from bot.notes.parser import PATH_SEP, symbol_kind


@dataclass(frozen=True, slots=True)
class IndexStats:
    files: int
    sections: int
    entries: int
    seconds: float


# Where an entry sits, stable across rebuilds while the notes keep it: file, section, kind, symbol, order.
EntryPlace = tuple[str, str, str, str | None, int]


@dataclass(frozen=True, slots=True)
class Hit:
    """A section or an entry of the notes, as written, with where it comes from."""

    doc_id: int
    file: str
    section: str
    kind: str  # "section" | "entry"
    symbol: str | None
    raw: str
    ord: int = -1  # the entry's place in its section; -1 for the section itself
    score: float = 0.0
    coverage: float = 0.0
    form: float = 0.0  # how well its best question form matches the question (F1 of words)
    likeness: float = 0.0  # how much the question looks like its question forms (bot.notes.likeness)

    @property
    def key(self) -> str:
        """``Dockerfile › command#RUN`` for symbols, the section path otherwise."""
        return f"{self.section}#{self.symbol}" if self.symbol else self.section

    @property
    def place(self) -> EntryPlace:
        return (self.file, self.section, self.kind, self.symbol, self.ord)

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
    # `found` was decided by the calibrated model (the best entry has question forms; the explainer weighs the
    # reference in too), else by coverage; either way the explainer also asks for a clear lead.
    calibrated: bool = False
    evidence: Evidence | None = None  # what the model read, when calibrated
    see_also: list[Hit] = field(default_factory=list)
    siblings: list[Hit] = field(default_factory=list)  # same symbol, same section (shown together)
    suggestions: list[str] = field(default_factory=list)
    vetoed: bool = False  # the question names a Docker word the notes lack: it is the reference's
    docker: tuple[str, ...] = ()  # Docker words the question names (`logs`): it may be the reference's
    english: tuple[str, ...] = ()  # the question's other words in English, to search the reference with
    elsewhere: tuple[str, ...] = ()  # other tools it names instead of Docker (kubectl): nothing here answers it
    known: float = 0.0  # the share of the question's weight the notes, glossary and lexicon know
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
