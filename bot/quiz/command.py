"""``!quiz``, ``!stats``, ``!leaderboard`` and ``!review``: their specs, and :func:`install`.

The handlers (:mod:`bot.quiz.handlers`) and the engine behind them (questions, rounds, schedules, review)
are imported when the quiz service is built: at install in a running bot, which resumes its rounds and runs
its schedules, but only at first use in a one-shot ``say`` / ``index``, so ``say "!explain …"`` loads none
of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bot.context import Invocation
from bot.core.commands import Command, CommandError, CommandSpec
from bot.quiz import strings as _strings  # noqa: F401  (registers the quiz sentences)
from bot.quiz.errors import QuizError

if TYPE_CHECKING:
    from bot.core import Core
    from bot.quiz.clock import Clock
    from bot.quiz.handlers import QuizCommands
    from bot.quiz.service import QuizService

QUIZ_SPEC = CommandSpec(
    name="quiz",
    usage="quiz [n] [topic] | stop | topics | hint | lab [topic] | check | skip | schedule …",
    summary_key="cmd.quiz.summary",
    details_key="cmd.quiz.details",
    examples=(
        "quiz", "quiz 3 dockerfile", "quiz topics", "quiz lab", "quiz schedule #study daily 09:00 Asia/Seoul mon-fri 3",
    ),
    aliases=("퀴즈",),
    options=(("options", "opt.quiz.options"),),
)
STATS_SPEC = CommandSpec(
    name="stats", usage="stats [@member]", summary_key="cmd.stats.summary", examples=("stats",), aliases=("통계",),
    options=(("member", "opt.stats.member"),),
)
LEADERBOARD_SPEC = CommandSpec(
    name="leaderboard", usage="leaderboard [week|all]", summary_key="cmd.leaderboard.summary",
    examples=("leaderboard", "leaderboard all"), aliases=("lb", "순위"),
    options=(("period", "opt.leaderboard.period"),),
)
REVIEW_SPEC = CommandSpec(
    name="review", usage="review", summary_key="cmd.review.summary", examples=("review",), aliases=("복습",)
)


@contextmanager
def _refusals_as_command_errors() -> Iterator[None]:
    """The quiz's refusals reach the member as the pipeline's errors, without the usage line."""
    try:
        yield
    except QuizError as exc:
        raise CommandError(exc.message, show_usage=False) from exc


def _handlers(core: Core, service: QuizService) -> QuizCommands:
    """The command layer over ``service``, with the state file and the chat platforms' look-ups it uses."""
    from bot.quiz.handlers import QuizCommands

    return QuizCommands(service, db=core.db, channel_checks=core.channel_checks, member_names=core.member_names)


class _Quiz:
    """The quiz feature of one core: builds its service and handlers once, when first needed."""

    def __init__(self, core: Core, clock: Clock | None) -> None:
        self.core = core
        self.clock = clock
        self._commands: QuizCommands | None = None

    def commands(self) -> QuizCommands:
        if self._commands is None:
            from bot.quiz.service import QuizService

            service = self.core.quiz = QuizService.load(self.core, clock=self.clock)
            self._commands = _handlers(self.core, service)
        return self._commands

    async def quiz(self, inv: Invocation, args: str) -> None:
        with _refusals_as_command_errors():
            await self.commands().quiz(inv, args)

    async def stats(self, inv: Invocation, args: str) -> None:
        with _refusals_as_command_errors():
            await self.commands().stats(inv, args)

    async def leaderboard(self, inv: Invocation, args: str) -> None:
        with _refusals_as_command_errors():
            await self.commands().leaderboard(inv, args)

    async def review(self, inv: Invocation, args: str) -> None:
        with _refusals_as_command_errors():
            await self.commands().review(inv, args)

    async def action(self, inv: Invocation, action: str, text: str | None = None) -> None:
        with _refusals_as_command_errors():
            await self.commands().service.handle_action(inv, action, text)

    async def on_message(self, inv: Invocation, text: str) -> bool:
        return await self.commands().service.on_message(inv, text)

    async def close(self) -> None:
        if self._commands is not None:
            await self._commands.service.close()


async def stats_for(core: Core, inv: Invocation, member_id: str | None, name: str | None) -> None:
    """``/stats member:`` with a member picked in the chat (a Discord user option); None: your own."""
    if core.quiz is None:
        raise RuntimeError("!quiz is not installed")
    await _handlers(core, core.quiz).show_stats(inv, member_id or inv.actor.id, name or inv.actor.name)


async def install(core: Core, *, clock: Clock | None = None, run_scheduler: bool = True) -> None:
    """Register the commands; in a running bot, also load the questions and start the service (closing
    rounds a previous run left open) and the scheduler.

    Tests and benchmarks may pass a ``clock`` (a fake one, ``tests/quiz/clock.py``) and
    ``run_scheduler=False`` (then they drive ``service.scheduler.tick()`` themselves).
    """
    quiz = _Quiz(core, clock)
    # A one-shot `say` / `index` beside a running bot takes over no schedule and closes none of its rounds.
    if not core.one_shot:
        await quiz.commands().service.start(run_scheduler=run_scheduler)
    core.closers.append(quiz.close)
    core.add_command(Command(QUIZ_SPEC, quiz.quiz))
    core.add_command(Command(STATS_SPEC, quiz.stats))
    core.add_command(Command(LEADERBOARD_SPEC, quiz.leaderboard))
    core.add_command(Command(REVIEW_SPEC, quiz.review))
    core.add_action("quiz", quiz.action)
    core.add_listener(quiz.on_message)
