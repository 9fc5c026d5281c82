"""The replies of lab exercises: the task with its buttons, what a check found, the result."""

from __future__ import annotations

from bot.i18n import t
from bot.quiz import actions
from bot.quiz.lab_check import Problem
from bot.quiz.lab_strings import problem_lines
from bot.quiz.model import Question
from bot.quiz.replies import explain_command
from bot.replies import Choice, Code, Reply, Text, Tone
from bot.textsafe import fence_safe


def task_buttons(lang: str) -> list[Choice]:
    return [
        Choice(t(lang, "quiz.lab.check"), actions.lab_check(), style="primary"),
        Choice(t(lang, "quiz.lab.give_up"), actions.lab_give_up()),
    ]


def task_reply(
    question: Question, lang: str, prefix: str, *, setup: tuple[Problem, ...] = (), reminder: bool = False,
    ephemeral: bool = False,
) -> Reply:
    """The exercise; ``setup``: what the lab still needs before it starts; ``reminder``: it was already open."""
    blocks: list[Text | Code] = []
    if reminder:
        blocks.append(Text(t(lang, "quiz.lab.already_open")))
    blocks.append(Text(question.prompt_in(lang)))
    if setup:
        lines = [t(lang, "quiz.lab.setup_needed"), *problem_lines(setup, lang), t(lang, "quiz.lab.setup_then")]
        blocks.append(Text("\n".join(lines)))
    blocks.append(Text(t(lang, "quiz.lab.how", prefix=prefix)))
    return Reply(
        blocks=blocks, title=t(lang, "quiz.lab.title", topic=question.topic), choices=task_buttons(lang),
        ephemeral=ephemeral,
    )


def setup_reply(problems: tuple[Problem, ...], lang: str) -> Reply:
    lines = [t(lang, "quiz.lab.setup_needed"), *problem_lines(problems, lang), t(lang, "quiz.lab.setup_then")]
    return Reply(blocks=[Text("\n".join(lines))], tone=Tone.WARNING, choices=task_buttons(lang), ephemeral=True)


def ready_reply(lang: str) -> Reply:
    return Reply(blocks=[Text(t(lang, "quiz.lab.ready"))], choices=task_buttons(lang), ephemeral=True)


def not_yet_reply(problems: tuple[Problem, ...], lang: str) -> Reply:
    lines = [t(lang, "quiz.lab.not_yet"), *problem_lines(problems, lang)]
    return Reply(blocks=[Text("\n".join(lines))], tone=Tone.WARNING, choices=task_buttons(lang), ephemeral=True)


def result_reply(question: Question, lang: str, prefix: str, *, points: int | None) -> Reply:
    """The end of a quiz-mode exercise: done (``points``) or given up (None), with a solution and the notes."""
    blocks: list[Text | Code] = []
    if question.explanation:
        blocks.append(Text(question.explanation))
    blocks += [
        Text(t(lang, "quiz.lab.solution")),
        Code(fence_safe(question.canonical), "bash"),
        Text(t(lang, "quiz.reveal.notes", command=explain_command(question, prefix))),
    ]
    title = t(lang, "quiz.lab.passed", points=points) if points is not None else t(lang, "quiz.lab.gave_up")
    return Reply(blocks=blocks, title=title, tone=Tone.SUCCESS if points is not None else Tone.INFO)
