"""Natural questions written from the members' side (tests/notes/natural): floors that guard the
measured quality. ``dev`` is the tuning split; ``test`` is held out and never tuned on.

Measured at the time of writing (held-out ``test``, 200 questions): hit@1 0.70, within one click 0.81, wrong
confident answers 0.13, off-topic refused 15/15, reference questions right 0.50 (dev: 0.77 / 0.91 / 0.06).
The issue's targets (0.85 / 0.95 / 0.03 / all) are not met yet; these floors stop a change from making it worse.
"""

from __future__ import annotations

import pytest

from bot.commands.explain import explainer
from bot.core import Core
from tests.notes import evaluation as ev


async def _tallies(core: Core, split: str) -> dict[str, ev.Tally]:
    the = explainer(core)

    async def ask(question: str) -> ev.Shown:
        return ev.shown_by(await the.answer(question, None))

    return await ev.score(ev.load(split), ask)


def test_sets_are_big_varied_and_split() -> None:
    dev, test = ev.load("dev"), ev.load("test")
    assert len(dev) + len(test) >= 300 and len(test) >= 150
    assert not {q.q for q in dev} & {q.q for q in test}
    for questions in (dev, test):
        kinds = {q.kind for q in questions}
        assert {"ko_casual", "en", "beginner", "typo", "mixed", "two_part", "reference", "offtopic"} <= kinds
    assert sum(q.expect is None or q.kind == "reference" for q in dev + test) >= 40


@pytest.mark.parametrize(
    ("split", "hit1", "one_click", "wrong", "refused"),
    [("dev", 0.74, 0.88, 0.08, 1.0), ("test", 0.67, 0.78, 0.15, 1.0)],
)
async def test_natural_questions_hold_their_floor(
    core: Core, split: str, hit1: float, one_click: float, wrong: float, refused: float
) -> None:
    row = (await _tallies(core, split))["all"].row()
    assert row["hit@1"] >= hit1, row
    assert row["one_click"] >= one_click, row
    assert row["wrong_confident"] <= wrong, row
    assert row["nf_recall"] >= refused, row
