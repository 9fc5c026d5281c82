"""Search quality on the labelled question set (tests/explain/questions.yaml)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.core import Core
from bot.notes.index import Hit

QUESTIONS = yaml.safe_load((Path(__file__).parent / "questions.yaml").read_text(encoding="utf-8"))["questions"]


def _is(hit: Hit, label: str) -> bool:
    """`section#symbol` names one entry; a bare section path names the section or one of its plain items."""
    if "#" in label:
        return hit.key == label
    return hit.section == label and hit.symbol is None


def test_question_set_is_big_and_varied() -> None:
    assert len(QUESTIONS) >= 60
    assert sum(1 for q in QUESTIONS if q["expect"] is None) >= 8
    assert any(q["q"].startswith("-") for q in QUESTIONS)


async def test_hit_at_1_and_mrr_at_5(core: Core) -> None:
    answerable = [q for q in QUESTIONS if q["expect"] is not None]
    hits_at_1 = 0
    reciprocal = 0.0
    misses: list[str] = []
    for question in answerable:
        result = await core.notes.search(question["q"])
        ranked = result.hits[:5] if result.found else []
        rank = next((i for i, hit in enumerate(ranked) if _is(hit, question["expect"])), None)
        if rank == 0:
            hits_at_1 += 1
        else:
            misses.append(f"{question['q']!r} → {[h.key for h in ranked[:2]]}")
        if rank is not None:
            reciprocal += 1 / (rank + 1)
    hit_at_1 = hits_at_1 / len(answerable)
    mrr = reciprocal / len(answerable)
    assert hit_at_1 >= 0.95, misses
    assert mrr >= 0.97, misses


async def test_questions_without_answer_are_not_found(core: Core) -> None:
    wrong = []
    for question in (q for q in QUESTIONS if q["expect"] is None):
        result = await core.notes.search(question["q"])
        if result.found:
            wrong.append(f"{question['q']!r} → {result.hits[0].key}")
    assert not wrong
