"""A quiz round in one channel: ask → wait → close (disable buttons) → reveal, question after question.

States of a question: open (answers accepted until ``closes_at``) → closed (the message is edited
so its buttons are disabled, then the reveal is posted). A round ends ``finished`` after its last
question, ``stopped`` by ``!quiz stop`` or an error, or ``abandoned`` when the process stops (the
next start closes it in the database, see :meth:`bot.quiz.store.QuizStore.recover`).

A round is given what it uses: the store, the clock, its :class:`Timing`, the registry of open questions
that answers are looked up in, and a callback for when it ends (the service wires them).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.context import Place, Responder
from bot.i18n import t
from bot.quiz.model import Question, QuestionType
from bot.quiz.replies import question_reply, reveal_reply, summary_reply

if TYPE_CHECKING:
    from bot.quiz.clock import Clock
    from bot.quiz.store import QuizStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Timing:
    """How long each question stays open (a bank may set its own per question) and the pause between two."""

    question_seconds: float
    pause_seconds: float
    per_question: Mapping[str, float] = field(default_factory=dict)

    def window(self, question: Question) -> float:
        return self.per_question.get(question.id, self.question_seconds)


@dataclass(slots=True)
class Outcome:
    member_id: str
    name: str
    given: str
    correct: bool
    near_miss: bool
    points: int


@dataclass(slots=True)
class LiveQuestion:
    instance_id: int
    question: Question
    position: int
    total: int
    choices: list[str]
    correct_index: int | None
    opened_at: float
    closes_at: float
    window: float
    round: Round
    hints_shown: int = 0
    closed: bool = False
    ref: Any = None
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(slots=True)
class MemberTotal:
    name: str
    points: int = 0
    correct: int = 0


def build_choices(question: Question, lang: str, rng: random.Random) -> tuple[list[str], int | None]:
    """Labels to show and the index of the right one (None for typed questions)."""
    if question.type is QuestionType.TRUE_FALSE:
        labels = [t(lang, "quiz.choice.true"), t(lang, "quiz.choice.false")]
        return labels, 0 if question.canonical == "true" else 1
    if question.type is QuestionType.MULTIPLE_CHOICE:
        labels = [question.canonical, *question.distractors]
        rng.shuffle(labels)
        return labels, labels.index(question.canonical)
    return [], None


class Round:
    def __init__(
        self, *, round_id: int, place: Place, scope: str, responder: Responder, lang: str, prefix: str,
        questions: list[Question], store: QuizStore, clock: Clock, timing: Timing,
        open_questions: dict[int, LiveQuestion], on_end: Callable[[Round], None],
    ) -> None:
        self.store = store
        self.clock = clock
        self.timing = timing
        self.open_questions = open_questions  # instance id -> question, while it is open (shared by all rounds)
        self.on_end = on_end
        self.id = round_id
        self.place = place
        self.scope = scope
        self.responder = responder
        self.lang = lang
        self.prefix = prefix
        self.questions = questions
        self.live: LiveQuestion | None = None
        self.closed_ids: set[int] = set()
        self.totals: dict[str, MemberTotal] = {}
        self.stop_requested = False
        self._waiting = False
        self.task: asyncio.Task[None] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.place.platform, self.place.channel_id)

    def start(self) -> asyncio.Task[None]:
        self.task = asyncio.create_task(self.run(), name=f"studybot:quiz-round-{self.id}")
        self.clock.track(self.task)  # type: ignore[arg-type]
        return self.task

    def request_stop(self) -> None:
        self.stop_requested = True
        if self._waiting and self.task is not None:
            self.task.cancel()

    async def _wait(self, seconds: float) -> None:
        """Sleep on the quiz clock; ``!quiz stop`` cuts the sleep short."""
        if self.stop_requested or seconds <= 0:
            return
        self._waiting = True
        try:
            await self.clock.sleep(seconds)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if not self.stop_requested or task is None:
                raise
            task.uncancel()
        finally:
            self._waiting = False

    async def run(self) -> None:
        status = "finished"
        try:
            for position, question in enumerate(self.questions, start=1):
                if self.stop_requested:
                    break
                await self._open(position, question)
                assert self.live is not None
                await self._wait(self.live.window)
                await self._close()
                if position < len(self.questions):
                    await self._wait(self.timing.pause_seconds)
            if self.stop_requested:
                status = "stopped"
        except asyncio.CancelledError:
            self.on_end(self)
            raise
        except Exception:
            log.exception("quiz round %s failed", self.id)
            status = "stopped"
        await self._finish(status)

    async def _open(self, position: int, question: Question) -> None:
        now = self.clock.time()
        rng = random.Random(f"{self.id}:{position}:{question.id}")
        choices, correct = build_choices(question, self.lang, rng)
        window = self.timing.window(question)
        instance_id = await self.store.open_instance(
            self.id, position, self.place, question.id, question.topic, choices, now, now + window
        )
        live = LiveQuestion(
            instance_id=instance_id, question=question, position=position, total=len(self.questions),
            choices=choices, correct_index=correct, opened_at=now, closes_at=now + window, window=window,
            round=self,
        )
        self.live = live
        self.open_questions[instance_id] = live
        live.ref = await self.responder.send(
            question_reply(live, self.lang, self.prefix, typed_button=True)
        )

    async def _close(self) -> None:
        live = self.live
        if live is None or live.closed:
            return
        async with live.lock:
            live.closed = True
        self.closed_ids.add(live.instance_id)
        self.open_questions.pop(live.instance_id, None)
        await self.store.close_instance(live.instance_id, self.clock.time())
        try:
            await self.responder.edit(
                live.ref, question_reply(live, self.lang, self.prefix, typed_button=False, closed=True)
            )
        except Exception:
            log.warning("could not disable the buttons of quiz question %s", live.instance_id, exc_info=True)
        await self.responder.send(reveal_reply(live, self.lang, self.prefix))

    async def _finish(self, status: str) -> None:
        try:
            if self.live is not None and not self.live.closed:
                await self._close()
        finally:
            await self.store.end_round(self.id, status, self.clock.time())
            self.on_end(self)
        await self.responder.send(summary_reply(self, self.lang, self.prefix, stopped=status != "finished"))

    def add_outcome(self, live: LiveQuestion, outcome: Outcome) -> None:
        live.outcomes[outcome.member_id] = outcome
        total = self.totals.setdefault(outcome.member_id, MemberTotal(outcome.name))
        total.name = outcome.name
        total.points += outcome.points
        total.correct += int(outcome.correct)
