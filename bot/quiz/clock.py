"""Time for quizzes, injectable: :class:`RealClock` in the bot; tests and benchmarks give
:func:`bot.quiz.command.install` a fake one (``tests/quiz/clock.py``) that moves only when told to.

Whoever starts a task that sleeps through the clock hands it to ``Clock.track``, so a fake clock can wait
for it.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def time(self) -> float:
        """UTC epoch seconds."""

    async def sleep(self, seconds: float) -> None: ...

    def track(self, task: asyncio.Task[object]) -> None:
        """Tell the clock about a task that sleeps through it (a no-op for the real clock)."""


def as_datetime(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


class RealClock:
    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))

    def track(self, task: asyncio.Task[object]) -> None:
        return None
