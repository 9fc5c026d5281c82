"""Natural questions written from the members' side (tests/explain/natural): floors that guard the
measured quality. ``dev``, ``dev2`` and ``dev3`` are the tuning splits; ``test``, ``test2`` and ``test3`` are held
out and never tuned on (``test`` and ``test2`` were written by other helpers after the search had been tuned on
``dev``; ``dev2`` came later and was measured once, at 0.68 / 0.83 / 0.10, before anything was tuned on it;
``test3`` was written by a helper who saw only the notes and the reference, and first measured at 0.62 / 0.76 /
0.14 with the search as it was before letter-run likeness and the confidence model; ``dev3`` was written the same
way later still, and first measured at 0.75 / 0.81 / 0.08). A held-out question phrased exactly as a tuning
question or a shipped question form is left out (see :func:`tests.explain.evaluation.load`).

Measured at the time of writing (hit@1 / within one click / wrong confident answers): ``test`` (182 questions)
0.82 / 0.94 / 0.03, off-topic refused 14/14, reference questions right 0.75; ``test2`` (167) 0.86 / 0.92 / 0.04,
off-topic 14/14, reference 0.64; ``test3`` (190) 0.78 / 0.89 / 0.06, off-topic 19/20, reference 0.62; dev
0.91 / 0.98 / 0.02; dev2 0.89 / 0.98 / 0.01; dev3 0.77 / 0.85 / 0.05. The issue's targets (0.85 / 0.95 / 0.03 /
all) are not met yet on the held-out splits; these floors stop a change from making it worse.
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
    tuning = [ev.load(split) for split in ev.TUNING]
    held = [ev.load(split) for split in ev.HELD_OUT]
    assert sum(map(len, tuning + held)) >= 1200 and all(len(h) >= 150 for h in held)
    assert not {q.q for t in tuning for q in t} & {q.q for h in held for q in h}
    dev = tuning[0]
    for questions in (*tuning, *held):
        kinds = {q.kind for q in questions}
        assert {"ko_casual", "en", "typo", "mixed", "reference", "offtopic"} <= kinds
        assert kinds & {"two_part", "compare"} and kinds & {"beginner", "short", "error"}
    assert sum(q.expect is None or q.kind == "reference" for q in dev + held[0]) >= 40


@pytest.mark.parametrize(
    ("split", "hit1", "one_click", "wrong", "refused"),
    [("dev", 0.87, 0.95, 0.04, 1.0), ("dev2", 0.86, 0.95, 0.03, 1.0), ("dev3", 0.77, 0.87, 0.05, 0.98),
     ("test", 0.79, 0.91, 0.05, 0.92), ("test2", 0.83, 0.89, 0.06, 1.0), ("test3", 0.74, 0.86, 0.08, 0.9)],
)
async def test_natural_questions_hold_their_floor(
    core: Core, split: str, hit1: float, one_click: float, wrong: float, refused: float
) -> None:
    row = (await _tallies(core, split))["all"].row()
    assert row["hit@1"] >= hit1, row
    assert row["one_click"] >= one_click, row
    assert row["wrong_confident"] <= wrong, row
    assert row["nf_recall"] >= refused, row
