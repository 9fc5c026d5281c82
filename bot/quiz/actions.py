"""Every ``quiz:`` action id (the ``action`` of a quiz :class:`~bot.replies.Choice`), written and read here.

The core routes each id to ``core.add_action("quiz", …)``; all are ≤ 100 characters:

- ``quiz:a:<instance_id>:<choice_index>`` — a choice button of a round question (0-based index).
- ``quiz:type:<instance_id>`` — "Answer" button of a typed question (``Choice.text_input``): Discord and
  Slack open a text box and pass the text with the action, which goes to ``QuizService.answer_text``; the
  console shows "✍️" and takes the next typed line. Without text it answers "type your answer in the channel".
- ``quiz:r:<question_id>:<choice_index>`` — a choice in ``!review``.
- ``quiz:rs:<question_id>`` — "Show answer" in ``!review`` (typed questions).
- ``quiz:rg:<question_id>:<1-4>`` — self-grade after "Show answer" (Again, Hard, Good, Easy).
- ``quiz:lc`` / ``quiz:lg`` — "Check my lab" / "Give up" of a lab exercise: whoever clicks, it is their own open
  exercise (one per member and server) that is checked, so the id names none.
- ``quiz:rl:<question_id>`` — "Try it in my lab" of a lab card in ``!review``.

A button can outlive what it names (a closed question, a removed bank entry), so :func:`parse` only reads
the shape; the service decides what an id still means.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.textsafe import ascii_int

PREFIX = "quiz"
_ID_DIGITS = 18  # instance ids are database integers


@dataclass(frozen=True, slots=True)
class Answer:
    """A choice button of a round question."""

    instance_id: int
    index: int


@dataclass(frozen=True, slots=True)
class TypeAnswer:
    """The "Answer" button of a typed round question."""

    instance_id: int


@dataclass(frozen=True, slots=True)
class ReviewPick:
    """A choice in ``!review``; ``index`` is None when the id's number is not one."""

    question_id: str
    index: int | None


@dataclass(frozen=True, slots=True)
class ReviewShow:
    """The "Show answer" button of a typed ``!review`` card."""

    question_id: str


@dataclass(frozen=True, slots=True)
class ReviewGrade:
    """A self-grade after "Show answer"; ``grade`` is None when the id's number is not one."""

    question_id: str
    grade: int | None


@dataclass(frozen=True, slots=True)
class ReviewLab:
    """"Try it in my lab" of a lab card in ``!review``."""

    question_id: str


@dataclass(frozen=True, slots=True)
class LabCheck:
    """"Check my lab": check the clicker's open lab exercise."""


@dataclass(frozen=True, slots=True)
class LabGiveUp:
    """"Give up" the clicker's open lab exercise."""


ReviewAction = ReviewPick | ReviewShow | ReviewGrade | ReviewLab
Action = Answer | TypeAnswer | ReviewAction | LabCheck | LabGiveUp


def answer(instance_id: int, index: int) -> str:
    return f"{PREFIX}:a:{instance_id}:{index}"


def type_answer(instance_id: int) -> str:
    return f"{PREFIX}:type:{instance_id}"


def review_pick(question_id: str, index: int) -> str:
    return f"{PREFIX}:r:{question_id}:{index}"


def review_show(question_id: str) -> str:
    return f"{PREFIX}:rs:{question_id}"


def review_grade(question_id: str, grade: int) -> str:
    return f"{PREFIX}:rg:{question_id}:{grade}"


def review_lab(question_id: str) -> str:
    return f"{PREFIX}:rl:{question_id}"


def lab_check() -> str:
    return f"{PREFIX}:lc"


def lab_give_up() -> str:
    return f"{PREFIX}:lg"


def parse(action: str) -> Action | None:
    """The action an id names, or None when it has no quiz shape."""
    parts = action.split(":")
    kind, args = (parts[1] if len(parts) > 1 else ""), parts[2:]
    if kind == "a" and len(args) == 2:
        instance_id, index = ascii_int(args[0], _ID_DIGITS), ascii_int(args[1], _ID_DIGITS)
        if instance_id is not None and index is not None:
            return Answer(instance_id, index)
    elif kind == "type" and len(args) == 1:
        instance_id = ascii_int(args[0], _ID_DIGITS)
        if instance_id is not None:
            return TypeAnswer(instance_id)
    elif kind == "lc" and not args:
        return LabCheck()
    elif kind == "lg" and not args:
        return LabGiveUp()
    elif kind == "rl" and len(args) == 1:
        return ReviewLab(args[0])
    elif kind in ("r", "rs", "rg") and args:
        number = ascii_int(args[1]) if len(args) == 2 else None
        if kind == "rs":
            return ReviewShow(args[0])
        return ReviewPick(args[0], number) if kind == "r" else ReviewGrade(args[0], number)
    return None
