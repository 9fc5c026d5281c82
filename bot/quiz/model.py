"""What a question is, whatever it came from (a YAML bank or the notes)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.quiz.lab_check import LabTask


class QuestionType(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    FREE = "free"
    FILL_BLANK = "fill_blank"
    LAB = "lab"  # done in the member's !docker lab, checked against its state (never asked in a round)

    @property
    def has_choices(self) -> bool:
        return self in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE)


class MatchKind(StrEnum):
    """How typed answers are compared: ``prose`` allows loose and fuzzy forms, ``code`` does not."""

    PROSE = "prose"
    CODE = "code"


BLANK = "___"


@dataclass(frozen=True, slots=True)
class Question:
    """One question.

    ``answers[0]`` is the canonical answer and the rest are accepted aliases. For true/false
    questions the canonical answer is ``"true"`` or ``"false"``. ``explain`` is the term shown in
    the way back to the notes (``!explain -v <explain>``).

    ``prompts`` holds the prompt per language when the bank gives several (``prompt`` is then the first).
    A ``lab`` question has its ``task`` (what its check looks for) and its solution as ``answers[0]``.
    """

    id: str
    type: QuestionType
    prompt: str
    answers: tuple[str, ...]
    distractors: tuple[str, ...] = ()
    match: MatchKind = MatchKind.PROSE
    hints: tuple[str, ...] = ()
    explanation: str = ""
    tags: tuple[str, ...] = ()
    section: str = ""
    explain: str = ""
    source: str = ""
    prompts: tuple[tuple[str, str], ...] = ()
    task: LabTask | None = None

    def prompt_in(self, lang: str) -> str:
        return dict(self.prompts).get(lang, self.prompt)

    @property
    def canonical(self) -> str:
        return self.answers[0]

    @property
    def topic(self) -> str:
        """The primary topic (first tag), used for stats and ``!quiz <topic>``."""
        return self.tags[0] if self.tags else "general"

    @property
    def explain_query(self) -> str:
        if self.explain:
            return self.explain
        return self.section.split(">")[-1].strip() if self.section else self.canonical
