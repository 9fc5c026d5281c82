"""Natural questions written from the members' side (tests/explain/natural): floors that guard the
measured quality. ``dev`` to ``dev10`` are the tuning splits; ``test`` to ``test9`` are held out and never tuned
on (``test`` and ``test2`` were written by other helpers after the search had been tuned on ``dev``; ``dev2``
came later and was measured once, at 0.68 / 0.83 / 0.10, before anything was tuned on it; ``test3`` was written
by a helper who saw only the notes and the reference, and first measured at 0.62 / 0.76 / 0.14 with the search as
it was before letter-run likeness and the confidence model; ``dev3`` to ``dev10`` were written the same way later
still, and first measured at 0.75 / 0.81 / 0.08, 0.74 / 0.88 / 0.08, 0.77 / 0.93 / 0.04, 0.80 / 0.90 / 0.03,
0.73 / 0.85 / 0.03, 0.66 / 0.79 / 0.07, 0.71 / 0.87 / 0.07 and 0.84 / 0.96 / 0.02; ``test4`` was written beside
``dev4``, ``test5`` beside ``dev6``, ``test6`` beside ``dev7``, ``test7`` beside ``dev8``, ``test8`` beside ``dev9``
and ``test9`` beside ``dev10``; ``test6`` was first measured at 0.74 / 0.89 / 0.04, ``test7`` at 0.71 / 0.85 /
0.06, ``test8`` at 0.76 / 0.87 / 0.04 and ``test9`` at 0.72 / 0.84 / 0.03, each before anything was tuned on its
companion). A held-out question phrased exactly as a tuning question or a shipped
question form is left out (see :func:`tests.explain.evaluation.load`).

Measured at the time of writing (hit@1 / within one click / wrong confident answers): ``test`` (174 questions)
0.90 / 0.97 / 0.03, off-topic refused 12/12; ``test2`` (162) 0.94 / 0.97 / 0.02, off-topic 14/14; ``test3`` (185)
0.90 / 0.93 / 0.06, off-topic 18/18; ``test4`` (179) 0.86 / 0.94 / 0.03, off-topic 17/17; ``test5`` (191) 0.78 /
0.90 / 0.04, off-topic 25/25; ``test6`` (193) 0.82 / 0.92 / 0.05, off-topic 22/23; ``test7`` (200) 0.78 / 0.90 /
0.06, off-topic 23/25; ``test8`` (196) 0.77 / 0.88 / 0.04, off-topic 20/20; ``test9`` (184) 0.73 / 0.84 / 0.04,
off-topic 18/18; dev 0.95 / 0.99 / 0.01; dev2 0.98 / 1.00 / 0.00; dev3 0.93 / 0.99 / 0.00; dev4 0.94 / 0.98 / 0.01;
dev5 0.90 / 0.97 / 0.01; dev6 0.88 / 0.95 / 0.02; dev7 0.87 / 0.94 / 0.01; dev8 0.77 / 0.90 / 0.04; dev9 0.79 / 0.93
/ 0.05; dev10 0.86 / 0.96 / 0.02; dev11 (reference questions, situations and beginners only, first measured at 0.69 /
0.76 / 0.10) 0.73 / 0.80 / 0.08. The issue's targets (0.85 / 0.95 / 0.03 / all) are not all met yet on the held-out
splits; these floors stop a change from making it worse.
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
    for split, questions in zip((*ev.TUNING, *ev.HELD_OUT), (*tuning, *held), strict=True):
        if split in ev.FOCUSED:
            continue
        kinds = {q.kind for q in questions}
        assert {"ko_casual", "en", "typo", "mixed", "reference", "offtopic"} <= kinds
        assert kinds & {"two_part", "compare", "situational"} and kinds & {"beginner", "short", "error"}
    assert sum(q.expect is None or q.kind == "reference" for q in dev + held[0]) >= 40


@pytest.mark.parametrize(
    ("split", "hit1", "one_click", "wrong", "refused"),
    [("dev", 0.9, 0.96, 0.03, 1.0), ("dev2", 0.91, 0.96, 0.02, 1.0), ("dev3", 0.82, 0.9, 0.04, 0.98),
     ("dev4", 0.82, 0.91, 0.05, 0.95), ("dev5", 0.79, 0.91, 0.05, 1.0), ("dev6", 0.81, 0.89, 0.05, 1.0),
     ("dev7", 0.8, 0.88, 0.05, 0.96), ("dev8", 0.72, 0.86, 0.07, 0.96), ("dev9", 0.74, 0.9, 0.07, 0.95),
     # (dev10: one of its 20 off-topic questions answered when it was written; dev11 has no off-topic ones)
     ("dev10", 0.82, 0.92, 0.04, 0.95), ("dev11", 0.7, 0.75, 0.1, 1.0),
     ("test", 0.83, 0.92, 0.06, 1.0), ("test2", 0.86, 0.9, 0.06, 1.0), ("test3", 0.83, 0.87, 0.07, 1.0),
     ("test4", 0.8, 0.9, 0.05, 1.0), ("test5", 0.7, 0.85, 0.06, 1.0),
     # (test6 as measured at the end of the session that wrote it: two of its 23 off-topic questions answered)
     ("test6", 0.76, 0.89, 0.07, 0.9),
     # (test7 likewise, at the end of the session that wrote it: two of its 25 off-topic questions answered)
     ("test7", 0.73, 0.87, 0.08, 0.92), ("test8", 0.74, 0.85, 0.06, 1.0), ("test9", 0.69, 0.8, 0.06, 1.0)],
)
async def test_natural_questions_hold_their_floor(
    core: Core, split: str, hit1: float, one_click: float, wrong: float, refused: float
) -> None:
    row = (await _tallies(core, split))["all"].row()
    assert row["hit@1"] >= hit1, row
    assert row["one_click"] >= one_click, row
    assert row["wrong_confident"] <= wrong, row
    assert row["nf_recall"] >= refused, row
