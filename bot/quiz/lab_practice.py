"""Lab exercises, one member at a time: ``!quiz lab`` poses one, ``!quiz check`` (or "Check my lab") checks
the member's lab, ``!quiz skip`` (or "Give up") ends it.

The check reads the lab's state through :class:`LabAccess` (wired from the ``!docker`` feature's
``LabService.state``; the quiz imports no other feature), never from what the member says. An exercise is kept
in the state file with the lab as it was when it started (its "before"), so a restart loses nothing. A quiz-mode
exercise is a one-question round: done, it is scored like any answer (points, stats, streak, review card); given
up, it counts as a wrong answer. A review-mode exercise (from a lab card in ``!review``) grades the card only, as
``!review`` does.

An exercise with a ``setup`` starts only once the lab holds it: until then a check says what is missing, and the
first check that finds it records that state as the start.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from fsrs import Rating

from bot.context import Invocation, scope_key
from bot.i18n import t
from bot.quiz import lab_strings as _lab_strings  # noqa: F401  (registers the lab sentences)
from bot.quiz.errors import QuizError
from bot.quiz.lab_check import Problem, check
from bot.quiz.lab_replies import not_yet_reply, ready_reply, result_reply, setup_reply, task_reply
from bot.quiz.lab_snapshot import dump_state, load_state
from bot.quiz.model import Question
from bot.quiz.review import rating_for
from bot.quiz.scoring import points_for
from bot.quiz.store import AnswerRecord
from bot.replies import Reply, Text
from bot.sandbox.lab.port import LabOwner, LabState

if TYPE_CHECKING:
    from bot.quiz.clock import Clock
    from bot.quiz.store import QuizStore

log = logging.getLogger(__name__)

LAB_WINDOW = 600.0  # seconds over which a lab exercise's speed bonus falls to nothing
QUIZ, REVIEW = "quiz", "review"

LabStateReader = Callable[[LabOwner], Awaitable[LabState]]
GradeReview = Callable[[Invocation, Question, Rating, bool], Awaitable[None]]


def _always() -> bool:
    return True


@dataclass(frozen=True, slots=True)
class LabAccess:
    """How the quiz reads a member's lab: ``state`` (``LabService.state``) and whether there is a lab at all
    now (``available``: the ``!docker`` feature may be off or not installed)."""

    state: LabStateReader
    available: Callable[[], bool] = field(default=_always)


def owner_of(inv: Invocation) -> LabOwner:
    return LabOwner(member=inv.actor.id, server=scope_key(inv.place))


@dataclass(frozen=True, slots=True)
class OpenTask:
    question_id: str
    mode: str
    instance_id: int | None
    before: LabState | None  # None while the exercise's setup is not met
    hints_shown: int
    posted_at: float


class LabTasks:
    """The open exercises, one per member and server (``quiz_lab_tasks``)."""

    def __init__(self, store: QuizStore) -> None:
        self.store = store
        self.db = store.db

    async def get(self, scope: str, member_id: str) -> OpenTask | None:
        row = await self.db.fetchone(
            "SELECT question_id, mode, instance_id, before_json, hints_shown, posted_at FROM quiz_lab_tasks"
            " WHERE scope = ? AND member_id = ?",
            (scope, member_id),
        )
        if row is None:
            return None
        before = load_state(row[3]) if row[3] is not None else None
        return OpenTask(str(row[0]), str(row[1]), row[2], before, int(row[4]), float(row[5]))

    async def add(self, scope: str, member_id: str, platform: str, task: OpenTask) -> None:
        before = dump_state(task.before) if task.before is not None else None
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO quiz_lab_tasks(scope, member_id, platform, question_id, mode, instance_id, before_json,"
                " hints_shown, posted_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (scope, member_id, platform, task.question_id, task.mode, task.instance_id, before,
                 task.hints_shown, task.posted_at),
            )

    async def update(self, scope: str, member_id: str, *, before: LabState | None = None,
                     hints_shown: int | None = None) -> None:
        async with self.store.transaction() as conn:
            if before is not None:
                await conn.execute(
                    "UPDATE quiz_lab_tasks SET before_json = ? WHERE scope = ? AND member_id = ?",
                    (dump_state(before), scope, member_id),
                )
            if hints_shown is not None:
                await conn.execute(
                    "UPDATE quiz_lab_tasks SET hints_shown = ? WHERE scope = ? AND member_id = ?",
                    (hints_shown, scope, member_id),
                )

    async def remove(self, scope: str, member_id: str, now: float) -> None:
        """Forget the exercise; a quiz-mode one's round ends too."""
        async with self.store.transaction() as conn:
            cur = await conn.execute(
                "SELECT instance_id FROM quiz_lab_tasks WHERE scope = ? AND member_id = ?", (scope, member_id)
            )
            row = await cur.fetchone()
            await conn.execute("DELETE FROM quiz_lab_tasks WHERE scope = ? AND member_id = ?", (scope, member_id))
            if row is not None and row[0] is not None:
                await conn.execute(
                    "UPDATE quiz_instances SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (now, row[0])
                )
                await conn.execute(
                    "UPDATE quiz_rounds SET status = 'finished', ended_at = ? WHERE status = 'lab'"
                    " AND id = (SELECT round_id FROM quiz_instances WHERE id = ?)",
                    (now, row[0]),
                )

    async def solved(self, scope: str, member_id: str) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT question_id FROM quiz_answers WHERE scope = ? AND member_id = ? AND correct = 1",
            (scope, member_id),
        )
        return {str(r[0]) for r in rows}


class LabPractice:
    def __init__(
        self, *, store: QuizStore, clock: Clock, questions: Mapping[str, Question], access: LabAccess | None,
        today: Callable[[], date], rng: random.Random,
    ) -> None:
        self.store = store
        self.clock = clock
        self.questions = questions
        self.access = access
        self.today = today
        self.rng = rng
        self.tasks = LabTasks(store)
        self.grade_review: GradeReview | None = None  # set by the service: the review flow's grading
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    @property
    def available(self) -> bool:
        return self.access is not None and self.access.available()

    def _lock(self, inv: Invocation) -> asyncio.Lock:
        key = (scope_key(inv.place), inv.actor.id)
        if len(self._locks) > 1000:  # forget the idle ones now and then
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return self._locks.setdefault(key, asyncio.Lock())

    async def _read(self, inv: Invocation) -> LabState:
        if self.access is None or not self.access.available():
            raise QuizError(t(inv.lang, "quiz.lab.unavailable"))
        try:
            return await self.access.state(owner_of(inv))
        except Exception as exc:  # the lab's engine or runner: whatever it raised, the member gets one answer
            log.warning("could not read the lab of %s: %s", inv.actor.id, exc)
            raise QuizError(t(inv.lang, "quiz.lab.unreachable")) from exc

    async def _open(self, inv: Invocation, *, say_gone: bool = True) -> tuple[OpenTask, Question] | None:
        """The member's open exercise. One whose question left the bank is closed, and the member told so
        (``say_gone``) or None returned."""
        scope = scope_key(inv.place)
        task = await self.tasks.get(scope, inv.actor.id)
        if task is None:
            return None
        question = self.questions.get(task.question_id)
        if question is None or question.task is None:
            await self.tasks.remove(scope, inv.actor.id, self.clock.time())
            if say_gone:
                raise QuizError(t(inv.lang, "quiz.lab.gone"))
            return None
        return task, question

    # posing -----------------------------------------------------------------------------------

    async def start(self, inv: Invocation, pool: list[Question]) -> None:
        """Pose one of ``pool`` (lab questions), preferring those the member has not done yet; a member with
        an exercise open is shown that one again."""

        async def choose() -> tuple[Question, str]:
            solved = await self.tasks.solved(scope_key(inv.place), inv.actor.id)
            fresh = [q for q in pool if q.id not in solved] or pool
            return self.rng.choice(fresh), QUIZ

        await self._begin(inv, choose)

    async def start_review(self, inv: Invocation, question: Question) -> None:
        """"Try it in my lab" on a due lab card of ``!review``."""

        async def choose() -> tuple[Question, str]:
            return question, REVIEW

        await self._begin(inv, choose)

    async def _begin(self, inv: Invocation, choose: Callable[[], Awaitable[tuple[Question, str]]]) -> None:
        """Pose the exercise ``choose`` picks (and its mode), unless the member has one open: that one is shown
        again."""
        if not self.available:
            raise QuizError(t(inv.lang, "quiz.lab.unavailable"))
        async with self._lock(inv):
            opened = await self._open(inv, say_gone=False)
            if opened is not None:
                await self._remind(inv, *opened)
                return
            question, mode = await choose()
            await self._pose(inv, question, mode)

    async def _remind(self, inv: Invocation, task: OpenTask, question: Question) -> None:
        """One exercise at a time: the open one is shown again."""
        await inv.responder.send(task_reply(
            question, inv.lang, inv.prefix, reminder=True, ephemeral=task.mode == REVIEW,
            setup=self._setup_problems(question, None) if task.before is None else (),
        ))

    def _setup_problems(self, question: Question, state: LabState | None) -> tuple[Problem, ...]:
        assert question.task is not None
        return check(question.task.setup, state or LabState()).problems

    async def _pose(self, inv: Invocation, question: Question, mode: str) -> None:
        assert question.task is not None
        state = await self._read(inv)
        setup = self._setup_problems(question, state)
        now = self.clock.time()
        scope = scope_key(inv.place)
        instance_id = None
        if mode == QUIZ:
            round_id = await self.store.create_round(inv.place, scope, inv.actor.id, 1, now, None, status="lab")
            instance_id = await self.store.open_instance(
                round_id, 1, inv.place, question.id, question.topic, [], now, now + LAB_WINDOW
            )
        before = None if setup else state
        await self.tasks.add(scope, inv.actor.id, inv.place.platform,
                             OpenTask(question.id, mode, instance_id, before, 0, now))
        await inv.responder.send(task_reply(question, inv.lang, inv.prefix, setup=setup, ephemeral=mode == REVIEW))

    # checking ---------------------------------------------------------------------------------

    async def check(self, inv: Invocation) -> None:
        if not self.available:
            raise QuizError(t(inv.lang, "quiz.lab.unavailable"))
        async with self._lock(inv):
            opened = await self._open(inv)
            if opened is None:
                raise QuizError(t(inv.lang, "quiz.lab.no_task", prefix=inv.prefix))
            task, question = opened
            assert question.task is not None
            state = await self._read(inv)
            if task.before is None:
                setup = self._setup_problems(question, state)
                if setup:
                    await inv.responder.send(setup_reply(setup, inv.lang))
                    return
                await self.tasks.update(scope_key(inv.place), inv.actor.id, before=state)
                await inv.responder.send(ready_reply(inv.lang))
                return
            result = check(question.task.check, state, task.before)
            if not result.ok:
                await inv.responder.send(not_yet_reply(result.problems, inv.lang))
                return
            await self._finish(inv, task, question, done=True)

    async def give_up(self, inv: Invocation) -> None:
        async with self._lock(inv):
            opened = await self._open(inv)
            if opened is None:
                raise QuizError(t(inv.lang, "quiz.lab.no_task", prefix=inv.prefix))
            await self._finish(inv, *opened, done=False)

    async def _finish(self, inv: Invocation, task: OpenTask, question: Question, *, done: bool) -> None:
        now = self.clock.time()
        scope = scope_key(inv.place)
        if task.mode == REVIEW:
            await self.tasks.remove(scope, inv.actor.id, now)
            if self.grade_review is not None:
                await self.grade_review(inv, question, rating_for(done, task.hints_shown), done)
            return
        points = points_for(done, now - task.posted_at, LAB_WINDOW, task.hints_shown)
        if task.instance_id is not None:
            record = AnswerRecord(
                instance_id=task.instance_id, scope=scope, platform=inv.place.platform, member_id=inv.actor.id,
                member_name=inv.actor.name[:80], question_id=question.id, topic=question.topic,
                given="lab check" if done else "gave up", correct=done, near_miss=False, points=points,
                answered_at=now, day=self.today().isoformat(), hints_shown=task.hints_shown,
            )
            if not await self.store.record_answer(record):
                log.warning("lab exercise %s of %s was already scored", question.id, inv.actor.id)
        await self.tasks.remove(scope, inv.actor.id, now)
        await inv.responder.send(result_reply(question, inv.lang, inv.prefix, points=points if done else None))

    # hints ------------------------------------------------------------------------------------

    async def hint(self, inv: Invocation) -> bool:
        """The next hint of the member's open exercise; False when they have none open."""
        async with self._lock(inv):
            scope = scope_key(inv.place)
            task = await self.tasks.get(scope, inv.actor.id)
            question = self.questions.get(task.question_id) if task is not None else None
            if task is None or question is None:
                return False
            if not question.hints:
                raise QuizError(t(inv.lang, "quiz.hint.none"))
            if task.hints_shown >= len(question.hints):
                raise QuizError(t(inv.lang, "quiz.hint.no_more"))
            shown = task.hints_shown + 1
            await self.tasks.update(scope, inv.actor.id, hints_shown=shown)
        text = t(inv.lang, "quiz.lab.hint", number=shown, total=len(question.hints), hint=question.hints[shown - 1])
        if task.mode == QUIZ:
            text += t(inv.lang, "quiz.lab.hint_points", points=points_for(True, 0, LAB_WINDOW, shown))
        await inv.responder.send(Reply(blocks=[Text(text)], ephemeral=True))
        return True
