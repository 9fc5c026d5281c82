"""``!review``: the member's due cards one at a time, privately (ephemeral replies).

Multiple choice and true/false cards are answered with buttons (``quiz:r:<qid>:<i>``), graded
automatically. Typed cards show a "Show answer" button (``quiz:rs:<qid>``) and then a self-grade
(``quiz:rg:<qid>:<1-4>`` = Again, Hard, Good, Easy), as in Anki. A lab card also has "Try it in my lab"
(``quiz:rl:<qid>``): the exercise is posed again and its check grades the card; lab cards are not shown
while there is no lab.

The flow is given what it uses: the store (its database holds the cards), the clock, and the questions by id.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TYPE_CHECKING

from fsrs import Rating

from bot.context import Invocation
from bot.i18n import t
from bot.quiz import actions
from bot.quiz.errors import QuizError
from bot.quiz.model import Question, QuestionType
from bot.quiz.replies import explain_command, prompt_text
from bot.quiz.review import RATINGS, card_due, due_cards, next_due, review_card
from bot.quiz.rounds import build_choices
from bot.replies import Choice, Reply, Text, Tone

if TYPE_CHECKING:
    from bot.quiz.clock import Clock
    from bot.quiz.lab_practice import LabPractice
    from bot.quiz.store import QuizStore

GRADE_KEYS = {1: "quiz.review.again", 2: "quiz.review.hard", 3: "quiz.review.good", 4: "quiz.review.easy"}


def relative_time(seconds: float, lang: str) -> str:
    if seconds <= 0:
        return t(lang, "quiz.when.now")
    if seconds < 60:
        return t(lang, "quiz.when.soon")
    if seconds < 3600:
        return t(lang, "quiz.when.minutes", n=round(seconds / 60))
    if seconds < 86400:
        return t(lang, "quiz.when.hours", n=round(seconds / 3600))
    return t(lang, "quiz.when.days", n=round(seconds / 86400))


def review_choices(question: Question, lang: str) -> tuple[list[str], int | None]:
    """The same labels in the same order every time for one question, so an index is enough."""
    return build_choices(question, lang, random.Random(f"review:{question.id}"))


class ReviewFlow:
    def __init__(
        self, *, store: QuizStore, clock: Clock, questions: Mapping[str, Question], lab: LabPractice | None = None
    ) -> None:
        self.store = store
        self.db = store.db
        self.clock = clock
        self.questions = questions
        self.lab = lab

    def _known(self) -> set[str]:
        """The questions a card may be shown for: lab ones only while there is a lab."""
        with_lab = self.lab is not None and self.lab.available
        return {qid for qid, q in self.questions.items() if with_lab or q.type is not QuestionType.LAB}

    async def _due(self, inv: Invocation) -> list[str]:
        cards = await due_cards(self.db, inv.place.platform, inv.actor.id, self.clock.time(), self._known())
        return [c.question_id for c in cards]

    async def start(self, inv: Invocation) -> None:
        due = await self._due(inv)
        if due:
            await inv.responder.send(self.card_reply(self.questions[due[0]], len(due), inv.lang))
            return
        now = self.clock.time()
        upcoming = await next_due(self.db, inv.place.platform, inv.actor.id, after=now, known=self._known())
        if upcoming is None:
            text = t(inv.lang, "quiz.review.nothing_yet", prefix=inv.prefix)
        else:
            text = t(inv.lang, "quiz.review.none",
                     next=relative_time(upcoming - now, inv.lang))
        await inv.responder.send(Reply(blocks=[Text(text)], ephemeral=True))

    def card_reply(self, question: Question, due_count: int, lang: str) -> Reply:
        labels, _ = review_choices(question, lang)
        if labels:
            choices = [Choice(label, actions.review_pick(question.id, i)) for i, label in enumerate(labels)]
        else:
            choices = [Choice(t(lang, "quiz.review.show"), actions.review_show(question.id), style="primary")]
        if question.type is QuestionType.LAB:
            choices.insert(0, Choice(t(lang, "quiz.lab.try"), actions.review_lab(question.id), style="primary"))
            choices[1] = Choice(t(lang, "quiz.review.show"), actions.review_show(question.id))
        return Reply(
            blocks=[Text(prompt_text(question, lang))],
            title=t(lang, "quiz.review.title", due=due_count),
            footer=question.topic,
            choices=choices,
            ephemeral=True,
        )

    async def handle_action(self, inv: Invocation, action: actions.ReviewAction) -> None:
        question = self.questions.get(action.question_id)
        if question is None:
            raise QuizError(t(inv.lang, "quiz.review.gone"))
        due = await card_due(self.db, inv.place.platform, inv.actor.id, question.id)
        if due is None or due > self.clock.time():
            raise QuizError(t(inv.lang, "quiz.review.not_due"))
        if isinstance(action, actions.ReviewShow):
            await inv.responder.send(self._answer_reply(question, inv, grade_buttons=True))
            return
        if isinstance(action, actions.ReviewLab) and self.lab is not None and question.type is QuestionType.LAB:
            await self.lab.start_review(inv, question)
            return
        if isinstance(action, actions.ReviewPick) and action.index is not None:
            _, correct = review_choices(question, inv.lang)
            right = action.index == correct
            await self.grade(inv, question, Rating.Good if right else Rating.Again, right)
        elif isinstance(action, actions.ReviewGrade) and action.grade in RATINGS:
            await self.grade(inv, question, RATINGS[action.grade], None)
        else:
            raise QuizError(t(inv.lang, "quiz.review.gone"))

    def _answer_reply(self, question: Question, inv: Invocation, *, grade_buttons: bool) -> Reply:
        labels, correct = review_choices(question, inv.lang)
        answer = labels[correct] if correct is not None else question.canonical
        lines = [t(inv.lang, "quiz.review.answer", answer=answer)]
        if question.explanation:
            lines.append(question.explanation)
        lines.append(t(inv.lang, "quiz.reveal.notes", command=explain_command(question, inv.prefix)))
        choices = []
        if grade_buttons:
            lines.append(t(inv.lang, "quiz.review.self_grade"))
            choices = [
                Choice(t(inv.lang, key), actions.review_grade(question.id, grade)) for grade, key in GRADE_KEYS.items()
            ]
        return Reply(blocks=[Text("\n".join(lines))], choices=choices, ephemeral=True)

    async def grade(self, inv: Invocation, question: Question, rating: Rating, right: bool | None) -> None:
        """Review the card with ``rating``; ``right`` (None for a self-grade) says whether it was answered right.
        Then the next due card."""
        now = self.clock.time()
        platform, member = inv.place.platform, inv.actor.id
        due = await self.store.atomically(lambda conn: review_card(conn, platform, member, question.id, rating, now))
        labels, correct = review_choices(question, inv.lang)
        answer = labels[correct] if correct is not None else question.canonical
        lines: list[str] = []
        if right is not None:
            lines.append(t(inv.lang, "quiz.review.right" if right else "quiz.review.wrong", answer=answer))
            if question.explanation:
                lines.append(question.explanation)
            lines.append(t(inv.lang, "quiz.reveal.notes", command=explain_command(question, inv.prefix)))
        lines.append(t(inv.lang, "quiz.review.next", when=relative_time(due - now, inv.lang)))
        tone = Tone.INFO if right is None else (Tone.SUCCESS if right else Tone.WARNING)
        await inv.responder.send(Reply(blocks=[Text("\n".join(lines))], tone=tone, ephemeral=True))
        remaining = await self._due(inv)
        if remaining:
            await inv.responder.send(self.card_reply(self.questions[remaining[0]], len(remaining), inv.lang))
        else:
            await inv.responder.send(Reply(blocks=[Text(t(inv.lang, "quiz.review.done"))], ephemeral=True))
