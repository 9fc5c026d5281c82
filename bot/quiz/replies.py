"""The quiz's Reply shapes (what the Discord cog, Slack and the console render); their buttons' action ids
come from :mod:`bot.quiz.actions`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import t
from bot.quiz import actions
from bot.quiz.model import Question, QuestionType
from bot.replies import Choice, Reply, Text, Tone
from bot.textsafe import inline_code, neutralize_mentions

if TYPE_CHECKING:
    from bot.quiz.rounds import LiveQuestion, Round

MAX_NAME = 40


def member_name(name: str) -> str:
    return neutralize_mentions(" ".join(name.split())[:MAX_NAME]) or "?"


def explain_command(question: Question, prefix: str) -> str:
    return f"{prefix}explain -v {question.explain_query}"


def prompt_text(question: Question, lang: str) -> str:
    text = question.prompt_in(lang)
    if question.type is QuestionType.TRUE_FALSE:
        text += "\n" + t(lang, "quiz.question.true_false")
    return text


def question_reply(
    live: LiveQuestion, lang: str, prefix: str, *, typed_button: bool, closed: bool = False
) -> Reply:
    q = live.question
    choices = [
        Choice(
            label=label,
            action=actions.answer(live.instance_id, i),
            style="success" if closed and i == live.correct_index else "secondary",
            disabled=closed,
        )
        for i, label in enumerate(live.choices)
    ]
    blocks = [Text(prompt_text(q, lang))]
    if not q.type.has_choices and not closed:
        blocks.append(Text(t(lang, "quiz.question.type_it")))
        if typed_button:
            choices.append(
                Choice(
                    t(lang, "quiz.choice.type"), actions.type_answer(live.instance_id), style="primary",
                    text_input=t(lang, "quiz.choice.type_box"),
                )
            )
    footer = t(lang, "quiz.question.closed") if closed else t(
        lang, "quiz.question.footer", seconds=round(live.window), prefix=prefix
    )
    return Reply(
        blocks=blocks,
        title=t(lang, "quiz.question.title", position=live.position, total=live.total, topic=q.topic),
        footer=footer,
        choices=choices,
    )


def canonical_label(live: LiveQuestion) -> str:
    if live.correct_index is not None:
        return live.choices[live.correct_index]
    return live.question.canonical


def reveal_reply(live: LiveQuestion, lang: str, prefix: str) -> Reply:
    q = live.question
    lines: list[str] = []
    if q.explanation:
        lines.append(q.explanation)
    lines.append(t(lang, "quiz.reveal.notes", command=explain_command(q, prefix)))
    right = sorted((o for o in live.outcomes.values() if o.correct), key=lambda o: (-o.points, o.name))
    wrong = sum(1 for o in live.outcomes.values() if not o.correct)
    results: list[str] = []
    for o in right:
        if o.near_miss:
            results.append(t(lang, "quiz.reveal.near", name=member_name(o.name), points=o.points,
                             given=inline_code(o.given, 40), answer=inline_code(q.canonical, 60)))
        else:
            results.append(t(lang, "quiz.reveal.right", name=member_name(o.name), points=o.points))
    if not right:
        results.append(t(lang, "quiz.reveal.nobody"))
    if wrong:
        results.append(t(lang, "quiz.reveal.wrong", count=wrong))
    return Reply(
        blocks=[Text("\n".join(lines)), Text("\n".join(results))],
        title=t(lang, "quiz.reveal.title", answer=canonical_label(live)),
        tone=Tone.SUCCESS if right else Tone.INFO,
    )


def summary_reply(rnd: Round, lang: str, prefix: str, *, stopped: bool) -> Reply:
    ranking = sorted(rnd.totals.items(), key=lambda kv: (-kv[1].points, -kv[1].correct, kv[1].name))
    asked = len(rnd.closed_ids)
    medals = {1: "🥇 ", 2: "🥈 ", 3: "🥉 "}
    lines = [
        medals.get(rank, "") + t(lang, "quiz.summary.line", rank=rank, name=member_name(total.name),
                                 points=total.points, correct=total.correct, total=asked)
        for rank, (_, total) in enumerate(ranking, start=1)
    ]
    return Reply(
        blocks=[Text("\n".join(lines) if lines else t(lang, "quiz.summary.nobody"))],
        title=t(lang, "quiz.summary.stopped" if stopped else "quiz.summary.title"),
        footer=t(lang, "quiz.summary.footer", prefix=prefix),
    )
