"""The scheduler on a fake clock: each slot posted once (also across a restart), catch-up within the
grace window, older slots skipped, daylight saving, and no repeated questions in a channel."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.invocations import CollectingResponder
from tests.quiz.conftest import Harness, texts

HOUR = 3600.0


def scheduled_posts(responder: CollectingResponder) -> list[str]:
    return [r.plain_text() for r in responder.sent if r.plain_text().startswith("⏰ Scheduled quiz!")]


def asked(responder: CollectingResponder) -> list[str]:
    return [r.blocks[0].text for r in responder.sent if r.title and r.title.startswith("Question")]  # type: ignore[union-attr]


async def test_a_slot_is_posted_once_even_across_a_restart(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    await h.start()
    await h.say("!quiz schedule #quiz daily 09:00 UTC 1", manager=True)
    quiz = h.channel("quiz")

    await h.clock.set(datetime(2026, 1, 5, 8, 59, 59, tzinfo=UTC))
    assert await h.service.scheduler.tick() == 0
    await h.clock.advance(1)
    assert await h.service.scheduler.tick() == 1
    await h.clock.settle()
    assert len(scheduled_posts(quiz)) == 1
    assert len(asked(quiz)) == 1
    assert await h.service.scheduler.tick() == 0

    await h.crash()  # killed right after posting
    await h.start()
    assert await h.service.scheduler.tick() == 0
    await h.clock.advance(60)
    assert await h.service.scheduler.tick() == 0
    assert len(scheduled_posts(quiz)) == 1
    row = await h.core.db.fetchone("SELECT COUNT(*) FROM quiz_schedule_slots")  # type: ignore[union-attr]
    assert row is not None and row[0] == 1

    await h.clock.set(datetime(2026, 1, 6, 9, 0, tzinfo=UTC))  # the next day's slot
    assert await h.service.scheduler.tick() == 1
    await h.clock.settle()
    assert len(scheduled_posts(quiz)) == 2
    await h.stop()


async def test_the_loop_posts_at_the_slot_on_the_fake_clock(tmp_path: Path) -> None:
    h = Harness(tmp_path, quiz_tick_seconds=30)
    await h.start()
    try:
        await h.say("!quiz schedule #quiz daily 00:10 UTC", manager=True)
        h.service.scheduler.start()
        await h.clock.advance(9 * 60)
        assert scheduled_posts(h.channel("quiz")) == []
        await h.clock.advance(2 * 60)
        assert len(scheduled_posts(h.channel("quiz"))) == 1
        await h.clock.advance(HOUR)
        assert len(scheduled_posts(h.channel("quiz"))) == 1
    finally:
        await h.stop()


async def test_catch_up_within_grace_and_skip_older(tmp_path: Path) -> None:
    h = Harness(tmp_path, quiz_grace_minutes=60)
    await h.start()
    await h.say("!quiz schedule #quiz daily 09:00 UTC", manager=True)
    await h.clock.set(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    await h.crash()  # down over the 09:00 slot

    await h.clock.set(datetime(2026, 1, 5, 9, 40, tzinfo=UTC))
    await h.start()  # back within the grace window: caught up once
    assert await h.service.scheduler.tick() == 1
    await h.clock.settle()
    assert len(scheduled_posts(h.channel("quiz"))) == 1
    await h.clock.advance(120)
    await h.crash()

    await h.clock.set(datetime(2026, 1, 6, 11, 0, tzinfo=UTC))  # two hours late for Tuesday: skipped
    await h.start()
    assert await h.service.scheduler.tick() == 0
    assert len(scheduled_posts(h.channel("quiz"))) == 1
    await h.crash()

    await h.clock.set(datetime(2026, 1, 9, 9, 5, tzinfo=UTC))  # down Wed-Fri: only Friday's slot, once
    await h.start()
    assert await h.service.scheduler.tick() == 1
    assert await h.service.scheduler.tick() == 0
    await h.clock.settle()
    assert len(scheduled_posts(h.channel("quiz"))) == 2
    await h.stop()


async def test_daylight_saving_keeps_local_time(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    await h.clock.set(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    await h.start()
    try:
        await h.say("!quiz schedule #quiz daily 09:00 Europe/Berlin", manager=True)
        quiz = h.channel("quiz")
        # Berlin moves from UTC+1 to UTC+2 on 2026-03-29
        for expected in (datetime(2026, 3, 28, 8, 0, tzinfo=UTC), datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
                         datetime(2026, 3, 30, 7, 0, tzinfo=UTC)):
            await h.clock.set(expected.timestamp() - 60)
            assert await h.service.scheduler.tick() == 0
            await h.clock.set(expected)
            assert await h.service.scheduler.tick() == 1
            await h.clock.advance(HOUR)  # the one-question round finishes
        assert len(scheduled_posts(quiz)) == 3
        listed = texts(await h.say("!quiz schedule list", manager=True))[0]
        assert "next 2026-03-31 09:00" in listed
    finally:
        await h.stop()


async def test_no_repeats_in_a_channel_until_the_bank_is_used_up(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    await h.start()
    try:
        for _ in range(4):
            await h.say("!quiz 1")
            await h.clock.advance(60)
        first_four = asked(h.channel())
        assert len(set(first_four)) == 4  # the bank has four questions: no repeats
        await h.say("!quiz 3")
        await h.clock.advance(120)
        next_three = asked(h.channel())[4:]
        assert len(set(next_three)) == 3  # a fresh pass through the bank
        await h.say("!quiz 1")
        await h.clock.advance(60)
        assert asked(h.channel())[-1] not in next_three
        # scheduled posts in another channel draw from that channel's own memory
        await h.say("!quiz schedule #other daily 09:00 UTC 4", manager=True)
        await h.clock.set(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        assert await h.service.scheduler.tick() == 1
        await h.clock.advance(HOUR)
        assert len(set(asked(h.channel("other")))) == 4
    finally:
        await h.stop()


async def test_no_connected_chat_means_no_claim(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    await h.start()
    try:
        await h.say("!quiz schedule #quiz daily 09:00 UTC", manager=True)
        assert h.core is not None
        opener = h.core.channels.pop("console")
        await h.clock.set(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        assert await h.service.scheduler.tick() == 0
        h.core.channels["console"] = opener  # the adapter connects a minute later
        await h.clock.advance(60)
        assert await h.service.scheduler.tick() == 1
    finally:
        await h.stop()
