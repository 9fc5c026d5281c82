"""The quiz service: questions in memory, running rounds, answers, hints and review.

Put in ``core.quiz`` by :func:`bot.quiz.command.install`, on the clock that install was given (the real one
in the bot). Public entry points for adapters: :meth:`QuizService.handle_action` (every ``quiz:…`` choice),
:meth:`QuizService.answer_text` (the Discord modal), :meth:`QuizService.on_message` (typed answers).

It is the quiz's composition root, the one module that reads the quiz settings: it hands each part
(:class:`~bot.quiz.rounds.Round`, :class:`~bot.quiz.scheduler.Scheduler`, :class:`~bot.quiz.review_flow.ReviewFlow`)
the store, clock, values and callables it uses, so the parts know neither the settings nor the core.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.context import Invocation, Place, Responder, scope_key
from bot.i18n import t
from bot.quiz import actions
from bot.quiz import strings as _strings  # noqa: F401  (registers the quiz sentences)
from bot.quiz.bank import BankError
from bot.quiz.clock import Clock, RealClock
from bot.quiz.errors import QuizError
from bot.quiz.lab_practice import LabAccess, LabPractice
from bot.quiz.loading import load_questions
from bot.quiz.matching import match_answer, normalize
from bot.quiz.model import Question, QuestionType
from bot.quiz.replies import member_name
from bot.quiz.review_flow import ReviewFlow
from bot.quiz.rounds import LiveQuestion, Outcome, Round, Timing
from bot.quiz.scheduler import Scheduler, SchedulerConfig
from bot.quiz.scoring import points_for
from bot.quiz.store import AnswerRecord, QuizStore
from bot.replies import Reply, Text
from bot.sandbox.lab.port import LabOwner, LabState
from bot.textsafe import ascii_int, inline_code, is_meaningful, neutralize_mentions

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

_TRUE_WORDS = {"true", "t", "o", "yes", "참", "맞다", "맞음", "예", "ㅇ"}
_FALSE_WORDS = {"false", "f", "x", "no", "거짓", "틀리다", "틀림", "아니오", "아니요", "ㄴ"}
MAX_TYPED = 300


class QuizService:
    def __init__(
        self, core: Core, questions: Iterable[Question], *, clock: Clock | None = None,
        seconds: dict[str, float] | None = None, bank_errors: Iterable[BankError] = (),
        rng: random.Random | None = None, lab: LabAccess | None = None,
    ) -> None:
        settings = core.settings
        self.clock: Clock = clock or RealClock()
        self.questions: dict[str, Question] = {q.id: q for q in questions}
        self.bank_errors = list(bank_errors)
        self.rng = rng or random.Random()
        self.store = QuizStore(core.db)
        self.rounds: dict[tuple[str, str], Round] = {}
        self.instances: dict[int, LiveQuestion] = {}  # the open questions of every round, by instance id
        self._starting: set[tuple[str, str]] = set()  # channels whose round is being set up
        self.timing = Timing(
            question_seconds=float(settings.quiz.question_seconds), pause_seconds=float(settings.quiz.pause_seconds),
            per_question=dict(seconds or {}),
        )
        self.default_count = settings.quiz.default_count
        self.max_count = settings.quiz.max_count
        self.tz = ZoneInfo(settings.quiz.timezone)
        self.scheduler = Scheduler(
            store=self.store, clock=self.clock,
            config=SchedulerConfig(
                grace_seconds=float(settings.quiz.grace_minutes) * 60, tick_seconds=float(settings.quiz.tick_seconds),
                lang=settings.lang, prefix=settings.prefix,
            ),
            channels=core.channels, round_in=self.round_in, start_round=self.start_round,
        )
        self.lab = LabPractice(
            store=self.store, clock=self.clock, questions=self.questions, access=lab, today=self.today, rng=self.rng,
        )
        self.review = ReviewFlow(store=self.store, clock=self.clock, questions=self.questions, lab=self.lab)
        self.lab.grade_review = self.review.grade

    @classmethod
    def load(cls, core: Core, *, clock: Clock | None = None) -> QuizService:
        """The service over the questions the settings name: the quiz folder's banks, and the ones built from
        the notes when generated questions are on."""
        settings = core.settings
        loaded = load_questions(settings.notes.path, settings.quiz.path, generated=settings.quiz.generated)
        return cls(
            core, loaded.questions, clock=clock, seconds=loaded.seconds, bank_errors=loaded.errors,
            lab=lab_access(core),
        )

    def today(self) -> date:
        return datetime.fromtimestamp(self.clock.time(), self.tz).date()

    # lifecycle --------------------------------------------------------------------------------

    async def start(self, *, run_scheduler: bool = True) -> None:
        ended = await self.store.recover(self.clock.time())
        if ended:
            log.info("closed %d quiz round(s) left running by the previous process", ended)
        if run_scheduler:
            self.scheduler.start()

    async def close(self) -> None:
        await self.scheduler.stop()
        tasks = [r.task for r in self.rounds.values() if r.task is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    # topics and question choice ---------------------------------------------------------------

    def topics(self) -> Counter[str]:
        """The topics of the questions a round asks (lab exercises are done apart, see :meth:`lab_pool`)."""
        counts: Counter[str] = Counter()
        for q in self.questions.values():
            if q.type is not QuestionType.LAB:
                counts.update(q.tags)
        return counts

    def pool(self, topic: str | None, *, lab: bool = False) -> list[Question]:
        """The questions on ``topic`` (a tag or a notes section): lab exercises when ``lab``, else the rest."""
        kind = [q for q in self.questions.values() if (q.type is QuestionType.LAB) == lab]
        if not topic:
            return kind
        wanted = topic.casefold()
        return [
            q for q in kind
            if wanted in q.tags or q.section.casefold() == wanted
            or q.section.split(">")[0].strip().casefold() == wanted
        ]

    async def start_lab(self, inv: Invocation, topic: str | None) -> None:
        """``!quiz lab [topic]``: one lab exercise for the member, checked against their own lab."""
        if not self.lab.available:
            raise QuizError(t(inv.lang, "quiz.lab.unavailable"))
        pool = self.pool(topic, lab=True)
        if not pool:
            if not self.pool(None, lab=True):
                raise QuizError(t(inv.lang, "quiz.lab.none"))
            counts: Counter[str] = Counter(tag for q in self.pool(None, lab=True) for tag in q.tags)
            shown = ", ".join(f"`{name}`" for name, _ in counts.most_common(12))
            raise QuizError(t(inv.lang, "quiz.unknown_topic", topic=inline_code(topic or "", 40), topics=shown))
        await self.lab.start(inv, pool)

    async def pick(self, place: Place, pool: list[Question], count: int) -> list[Question]:
        """``count`` questions not yet asked in this channel; once the pool is used up, it starts over."""
        asked = await self.store.asked_in_channel(place)
        fresh = [q for q in pool if q.id not in asked]
        chosen = self.rng.sample(fresh, min(count, len(fresh)))
        if len(chosen) < count:
            await self.store.forget_asked(place, [q.id for q in pool])
            rest = [q for q in pool if q not in chosen]
            chosen += self.rng.sample(rest, min(count - len(chosen), len(rest)))
        return chosen

    # rounds -----------------------------------------------------------------------------------

    def round_in(self, place: Place) -> Round | None:
        return self.rounds.get((place.platform, place.channel_id))

    async def start_round(
        self, *, place: Place, responder: Responder, lang: str, prefix: str, count: int,
        topic: str | None = None, started_by: str, schedule_id: int | None = None,
    ) -> Round:
        """Validate, announce and start a round; raises :class:`~bot.quiz.errors.QuizError` with a chat
        message."""
        key = (place.platform, place.channel_id)
        if key in self.rounds or key in self._starting:
            raise QuizError(t(lang, "quiz.already_running", prefix=prefix))
        pool = self.pool(topic)
        if not self.pool(None):
            raise QuizError(t(lang, "quiz.no_questions"))
        if not pool:
            shown = ", ".join(f"`{name}`" for name, _ in self.topics().most_common(12))
            raise QuizError(t(lang, "quiz.unknown_topic", topic=inline_code(topic or "", 40), topics=shown))
        self._starting.add(key)  # reserve the channel across the awaits below
        try:
            questions = await self.pick(place, pool, count)
            now = self.clock.time()
            scope = scope_key(place)
            round_id = await self.store.create_round(place, scope, started_by, len(questions), now, schedule_id)
            rnd = Round(
                round_id=round_id, place=place, scope=scope, responder=responder, lang=lang, prefix=prefix,
                questions=questions, store=self.store, clock=self.clock, timing=self.timing,
                open_questions=self.instances, on_end=self.round_ended,
            )
            self.rounds[key] = rnd
        finally:
            self._starting.discard(key)
        intro = self.intro_text(lang, questions, topic)
        if schedule_id is not None:
            intro = t(lang, "quiz.scheduled_intro") + "\n" + intro
        try:
            await responder.send(Reply(blocks=[Text(intro)]))
        finally:
            rnd.start()
        return rnd

    def intro_text(self, lang: str, questions: list[Question], topic: str | None) -> str:
        """The round's first line; it names the time each question will really be open (banks may set it)."""
        windows = sorted({round(self.timing.window(q)) for q in questions}) or [round(self.timing.question_seconds)]
        seconds = str(windows[0]) if len(windows) == 1 else f"{windows[0]}–{windows[-1]}"
        key = "quiz.starting_one" if len(questions) == 1 else "quiz.starting"
        shown = t(lang, "quiz.starting_topic", topic=neutralize_mentions(topic)) if topic else ""
        return t(lang, key, count=len(questions), topic=shown, seconds=seconds)

    async def stop_round(self, place: Place) -> bool:
        rnd = self.round_in(place)
        if rnd is None:
            return False
        rnd.request_stop()
        if rnd.task is not None:
            await asyncio.shield(rnd.task)
        return True

    def round_ended(self, rnd: Round) -> None:
        if self.rounds.get(rnd.key) is rnd:
            del self.rounds[rnd.key]
        if rnd.live is not None:
            self.instances.pop(rnd.live.instance_id, None)

    def _closed_reply_key(self, instance_id: int) -> str:
        for rnd in self.rounds.values():
            if instance_id in rnd.closed_ids:
                return "quiz.answer.closed"
        return "quiz.answer.ended"

    # answers ----------------------------------------------------------------------------------

    async def answer_choice(self, inv: Invocation, instance_id: int, index: int) -> None:
        live = self.instances.get(instance_id)
        if live is None:
            await self._ephemeral(inv, t(inv.lang, self._closed_reply_key(instance_id)))
            return
        if not 0 <= index < len(live.choices):
            await self._ephemeral(inv, t(inv.lang, "quiz.answer.ended"))
            return
        label = live.choices[index]
        ok = await self._record(inv, live, given=label, correct=index == live.correct_index, near_miss=False)
        if ok:
            await self._ephemeral(inv, t(inv.lang, "quiz.answer.recorded_choice", choice=label))

    async def answer_text(self, inv: Invocation, instance_id: int, text: str) -> None:
        """A typed answer (the channel, or the Discord modal)."""
        live = self.instances.get(instance_id)
        if live is None:
            await self._ephemeral(inv, t(inv.lang, self._closed_reply_key(instance_id)))
            return
        given = normalize(text)[:MAX_TYPED]
        if not given:
            await self._ephemeral(inv, t(inv.lang, "quiz.answer.empty"))
            return
        if live.question.type.has_choices:
            index = self.choice_for_text(live, text)
            if index is None:
                await self._ephemeral(inv, t(inv.lang, "quiz.answer.type_in_channel"))
                return
            await self.answer_choice(inv, instance_id, index)
            return
        result = match_answer(given, live.question)
        ok = await self._record(inv, live, given=given, correct=result.correct, near_miss=result.near_miss)
        if ok:
            await self._ephemeral(inv, t(inv.lang, "quiz.answer.recorded_text", name=member_name(inv.actor.name)))

    def choice_for_text(self, live: LiveQuestion, text: str) -> int | None:
        """The choice a typed message names: its number, its label, or a true/false word."""
        typed = normalize(text).casefold()
        number = ascii_int(text.strip())  # before NFKC, which reads "²" as 2 and "①" as 1
        if number is not None and 1 <= number <= len(live.choices):
            return number - 1
        for i, label in enumerate(live.choices):
            if typed == normalize(label).casefold():
                return i
        if live.correct_index is not None and len(live.choices) == 2 and live.question.type.value == "true_false":
            if typed in _TRUE_WORDS:
                return 0
            if typed in _FALSE_WORDS:
                return 1
        return None

    async def _record(
        self, inv: Invocation, live: LiveQuestion, *, given: str, correct: bool, near_miss: bool
    ) -> bool:
        """Score and store one answer (stored before it is acknowledged). False when refused."""
        async with live.lock:
            now = self.clock.time()
            if live.closed or now >= live.closes_at:
                await self._ephemeral(inv, t(inv.lang, "quiz.answer.closed"))
                return False
            if inv.actor.id in live.outcomes:
                await self._ephemeral(inv, t(inv.lang, "quiz.answer.already_answered"))
                return False
            points = points_for(correct, now - live.opened_at, live.window, live.hints_shown)
            record = AnswerRecord(
                instance_id=live.instance_id, scope=scope_key(inv.place), platform=inv.place.platform,
                member_id=inv.actor.id, member_name=inv.actor.name[:80], question_id=live.question.id,
                topic=live.question.topic, given=given, correct=correct, near_miss=near_miss and correct,
                points=points, answered_at=now, day=self.today().isoformat(), hints_shown=live.hints_shown,
            )
            if not await self.store.record_answer(record):
                await self._ephemeral(inv, t(inv.lang, "quiz.answer.already_answered"))
                return False
            live.round.add_outcome(
                live, Outcome(inv.actor.id, inv.actor.name, given, correct, near_miss and correct, points)
            )
        return True

    async def _ephemeral(self, inv: Invocation, text: str) -> None:
        reply = Reply(blocks=[Text(text)], ephemeral=True)
        await inv.responder.send(reply)

    # chat entry points ------------------------------------------------------------------------

    async def on_message(self, inv: Invocation, text: str) -> bool:
        """A non-command message: an answer if a question is open here and the text fits it."""
        rnd = self.round_in(inv.place)
        if rnd is None or rnd.live is None or rnd.live.closed:
            return False
        live = rnd.live
        if not is_meaningful(text) or len(text) > MAX_TYPED:
            return False
        if live.question.type.has_choices:
            index = self.choice_for_text(live, text)
            if index is None:
                return False
            await self.answer_choice(inv, live.instance_id, index)
            return True
        await self.answer_text(inv, live.instance_id, text)
        return True

    async def handle_action(self, inv: Invocation, action: str, text: str | None = None) -> None:
        parsed = actions.parse(action)
        if isinstance(parsed, actions.Answer):
            await self.answer_choice(inv, parsed.instance_id, parsed.index)
        elif isinstance(parsed, actions.TypeAnswer) and text is not None:
            await self.answer_text(inv, parsed.instance_id, text)
        elif isinstance(parsed, actions.TypeAnswer):
            instance_id = parsed.instance_id
            key = "quiz.answer.type_in_channel" if instance_id in self.instances else self._closed_reply_key(
                instance_id
            )
            await self._ephemeral(inv, t(inv.lang, key))
        elif isinstance(parsed, actions.LabCheck):
            await self.lab.check(inv)
        elif isinstance(parsed, actions.LabGiveUp):
            await self.lab.give_up(inv)
        elif parsed is not None:
            await self.review.handle_action(inv, parsed)
        else:
            log.warning("unknown quiz action %r", action)
            await self._ephemeral(inv, t(inv.lang, "quiz.answer.ended"))

    async def hint(self, inv: Invocation) -> None:
        rnd = self.round_in(inv.place)
        live = rnd.live if rnd is not None else None
        if live is None or live.closed:
            if await self.lab.hint(inv):  # no round question open here: the member's lab exercise, if any
                return
            raise QuizError(t(inv.lang, "quiz.hint.no_question"))
        hints = live.question.hints
        if not hints:
            raise QuizError(t(inv.lang, "quiz.hint.none"))
        async with live.lock:
            if live.hints_shown >= len(hints):
                raise QuizError(t(inv.lang, "quiz.hint.no_more"))
            live.hints_shown += 1
            shown = live.hints_shown
            await self.store.set_hints(live.instance_id, shown)
        best = points_for(True, 0, live.window, shown)
        assert rnd is not None
        await rnd.responder.send(Reply(blocks=[Text(t(
            inv.lang, "quiz.hint.text", number=shown, total=len(hints), hint=hints[shown - 1], points=best
        ))]))


def lab_access(core: Core) -> LabAccess:
    """The members' labs (``!docker``'s), opened when an exercise first needs them: a one-shot ``say`` sets
    the sandbox up only then."""

    async def state(owner: LabOwner) -> LabState:
        lab = core.open_lab()
        if lab is None:
            raise RuntimeError("the lab is off")
        return await lab.state(owner)

    # Whether the lab is on is in the settings: asking needs no sandbox (`!quiz topics` in a one-shot `say` sets
    # none up, and loads no Docker SDK).
    sandbox = core.settings.sandbox
    return LabAccess(state=state, available=lambda: sandbox.enabled and sandbox.lab_enabled)
