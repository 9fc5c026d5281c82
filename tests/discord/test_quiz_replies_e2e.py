"""What members see in quiz replies through the real discord.py client (issue 10, items 11–13)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.adapters.discord.client import StudyBot
from bot.config import Settings
from bot.replies import Reply, Text
from tests.discord.test_quiz_e2e import QuizEnv, button, question, quiz_env, replies_to, start_core
from tests.fakes.discord_server import FakeDiscord
from tests.quiz.clock import FakeClock
from tests.quiz.conftest import START

__all__ = ["quiz_env"]  # the fixture, shared with test_quiz_e2e

ONE_QUESTION_25S = """
title: Commands
settings:
  seconds: 25
questions:
  - id: c-rmi
    type: multiple_choice
    prompt: 이미지를 삭제하는 명령어는?
    answer: docker rmi
    distractors: [docker rm, docker stop, docker prune]
    explanation: rm 은 컨테이너, rmi 는 이미지.
    tags: [cli]
    section: 명령어
"""


async def test_quiz_intro_names_the_banks_time_and_says_one_question(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    quiz_dir = tmp_path / "quizzes"
    quiz_dir.mkdir()
    (quiz_dir / "commands.yaml").write_text(ONE_QUESTION_25S, encoding="utf-8")
    clock = FakeClock(START)
    core = await start_core(make_settings(quiz_dir=quiz_dir, quiz_generated=False, quiz_question_seconds=20,
                                          sandbox_enabled=False), clock)
    try:
        async with FakeDiscord() as fake:
            alice = fake.add_member("alice")
            async with fake.run_bot(StudyBot(core, guild_ready_timeout=0.05)):
                await fake.send_message(fake.channel, alice, "!quiz 1")
                await clock.settle()
                intro = await fake.wait_for(lambda m: m.text.startswith("Quiz:"))
                asked = await fake.wait_for(lambda m: "Question 1/1" in m.text)
                assert intro.text.startswith("Quiz: 1 question, 25 s."), intro.text
                assert "20 s" not in intro.text and "questions" not in intro.text
                assert "25 s" in asked.text  # the question's own footer agrees
            assert not fake.unknown_requests, fake.describe()
    finally:
        await core.close()


async def test_review_never_says_nothing_is_due_now(quiz_env: QuizEnv) -> None:
    env, fake = quiz_env, quiz_env.fake
    await env.say(env.alice, "!quiz 1")
    asked = await question(env)
    await fake.click(asked, button(asked, "docker rm"), env.alice)  # wrong: the card comes back soon
    await fake.wait_for(lambda m: m.ephemeral and "locked in" in m.text)
    await env.clock.advance(21)
    await fake.wait_for(lambda m: "Answer: docker rmi" in m.text)
    due = await env.core.db.fetchone("SELECT due FROM quiz_review_cards")
    assert due is not None
    # the card falls due within the minute: 30 s from now
    await env.clock.advance(float(due[0]) - env.clock.time() - 30)
    await env.say(env.alice, "!review")
    dm = fake.dm_channel(env.alice)
    reply = await fake.wait_for(lambda m: m.channel_id == dm.id)
    assert "Nothing to review right now" in reply.text
    assert "is now" not in reply.text
    assert "Your next review is in less than a minute." in reply.text


async def test_a_fence_split_across_embeds_is_closed_and_reopened(quiz_env: QuizEnv) -> None:
    env, fake = quiz_env, quiz_env.fake
    lines = [f"docker run --rm -e VAR_{i}=value alpine echo line {i} " + "x" * 40 for i in range(100)]

    # what a note's long fenced example looks like to the renderer; posted as the bot posts to a channel
    responder = await env.core.channels["discord"](str(fake.channel.id))
    await responder.send(Reply(blocks=[Text("Example:\n```sh\n" + "\n".join(lines) + "\n```\nDone.")]))
    await fake.wait_until(lambda: any("Done." in m.text for m in fake.messages.values()), what="the last part")
    parts = [m.embeds[0]["description"] for m in fake.messages.values() if m.embeds and m.author_id != env.alice.id]
    assert len(parts) > 1
    assert [p.count("```") % 2 for p in parts] == [0] * len(parts)  # no message ends inside a code block
    for part in parts[1:]:
        assert part.startswith("```sh\n")  # the example goes on as code, not as prose
    shown = "\n".join(parts)
    assert all(line in shown for line in lines)


async def test_stats_takes_a_member_from_discords_member_picker(quiz_env: QuizEnv) -> None:
    env, fake = quiz_env, quiz_env.fake
    [stats] = [c for cmds in fake.commands.values() for c in cmds if c["name"] == "stats"]
    [option] = stats["options"]
    assert (option["name"], option["type"], option.get("required", False)) == ("member", 6, False)  # USER

    interaction = await fake.slash(fake.channel, env.alice, "stats", options={"member": env.bob})
    reply = await fake.wait_for(lambda m: m.interaction_token == interaction.token)
    assert "No quiz answers from bob yet." in reply.text

    asked = await env.say(env.alice, f"!stats <@{env.bob.id}>")  # the text form names the member too
    typed = await fake.wait_for(lambda m: replies_to(m, asked))
    assert "No quiz answers from bob yet." in typed.text


async def test_a_schedule_for_a_channel_named_with_odd_digits_gets_a_normal_reply(quiz_env: QuizEnv) -> None:
    env, fake = quiz_env, quiz_env.fake
    for text in ("!quiz schedule ² daily 09:00 UTC", "!quiz schedule #①② daily 09:00 UTC"):
        asked = await env.say(env.boss, text)
        reply = await fake.wait_for(lambda m, asked=asked: replies_to(m, asked))
        assert "There is no channel" in reply.text and "went wrong" not in reply.text


async def test_a_member_who_left_is_a_clear_reply_not_a_failed_interaction(quiz_env: QuizEnv) -> None:
    env, fake = quiz_env, quiz_env.fake
    gone = fake.add_user("gone")  # not in the server (any more): Discord resolves a user, not a member
    interaction = await fake.slash(fake.channel, env.alice, "stats", options={"member": gone})
    reply = await fake.wait_for(lambda m: m.interaction_token == interaction.token)
    assert "is not a valid value here" in reply.text and "!stats [@member]" in reply.text
    assert reply.flags & 64  # only the asker sees it
