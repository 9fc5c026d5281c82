"""A crash between claiming a schedule slot and posting it (issue 10, item 18): the slot is posted after
the restart, within the grace window, exactly once; past the grace window it is not posted late."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.replies import Reply
from tests.invocations import CollectingResponder
from tests.quiz.conftest import Harness
from tests.quiz.test_scheduler import scheduled_posts


class StuckResponder(CollectingResponder):
    """A chat that takes the post but never answers: the process is killed while it waits."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = asyncio.Event()

    async def send(self, reply: Reply) -> object:
        self.waiting.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def crash_during_the_post(h: Harness) -> None:
    await h.start()
    await h.say("!quiz schedule #quiz daily 09:00 UTC 1", manager=True)
    stuck = StuckResponder()

    async def opener(channel_id: str) -> CollectingResponder:
        return stuck

    assert h.core is not None
    h.core.channels["console"] = opener
    await h.clock.set(datetime(2026, 1, 5, 9, 0, 5, tzinfo=UTC))
    tick = asyncio.create_task(h.service.scheduler.tick())
    await asyncio.wait_for(stuck.waiting.wait(), 5)
    tick.cancel()  # killed while the post is on its way
    await asyncio.gather(tick, return_exceptions=True)
    await h.crash()


async def test_a_slot_claimed_before_a_crash_is_posted_after_the_restart_once(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    await crash_during_the_post(h)
    await h.clock.advance(120)  # back within the grace window
    await h.start()
    quiz = h.channel("quiz")
    assert await h.service.scheduler.tick() == 1
    await h.clock.settle()
    assert len(scheduled_posts(quiz)) == 1
    assert await h.service.scheduler.tick() == 0  # and never again
    await h.clock.advance(3600)
    await h.service.scheduler.tick()
    await h.stop()
    await h.start()  # nor after another restart
    await h.service.scheduler.tick()
    assert len(scheduled_posts(quiz)) == 1
    await h.stop()


async def test_a_claimed_slot_past_the_grace_window_is_not_posted_late(tmp_path: Path) -> None:
    h = Harness(tmp_path, quiz_grace_minutes=10)
    await crash_during_the_post(h)
    await h.clock.advance(3600)  # down for an hour
    await h.start()
    assert await h.service.scheduler.tick() == 0
    assert scheduled_posts(h.channel("quiz")) == []
    row = await h.core.db.fetchone("SELECT status FROM quiz_schedule_slots")  # type: ignore[union-attr]
    assert row is not None and row[0] == "missed"
    await h.stop()
