"""A quiz clock for tests and benchmarks that only moves when told to (:class:`bot.quiz.clock.Clock`).

Only tasks that sleep through the clock are driven by it. ``FakeClock.advance`` moves time
forward, wakes each sleeper at its deadline in order, and waits until every tracked task
is asleep again (or finished), so a test sees the effect of each wake-up deterministically.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from datetime import datetime


class FakeClock:
    """A clock that only moves when told to. Start it at any UTC epoch."""

    def __init__(self, start: float | datetime = 1_767_225_600.0, settle_timeout: float = 5.0) -> None:
        self._now = start.timestamp() if isinstance(start, datetime) else float(start)
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._counter = itertools.count()
        self._asleep: set[asyncio.Task[object]] = set()
        self._tracked: set[asyncio.Task[object]] = set()
        self._settle_timeout = settle_timeout

    def time(self) -> float:
        return self._now

    def track(self, task: asyncio.Task[object]) -> None:
        self._tracked.add(task)

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + max(0.0, seconds), next(self._counter), future))
        task = asyncio.current_task()
        if task is not None:
            self._asleep.add(task)  # type: ignore[arg-type]
        try:
            await future
        finally:
            if task is not None:
                self._asleep.discard(task)  # type: ignore[arg-type]

    async def settle(self) -> None:
        """Wait (in real time) until every tracked task sleeps on this clock or has finished."""
        deadline = time.monotonic() + self._settle_timeout
        while True:
            await asyncio.sleep(0)
            self._tracked = {t for t in self._tracked if not t.done()}
            if all(t in self._asleep for t in self._tracked):
                # one more turn so a task that just woke gets to run before we call it settled
                await asyncio.sleep(0)
                if all(t in self._asleep or t.done() for t in self._tracked):
                    return
            if time.monotonic() > deadline:
                raise TimeoutError("tasks did not settle on the fake clock")
            await asyncio.sleep(0.001)

    async def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, waking sleepers in deadline order."""
        target = self._now + seconds
        await self.settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            if not future.done():
                future.set_result(None)
            await self.settle()
        self._now = max(self._now, target)
        await self.settle()

    async def set(self, moment: float | datetime) -> None:
        epoch = moment.timestamp() if isinstance(moment, datetime) else float(moment)
        await self.advance(max(0.0, epoch - self._now))
