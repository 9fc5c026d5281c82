"""A progress message that is sent once and then edited in place, without holding anyone up.

Updates are coalesced (only the newest matters) and edits are spaced at least ``interval`` apart,
so a chatty pull or a moving queue cannot flood the chat API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from bot.context import Responder
from bot.replies import Reply

log = logging.getLogger(__name__)


class Notice:
    def __init__(self, responder: Responder, interval: float = 1.0) -> None:
        self._responder = responder
        self._interval = interval
        self._latest: Reply | None = None
        self._ref: Any = None
        self._sent = False
        self._last_edit = 0.0
        self._lock = asyncio.Lock()
        self._hurry = asyncio.Event()
        self._pending: asyncio.Task[None] | None = None

    @property
    def shown(self) -> bool:
        return self._sent or self._latest is not None

    def update(self, reply: Reply) -> None:
        """Show ``reply`` soon (send the first time, edit afterwards). Never blocks."""
        self._latest = reply
        if self._pending is None or self._pending.done():
            self._pending = asyncio.create_task(self._flush(), name="progress notice")

    async def finish(self, reply: Reply | None = None) -> None:
        """Replace the message with ``reply`` at once, if the message was ever shown."""
        if reply is not None and self.shown:
            self._latest = reply
        self._hurry.set()
        if self._pending is not None:
            await asyncio.gather(self._pending, return_exceptions=True)
        await self._flush()

    async def _flush(self) -> None:
        if self._sent:
            wait = self._interval - (time.monotonic() - self._last_edit)
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._hurry.wait(), wait)
        async with self._lock:
            reply, self._latest = self._latest, None
            if reply is None:
                return
            try:
                if self._sent:
                    await self._responder.edit(self._ref, reply)
                else:
                    self._ref = await self._responder.send(reply)
                    self._sent = True
            except Exception:
                log.warning("could not update a progress message", exc_info=True)
            self._last_edit = time.monotonic()
