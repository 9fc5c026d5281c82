"""Deciding what answers a question: a learned pick, the notes, Docker's reference, or choices.

Order: what this server's members picked for the same question before; the notes when the search
is sure; Docker's reference when the question names a Docker word (`logs`, 로그) and the notes
cannot answer; otherwise up to three entries to pick from, when the question is about something
the notes know; else "not found". Never a guess presented as an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.explain.store import ExplainStore
from bot.notes.index import NotesIndex
from bot.notes.results import Hit, SearchResult
from bot.notes.search import MIN_KNOWN
from bot.reference.index import ReferenceIndex, RefHit

MAX_CHOICES = 3
# The notes answer outright only when their best entry leads the next one by this much score;
# closer calls become choices (tuned on the dev split: a wrong answer costs more than a click).
LEAD = 0.3
# An entry is offered as a choice when it holds this share of the question (tuned on the dev split).
CHOICE_COVERAGE = 0.3


# Things nearly every reference page mentions: as extra words they pull `docker container` ahead of
# `docker logs` for "see container logs".
_GENERIC_OBJECTS = frozenset({"container", "containers", "image", "images", "docker"})


class Source(StrEnum):
    LEARNED = "learned"
    NOTES = "notes"
    REFERENCE = "reference"
    CHOICES = "choices"
    NOT_FOUND = "not_found"
    PROBLEM = "problem"


@dataclass(slots=True)
class Outcome:
    source: Source
    result: SearchResult
    reference: list[RefHit] = field(default_factory=list)
    choices: list[Hit] = field(default_factory=list)

    @property
    def from_notes(self) -> bool:
        return self.source in (Source.LEARNED, Source.NOTES)


class Explainer:
    """The decision behind ``!explain``; one per process, shared by every platform."""

    def __init__(self, notes: NotesIndex, reference: ReferenceIndex, store: ExplainStore) -> None:
        self.notes = notes
        self.reference = reference
        self.store = store

    async def answer(self, question: str, scope: str | None) -> Outcome:
        if scope is not None:
            place = await self.store.learned(scope, question)
            learned = await self.notes.entry(place) if place is not None else None
            if learned is not None:
                return Outcome(Source.LEARNED, learned)
        result = await self.notes.search(question)
        if result.problem is not None:
            return Outcome(Source.PROBLEM, result)
        if result.best is not None:
            if _clear_lead(result):
                return Outcome(Source.NOTES, result)
            return Outcome(Source.CHOICES, result, choices=_choices(result))
        if result.docker and result.known >= MIN_KNOWN:
            # The Docker words lead; other words count only where they name reference topics (`create`).
            words = [*result.docker, *(w for w in result.english
                                        if w in self.reference.words() and w not in _GENERIC_OBJECTS)]
            hits = await self.reference.search(words, limit=MAX_CHOICES)
            if hits:
                return Outcome(Source.REFERENCE, result, reference=hits)
        choices = _choices(result)
        return Outcome(Source.CHOICES if choices else Source.NOT_FOUND, result, choices=choices)


def _clear_lead(result: SearchResult) -> bool:
    """The best entry leads, or the runner-up only shares its name (`run`/`RUN`: shown as "see also")."""
    top = result.hits[0]
    runner_up = next((h for h in result.hits[1:] if h.key != top.key), None)
    if runner_up is None or top.score - runner_up.score >= LEAD:
        return True
    return top.symbol is not None and (runner_up.symbol or "").lower() == top.symbol.lower()


def _choices(result: SearchResult) -> list[Hit]:
    """The best entries, one per name, when the question is about what the notes hold at all."""
    if result.known < MIN_KNOWN:
        return []
    out: list[Hit] = []
    for hit in result.hits:
        if hit.coverage >= CHOICE_COVERAGE and all(hit.key != o.key for o in out):
            out.append(hit)
    return out[:MAX_CHOICES]
