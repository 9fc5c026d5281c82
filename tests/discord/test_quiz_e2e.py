"""Quizzes through the real discord.py client: buttons, the answer box, typed answers, stats, review,
and a scheduled post on a fake clock, once across a restart."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from unittest.mock import patch

import pytest

from bot.adapters.discord.client import StudyBot
from bot.config import Settings
from bot.core import Core
from bot.quiz import command as quiz_command
from bot.quiz.service import QuizService
from tests.fakes.discord_models import FakeMember
from tests.fakes.discord_records import SentMessage
from tests.fakes.discord_server import FakeDiscord
from tests.quiz.clock import FakeClock
from tests.quiz.conftest import START, bank_with


@dataclass
class QuizEnv:
    fake: FakeDiscord
    core: Core
    clock: FakeClock
    alice: FakeMember
    bob: FakeMember
    boss: FakeMember

    @property
    def service(self) -> QuizService:
        assert self.core.quiz is not None
        return self.core.quiz

    async def say(self, member: FakeMember, text: str) -> SentMessage:
        message = await self.fake.send_message(self.fake.channel, member, text)
        await self.clock.settle()
        return message


def quiz_settings(tmp_path: Path, make_settings: Callable[..., Settings], *ids: str) -> Settings:
    quiz_dir = tmp_path / "quizzes"
    quiz_dir.mkdir(exist_ok=True)
    (quiz_dir / "test.yaml").write_text(bank_with(*ids), encoding="utf-8")
    return make_settings(
        quiz_dir=quiz_dir, quiz_generated=False, quiz_question_seconds=20, quiz_pause_seconds=2,
        sandbox_enabled=False,
    )


async def start_core(settings: Settings, clock: FakeClock) -> Core:
    """``Core.start``, with the quiz installed on ``clock`` (its install's ``clock``) from the first moment."""
    install = quiz_command.install

    async def install_on_clock(core: Core) -> None:
        await install(core, clock=clock)

    with patch.object(quiz_command, "install", install_on_clock):
        core = await Core.start(settings)
    assert core.quiz is not None and core.quiz.clock is clock
    return core


@pytest.fixture
async def quiz_env(request: pytest.FixtureRequest, tmp_path: Path, make_settings: Callable[..., Settings]
                   ) -> AsyncIterator[QuizEnv]:
    ids = getattr(request, "param", ("t-mc",))
    clock = FakeClock(START)
    core = await start_core(quiz_settings(tmp_path, make_settings, *ids), clock)
    try:
        async with FakeDiscord() as fake:
            env = QuizEnv(fake, core, clock, fake.add_member("alice"), fake.add_member("bob"),
                          fake.add_member("boss", manager=True))
            async with fake.run_bot(StudyBot(core, guild_ready_timeout=0.05)):
                yield env
            assert not fake.unknown_requests, fake.describe()
    finally:
        await core.close()


def button(message: SentMessage, label: str) -> str:
    for component in message.buttons():
        if component.get("label") == label:
            return str(component["custom_id"])
    raise AssertionError(f"no button {label!r} in {[b.get('label') for b in message.buttons()]}")


async def question(env: QuizEnv) -> SentMessage:
    return await env.fake.wait_for(lambda m: "Question 1/1" in m.text and bool(m.buttons()))


async def test_button_answers_are_scored_and_double_and_late_clicks_answered(quiz_env: QuizEnv) -> None:
    env, fake = quiz_env, quiz_env.fake
    await env.say(env.alice, "!quiz 1")
    asked = await question(env)
    stale = copy.deepcopy(asked)
    right, wrong = button(asked, "docker rmi"), button(asked, "docker rm")

    await fake.click(asked, right, env.alice)
    ack = await fake.wait_for(lambda m: m.ephemeral and "locked in" in m.text)
    assert "docker rmi" in ack.text
    await fake.click(asked, wrong, env.alice)
    await fake.wait_for(lambda m: m.ephemeral and "You already answered this question." in m.text)
    await fake.click(asked, wrong, env.bob)
    await fake.wait_for(lambda m: m.ephemeral and "locked in" in m.text and "docker rm**" in m.text)

    await env.clock.advance(21)
    reveal = await fake.wait_for(lambda m: "Answer: docker rmi" in m.text)
    assert "alice" in reveal.text and "!explain -v" in reveal.text
    closed = fake.messages[asked.id]
    assert closed.buttons() and all(b.get("disabled") for b in closed.buttons())

    late = await fake.click(stale, right, env.boss)  # a client that had not seen the edit yet
    refused = await fake.wait_for(lambda m: m.interaction_token == late.token)
    assert refused.ephemeral and ("already closed" in refused.text or "has ended" in refused.text)

    await env.clock.advance(5)
    summary = await fake.wait_for(lambda m: m.text.startswith("Quiz over"))
    assert summary.text.index("alice — 150 points") < summary.text.index("bob — 0 points")

    board_ask = await env.say(env.alice, "!leaderboard")
    board = await fake.wait_for(lambda m: replies_to(m, board_ask))
    assert board.text.index("1. alice — 150 points") < board.text.index("2. bob — 0 points")
    stats_ask = await env.say(env.bob, "!stats")
    stats = await fake.wait_for(lambda m: replies_to(m, stats_ask))
    assert "bob" in stats.text and "0%" in stats.text


def replies_to(message: SentMessage, asked: SentMessage) -> bool:
    return bool(message.message_reference) and int(message.message_reference["message_id"]) == asked.id  # type: ignore[index]


async def test_buttons_of_an_ended_quiz_answer_privately_after_a_restart(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = quiz_settings(tmp_path, make_settings, "t-mc")
    clock = FakeClock(START)
    core = await start_core(settings, clock)
    async with FakeDiscord() as fake:
        alice = fake.add_member("alice")
        async with fake.run_bot(StudyBot(core, guild_ready_timeout=0.05)):
            await fake.send_message(fake.channel, alice, "!quiz 1")
            await clock.settle()
            asked = await fake.wait_for(lambda m: "Question 1/1" in m.text and bool(m.buttons()))
        await core.close()  # the bot stops with the question open
        core = await start_core(settings, clock)
        async with fake.run_bot(StudyBot(core, guild_ready_timeout=0.05)):
            await fake.click(asked, button(asked, "docker rmi"), alice)
            ended = await fake.wait_for(lambda m: m.ephemeral and "ended" in m.text.lower())
            assert "quiz" in ended.text.lower()
        await core.close()
        assert not fake.unknown_requests, fake.describe()


@pytest.mark.parametrize("quiz_env", [("t-free",)], indirect=True)
async def test_typed_answers_by_message_and_by_answer_box(quiz_env: QuizEnv) -> None:
    env, fake = quiz_env, quiz_env.fake
    await env.say(env.alice, "!quiz 1")
    asked = await fake.wait_for(lambda m: "Question 1/1" in m.text)
    typed = await env.say(env.alice, "container")
    await fake.wait_until(lambda: any(r.message_id == typed.id for r in fake.reactions), what="a reaction")
    assert any(r.message_id == typed.id and r.emoji == "📝" for r in fake.reactions)

    box = button(asked, "✍️ Answer")
    assert box.startswith("ask:quiz:type:")
    opened = await fake.click(asked, box, env.bob)
    await fake.submit_modal(opened, env.bob, {"answer": "컨테이너"})
    await fake.wait_for(lambda m: m.ephemeral and "bob, your answer is in" in m.text)

    await env.clock.advance(21)
    reveal = await fake.wait_for(lambda m: "Answer: 컨테이너" in m.text)
    assert "alice" in reveal.text and "bob" in reveal.text


async def test_review_is_private(quiz_env: QuizEnv) -> None:
    env, fake = quiz_env, quiz_env.fake
    await env.say(env.alice, "!quiz 1")
    asked = await question(env)
    await fake.click(asked, button(asked, "docker rm"), env.alice)
    await fake.wait_for(lambda m: m.ephemeral and "locked in" in m.text)
    await env.clock.advance(30)
    await fake.wait_for(lambda m: "Answer: docker rmi" in m.text)
    await env.clock.advance(3600)  # a missed question comes back for review within the hour

    asked_review = await env.say(env.alice, "!review")
    dm = fake.dm_channel(env.alice)
    private = await fake.wait_for(lambda m: m.channel_id == dm.id)
    assert "이미지를 삭제하는 명령어는?" in private.text  # the missed question is due for review
    assert {b.get("label") for b in private.buttons()} == {b.get("label") for b in asked.buttons()}
    await fake.wait_until(
        lambda: any(r.message_id == asked_review.id and r.emoji == "📬" for r in fake.reactions), what="📬"
    )
    interaction = await fake.slash(fake.channel, env.alice, "review")
    slash_reply = await fake.wait_for(lambda m: m.interaction_token == interaction.token)
    assert slash_reply.ephemeral


async def test_schedule_posts_once_at_its_slot_across_a_restart(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = quiz_settings(tmp_path, make_settings, "t-mc", "t-tf")
    clock = FakeClock(START)
    async with FakeDiscord() as fake:
        boss, alice = fake.add_member("boss", manager=True), fake.add_member("alice")
        target = fake.guild.channel_named("quiz")

        def posts() -> list[SentMessage]:
            return [m for m in fake.sent if m.channel_id == target.id and "Scheduled quiz" in m.text]

        core = await start_core(settings, clock)
        async with fake.run_bot(StudyBot(core, guild_ready_timeout=0.05)):
            await fake.send_message(fake.channel, alice, f"!quiz schedule <#{target.id}> daily 09:00 UTC 1")
            refused = await fake.next_message(fake.channel)
            assert "manage" in refused.text.lower()
            await fake.send_message(fake.channel, boss, f"!quiz schedule <#{target.id}> daily 25:00 UTC 1")
            bad_time = await fake.next_message(fake.channel)
            assert "25:00" in bad_time.text
            await fake.send_message(fake.channel, boss, f"!quiz schedule <#{target.id}> daily 09:00 Mars/Base 1")
            bad_zone = await fake.next_message(fake.channel)
            assert "Mars/Base" in bad_zone.text
            await fake.send_message(fake.channel, boss, "!quiz schedule nosuch daily 09:00 UTC 1")
            unknown = await fake.next_message(fake.channel)
            assert "There is no channel" in unknown.text and "nosuch" in unknown.text
            elsewhere = fake.create_guild("Other Group").channel_named("general")
            await fake.send_message(fake.channel, boss, f"!quiz schedule <#{elsewhere.id}> daily 09:00 UTC 1")
            other_server = await fake.next_message(fake.channel)
            assert "There is no channel" in other_server.text
            await fake.send_message(fake.channel, boss, "!quiz schedule quiz daily 09:00 UTC 1")  # by name
            added = await fake.next_message(fake.channel)
            assert "#quiz" in added.text and "09:00" in added.text
            await fake.send_message(fake.channel, boss, "!quiz schedule list")
            listed = await fake.next_message(fake.channel)
            assert "#1 · #quiz · 09:00 UTC" in listed.text and "#2" not in listed.text

            await clock.set(datetime(2026, 1, 5, 9, 0, 5, tzinfo=UTC))
            await fake.wait_until(lambda: len(posts()) == 1, what="the scheduled post")
            await fake.wait_for(lambda m: m.channel_id == target.id and "Question 1/1" in m.text)
        await core.close()

        core = await start_core(settings, clock)  # a restart within the same slot
        async with fake.run_bot(StudyBot(core, guild_ready_timeout=0.05)):
            await clock.advance(120)
            assert len(posts()) == 1
        await core.close()
        assert not fake.unknown_requests, fake.describe()
