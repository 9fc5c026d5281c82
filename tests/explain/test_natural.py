"""Natural questions written from the members' side (tests/explain/natural): floors that guard the
measured quality. ``dev`` and ``dev2`` are the tuning splits; ``test`` and ``test2`` are held out and never
tuned on (both were written by other helpers after the search had been tuned on ``dev``; ``dev2`` came last
and was measured once, at 0.68 / 0.83 / 0.10, before anything was tuned on it).

Measured at the time of writing: ``test`` (195 questions) hit@1 0.71, within one click 0.82, wrong confident
answers 0.12, off-topic refused 15/15, reference questions right 0.62; ``test2`` (174) 0.69 / 0.85 / 0.10,
off-topic 14/14, reference 0.48; dev 0.78 / 0.92 / 0.05; dev2 0.71 / 0.86 / 0.08. The issue's targets
(0.85 / 0.95 / 0.03 / all) are not met yet; these floors stop a change from making it worse.
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
    dev, dev2, test, test2 = ev.load("dev"), ev.load("dev2"), ev.load("test"), ev.load("test2")
    assert len(dev) + len(dev2) + len(test) + len(test2) >= 700 and len(test) >= 150 and len(test2) >= 150
    assert not ({q.q for q in dev} | {q.q for q in dev2}) & ({q.q for q in test} | {q.q for q in test2})
    for questions in (dev, dev2, test, test2):
        kinds = {q.kind for q in questions}
        assert {"ko_casual", "en", "beginner", "typo", "mixed", "two_part", "reference", "offtopic"} <= kinds
    assert sum(q.expect is None or q.kind == "reference" for q in dev + test) >= 40


@pytest.mark.parametrize(
    ("split", "hit1", "one_click", "wrong", "refused"),
    [("dev", 0.75, 0.89, 0.07, 1.0), ("dev2", 0.68, 0.83, 0.09, 1.0), ("test", 0.68, 0.79, 0.14, 1.0),
     ("test2", 0.66, 0.82, 0.12, 1.0)],
)
async def test_natural_questions_hold_their_floor(
    core: Core, split: str, hit1: float, one_click: float, wrong: float, refused: float
) -> None:
    row = (await _tallies(core, split))["all"].row()
    assert row["hit@1"] >= hit1, row
    assert row["one_click"] >= one_click, row
    assert row["wrong_confident"] <= wrong, row
    assert row["nf_recall"] >= refused, row
