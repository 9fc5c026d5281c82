"""Scoring `!explain` on the natural question sets (tests/explain/natural/{dev,…,dev11,test,…,test9}.yaml).

The sets were written from the members' side by people who read only the notes and Docker's reference, never the
search code. ``dev`` to ``dev11`` are for tuning (each written later than the one before, and measured once before
anything was tuned on it; ``dev5`` adds bare words and pasted errors, ``dev6`` beginners' stories and situations,
``dev7`` more of both and of the reference, ``dev8`` more still, with Korean and English mixed, ``dev9`` a
university club's members, polite Korean among them, ``dev10`` a career-changers' bootcamp, ``dev11`` only
reference questions, situations and beginners, from a startup's DevOps trainees). Held out, reported
and never tuned on: ``test`` and ``test2`` (written by other helpers, after the search had been tuned on ``dev``),
``test3`` (written later still, before the likeness model was measured on it), ``test4`` (written with ``dev4``,
with comparisons and polite Korean among its kinds), ``test5`` (written with ``dev6`` by a separate helper, with
situations), ``test6`` (written with ``dev7`` by a separate helper role-playing members of different backgrounds),
``test7`` (written with ``dev8`` the same way, by another helper), ``test8`` (written with ``dev9`` by a separate
helper role-playing a company team) and ``test9`` (written with ``dev10`` by another, role-playing an open-source
community).
Labels (``expect``) name notes entries (``명령어#-d``; a bare section path also accepts that
section's plain items), reference pages (``ref:logs``) or reference sections
(``ref:builder#HEALTHCHECK``); ``null`` means nothing should answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.explain.answer import Outcome, Source

SETS = Path(__file__).parent / "natural"
_DATA = Path(__file__).resolve().parents[2] / "data"
FORMS = (_DATA / "notes" / "docker-guide-ko.questions.yaml", _DATA / "reference.questions.yaml")


@dataclass(frozen=True, slots=True)
class Question:
    q: str
    kind: str
    expect: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Shown:
    """What the bot showed for one question: an answer (notes or reference), choices, or nothing."""

    answer: str | None  # a label-shaped key: `명령어#-d`, `이미지`, `ref:logs#logs`, `ref:builder#HEALTHCHECK`
    choices: tuple[str, ...] = ()


@dataclass(slots=True)
class Tally:
    total: int = 0
    answerable: int = 0
    hit1: int = 0
    one_click: int = 0
    wrong_confident: int = 0
    unanswerable: int = 0
    refused_unanswerable: int = 0
    refused_answerable: int = 0
    reference: int = 0
    reference_right: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        refused = self.refused_unanswerable + self.refused_answerable
        return {
            "n": self.total,
            "hit@1": self.hit1 / self.answerable if self.answerable else 1.0,
            "one_click": self.one_click / self.answerable if self.answerable else 1.0,
            "wrong_confident": self.wrong_confident / self.total if self.total else 0.0,
            "nf_precision": self.refused_unanswerable / refused if refused else 1.0,
            "nf_recall": self.refused_unanswerable / self.unanswerable if self.unanswerable else 1.0,
            "ref_right": self.reference_right / self.reference if self.reference else 1.0,
        }


def _read(split: str) -> list[Question]:
    data = yaml.safe_load((SETS / f"{split}.yaml").read_text(encoding="utf-8"))
    return [Question(str(item["q"]), str(item["kind"]),
                     None if item["expect"] is None else tuple(str(x) for x in item["expect"]))
            for item in data["questions"]]


TUNING = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11")
# Splits of a few kinds only, written to find the weak ones out (every other split has every kind of member).
FOCUSED = ("dev11",)
HELD_OUT = ("test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9")


def load(split: str) -> list[Question]:
    """A split's questions; a held-out split leaves out the few phrased exactly as a tuning split's question or
    as one of the shipped question forms (written independently, they met on short ones like ``-v``): nothing
    held out was tuned on, and none is answered by recall."""
    questions = _read(split)
    if split in HELD_OUT:
        seen = {_plain(q.q) for tuning in TUNING for q in _read(tuning)} | _shipped_forms()
        questions = [q for q in questions if _plain(q.q) not in seen]
    return questions


def _plain(text: str) -> str:
    """``text`` without case, spaces and punctuation, to tell the same question written twice."""
    return "".join(c for c in text.lower() if c.isalnum())


def _shipped_forms() -> set[str]:
    forms: set[str] = set()
    for path in FORMS:
        for questions in yaml.safe_load(path.read_text(encoding="utf-8"))["forms"].values():
            forms.update(_plain(q) for q in questions)
    return forms


def matches(shown: str, label: str) -> bool:
    """``shown`` is a key from the bot; ``label`` is from the set (a bare section takes its plain items)."""
    if label.startswith("ref:"):
        if not shown.startswith("ref:"):
            return False
        page, _, heading = label[4:].partition("#")
        got_page, _, got_heading = shown[4:].partition("#")
        return page == got_page and (not heading or heading.lower() == got_heading.lower())
    return shown == label


def shown_by(outcome: Outcome) -> Shown:
    """What the bot's decision shows a member, in the sets' label shape."""
    if outcome.from_notes:
        return Shown(outcome.result.hits[0].key)
    if outcome.source is Source.REFERENCE:
        return Shown(f"ref:{outcome.reference[0].page}#{outcome.reference[0].heading}")
    return Shown(None, (*(h.key for h in outcome.choices), *(f"ref:{p.page}#{p.heading}" for p in outcome.pages)))


def right(shown: str | None, expect: Iterable[str]) -> bool:
    return shown is not None and any(matches(shown, label) for label in expect)


async def score(questions: list[Question], ask: Callable[[str], Awaitable[Shown]]) -> dict[str, Tally]:
    """Tallies per kind and ``all``."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for question in questions:
        shown = await ask(question.q)
        for tally in (tallies[question.kind], tallies["all"]):
            tally.total += 1
            if question.expect is None:
                tally.unanswerable += 1
                if shown.answer is None:
                    tally.refused_unanswerable += 1
                else:
                    tally.wrong_confident += 1
                    tally.misses.append(f"{question.q!r} answered {shown.answer}")
                continue
            tally.answerable += 1
            if shown.answer is None:
                tally.refused_answerable += 1
            good = right(shown.answer, question.expect)
            tally.hit1 += good
            if good or (shown.answer is None and any(right(c, question.expect) for c in shown.choices)):
                tally.one_click += 1
            if shown.answer is not None and not good:
                tally.wrong_confident += 1
            if question.kind == "reference":
                tally.reference += 1
                tally.reference_right += good and shown.answer is not None and shown.answer.startswith("ref:")
            if not good:
                tally.misses.append(f"{question.q!r} → {shown.answer} {list(shown.choices)} want {question.expect}")
    return dict(tallies)


def table(tallies: dict[str, Tally]) -> str:
    kinds = [*sorted(k for k in tallies if k != "all"), "all"]
    cols = ["n", "hit@1", "one_click", "wrong_confident", "nf_precision", "nf_recall", "ref_right"]
    lines = [f"{'kind':<11}" + "".join(f"{c:>16}" for c in cols)]
    for kind in kinds:
        row = tallies[kind].row()
        lines.append(f"{kind:<11}" + "".join(
            f"{row[c]:>16.0f}" if c == "n" else f"{row[c]:>16.2f}" for c in cols))
    return "\n".join(lines)
