"""Natural questions written from the members' side (tests/explain/natural): floors that guard the
measured quality. ``dev`` is the tuning split; ``test`` and ``test2`` are held out and never tuned on
(``test2`` was written by another helper after the search had been tuned on ``dev``).

Measured at the time of writing: ``test`` (200 questions) hit@1 0.70, within one click 0.82, wrong confident
answers 0.12, off-topic refused 15/15, reference questions right 0.54; ``test2`` (176) 0.69 / 0.85 / 0.10,
off-topic 14/14, reference 0.48; dev 0.78 / 0.92 / 0.05. The issue's targets (0.85 / 0.95 / 0.03 / all) are not
met yet; these floors stop a change from making it worse.
"""

from __future__ import annotations

import pytest

from bot.core import Core
from bot.explain.command import explainer
from tests.explain import evaluation as ev


async def _tallies(core: Core, split: str) -> dict[str, ev.Tally]:
    the = explainer(core)

    async def ask(question: str) -> ev.Shown:
        return ev.shown_by(await the.answer(question, None))

    return await ev.score(ev.load(split), ask)


def test_sets_are_big_varied_and_split() -> None:
    dev, test, test2 = ev.load("dev"), ev.load("test"), ev.load("test2")
    assert len(dev) + len(test) + len(test2) >= 500 and len(test) >= 150 and len(test2) >= 150
    assert not {q.q for q in dev} & ({q.q for q in test} | {q.q for q in test2})
    for questions in (dev, test, test2):
        kinds = {q.kind for q in questions}
        assert {"ko_casual", "en", "beginner", "typo", "mixed", "two_part", "reference", "offtopic"} <= kinds
    assert sum(q.expect is None or q.kind == "reference" for q in dev + test) >= 40


@pytest.mark.parametrize(
    ("split", "hit1", "one_click", "wrong", "refused"),
    [("dev", 0.75, 0.89, 0.07, 1.0), ("test", 0.67, 0.79, 0.14, 1.0), ("test2", 0.66, 0.82, 0.12, 1.0)],
)
async def test_natural_questions_hold_their_floor(
    core: Core, split: str, hit1: float, one_click: float, wrong: float, refused: float
) -> None:
    row = (await _tallies(core, split))["all"].row()
    assert row["hit@1"] >= hit1, row
    assert row["one_click"] >= one_click, row
    assert row["wrong_confident"] <= wrong, row
    assert row["nf_recall"] >= refused, row
