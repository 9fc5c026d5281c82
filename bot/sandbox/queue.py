"""Who may run now: one job per member, a cooldown, a global limit and a bounded FIFO queue."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from bot.sandbox.errors import AlreadyRunning, CoolingDown, QueueFull

__all__ = ["AlreadyRunning", "CoolingDown", "Place", "QueueFull", "RunQueue"]

PositionCallback = Callable[[int], None]  # must not block: schedule any chat edit


class Place:
    """A running place a job holds; :meth:`give_back` hands it on before the job ends (a bot's job whose
    runner is pulling the image waits for the pull, not for a running place)."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release = release
        self.held = True

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self._release()


class RunQueue:
    """Admission for sandbox runs.

    :meth:`member` holds a member's single job for its whole life (pull, wait, run) and starts
    their cooldown when it ends; :meth:`slot` waits, first come first served, for one of
    ``limit`` running places, refusing when ``max_waiting`` jobs already wait.
    """

    def __init__(
        self, limit: int, max_waiting: int, cooldown: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.max_waiting = max_waiting
        self.cooldown = cooldown
        self._clock = clock
        self._running = 0
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._watchers: dict[asyncio.Future[None], PositionCallback] = {}
        self._members: set[str] = set()
        self._pending = 0  # jobs pulling their image: they wait too, and count against max_waiting
        self._last_end: dict[str, float] = {}
        self._average_run = 1.0

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return len(self._waiting) + self._pending

    @asynccontextmanager
    async def pending(self) -> AsyncIterator[None]:
        """Hold a waiting place while a job prepares (pulls its image); refused when the queue is full."""
        if self.waiting >= self.max_waiting:
            raise QueueFull(self.retry_after(), self.waiting)
        self._pending += 1
        try:
            yield
        finally:
            self._pending -= 1

    @asynccontextmanager
    async def member(self, member_id: str) -> AsyncIterator[None]:
        if member_id in self._members:
            raise AlreadyRunning
        if self.cooldown > 0 and member_id in self._last_end:
            left = self.cooldown - (self._clock() - self._last_end[member_id])
            if left > 0:
                raise CoolingDown(left)
        self._members.add(member_id)
        try:
            yield
        finally:
            self._members.discard(member_id)
            self._last_end[member_id] = self._clock()
            if len(self._last_end) > 10_000:
                self._forget_old_cooldowns()

    @asynccontextmanager
    async def slot(self, on_position: PositionCallback | None = None) -> AsyncIterator[Place]:
        """Hold a running place; ``on_position(n)`` is called while the job waits (n = 1 is next)."""
        if self._running < self.limit and not self._waiting:
            self._running += 1
        else:
            if self.waiting >= self.max_waiting:
                raise QueueFull(self.retry_after(), self.waiting)
            ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.append(ticket)
            if on_position is not None:
                self._watchers[ticket] = on_position
                on_position(len(self._waiting))
            try:
                await ticket  # the place is handed over by _release; _running already counts it
            except BaseException:
                self._watchers.pop(ticket, None)
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                    self._announce_positions()
                elif ticket.done() and not ticket.cancelled():
                    self._release()  # handed a place just as we were cancelled: pass it on
                raise
            self._watchers.pop(ticket, None)
            self._announce_positions()
        started = self._clock()
        place = Place(self._release)
        try:
            yield place
        finally:
            elapsed = self._clock() - started
            self._average_run = 0.8 * self._average_run + 0.2 * elapsed
            place.give_back()

    def resize(self, limit: int) -> None:
        """Change the number of running places (a bot's runners come and go); waiting jobs fill new places
        at once, and jobs already running keep theirs when places go."""
        self.limit = max(1, limit)
        while self._running < self.limit and self._waiting:
            ticket = self._waiting.popleft()
            if not ticket.done():
                self._running += 1
                ticket.set_result(None)  # the woken job tells the others their new places

    def forgive(self, member_id: str) -> None:
        """No cooldown after a job that never ran because its request was bad (a typo in the image name)."""
        self._last_end.pop(member_id, None)

    def retry_after(self) -> float:
        """A fair guess of the wait before a place in the queue frees up, in whole seconds."""
        per_slot = self._average_run * (len(self._waiting) + 1) / max(self.limit, 1)
        return float(max(1, math.ceil(per_slot)))

    def _release(self) -> None:
        while self._waiting:
            ticket = self._waiting.popleft()
            if not ticket.done():
                ticket.set_result(None)  # the running count passes to the woken job unchanged
                return
        self._running -= 1

    def _announce_positions(self) -> None:
        for position, ticket in enumerate(list(self._waiting), start=1):
            callback = self._watchers.get(ticket)
            if callback is not None:
                callback(position)

    def _forget_old_cooldowns(self) -> None:
        now = self._clock()
        self._last_end = {m: t for m, t in self._last_end.items() if now - t < self.cooldown}
