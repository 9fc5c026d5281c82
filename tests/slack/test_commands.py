"""Commands through the real Bolt app: as messages, as slash commands, in DMs, threads and mentions."""

from __future__ import annotations

import asyncio

import pytest

from bot.context import Invocation
from bot.core.commands import Command, CommandSpec
from bot.replies import Reply
from tests.fakes.slack_server import BOT_USER
from tests.slack.conftest import RunningSlack


async def test_help_as_a_message_answers_in_the_channel(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.message("!help")
    [message] = await fake.wait_messages(1)
    assert (message.kind, message.channel, message.thread_ts) == ("postMessage", "C0GENERAL", None)
    assert message.blocks[0]["type"] == "header"
    assert "!explain" in message.readable and "!help" in message.readable


async def test_help_as_a_slash_command_is_acked_then_answered(slack: RunningSlack) -> None:
    fake = slack.fake
    envelope = await fake.slash("/help", "explain")
    ack = await fake.wait_ack(envelope)
    assert ack.payload is None  # an empty ack: the answer comes as a message
    [message] = await fake.wait_messages(1)
    assert message.kind == "postMessage" and message.channel == "C0GENERAL"
    assert "!explain" in message.blocks[0]["text"]["text"]  # help for one command


@pytest.mark.parametrize("how", ["message", "slash"])
async def test_explain_works_both_ways(slack: RunningSlack, how: str) -> None:
    fake = slack.fake
    if how == "message":
        await fake.message("!explain run")
    else:
        await fake.slash("/explain", "run")
    [message] = await fake.wait_messages(1)
    assert "컨테이너를 새로 만들어서 실행" in message.readable  # the note for `run`, as written
    assert "docker-guide-ko.md" in message.readable  # the source of the explanation


async def test_explain_verbose_flag_passes_through_the_slash_text(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.slash("/explain", "run")
    await fake.slash("/explain", "-v run")
    short, verbose = await fake.wait_messages(2)
    assert len(verbose.readable) > len(short.readable)


@pytest.mark.parametrize(("command", "expected"), [
    ("stats", "No quiz answers from alice yet"),
    ("leaderboard", "Leaderboard"),
])
async def test_quiz_stats_commands_as_message_and_slash(slack: RunningSlack, command: str, expected: str) -> None:
    fake = slack.fake
    await fake.message(f"!{command}")
    await fake.slash(f"/{command}")
    first, second = await fake.wait_messages(2)
    assert expected in first.readable and expected in second.readable


async def test_review_is_ephemeral_to_the_member_who_asked(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.slash("/review")
    await fake.message("!review")
    for message in await fake.wait_messages(2):
        assert message.kind == "postEphemeral" and message.user == "U0ALICE"
        assert "Nothing to review yet" in message.readable


async def test_unknown_slash_command_gets_the_core_answer(slack: RunningSlack) -> None:
    await slack.fake.slash("/explian", "run")
    [message] = await slack.fake.wait_messages(1)
    assert "Unknown command" in message.readable and "!explain" in message.readable


async def test_direct_messages_and_threads(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.message("!help", channel="D0ALICE", channel_type="im")
    await fake.message("!help", thread_ts="1700000000.000001")
    dm = (await fake.wait_messages(1, channel="D0ALICE"))[0]
    threaded = (await fake.wait_messages(1, channel="C0GENERAL"))[0]
    assert "!explain" in dm.readable
    assert threaded.thread_ts == "1700000000.000001"


async def test_mentioning_the_app_runs_a_command_once(slack: RunningSlack) -> None:
    fake = slack.fake
    text = f"<@{BOT_USER}> help"
    await fake.message(text)  # Slack sends both events for one message
    await fake.message(text, event_type="app_mention")
    await fake.wait_messages(1)
    await asyncio.sleep(0.3)
    assert len(fake.messages) == 1 and "!explain" in fake.messages[0].readable


async def test_bot_messages_edits_and_chatter_are_ignored(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.message("!help", bot_id="B0OTHER", subtype="bot_message")
    await fake.message("!help", subtype="message_changed")
    await fake.message("just chatting about docker")
    await fake.message("!help", user=BOT_USER)  # its own messages
    probe = await fake.message("!help")  # the one that counts
    await fake.wait_ack(probe)
    await fake.wait_messages(1)
    await asyncio.sleep(0.3)
    assert len(fake.messages) == 1


async def test_slash_command_where_the_app_is_not_a_member_answers_through_response_url(
    slack: RunningSlack,
) -> None:
    fake = slack.fake
    fake.add_channel("C0OTHER", "random", member=False)
    await fake.slash("/help", channel="C0OTHER", channel_name="random")
    [message] = await fake.wait_messages(1)
    assert message.kind == "response_url" and message.response_type == "in_channel"
    assert "!explain" in message.readable


async def test_slash_commands_are_acked_before_the_work_is_done(slack: RunningSlack) -> None:
    """Slack gives up after 3 s; a slow command must not delay the ack."""
    release = asyncio.Event()

    async def slow(inv: Invocation, args: str) -> None:
        await release.wait()
        await inv.responder.send(Reply.text(f"done: {args}"))

    slack.core.add_command(Command(CommandSpec("slow", "slow", "cmd.help.summary"), slow))
    fake = slack.fake
    envelope = await fake.slash("/slow", "now")
    ack = await fake.wait_ack(envelope, timeout=3.0)
    assert ack.seconds < 3.0
    assert fake.messages == []  # acknowledged while the command is still working
    release.set()
    [message] = await fake.wait_messages(1)
    assert message.readable == "done: now"


async def test_member_names_and_workspace_scope_reach_the_core(slack: RunningSlack) -> None:
    seen: list[Invocation] = []

    async def who(inv: Invocation, args: str) -> None:
        seen.append(inv)
        await inv.responder.send(Reply.text("ok"))

    slack.core.add_command(Command(CommandSpec("who", "who", "cmd.help.summary"), who))
    await slack.fake.message("!who")
    await slack.fake.wait_messages(1)
    [inv] = seen
    assert (inv.actor.id, inv.actor.name, inv.actor.is_manager) == ("U0ALICE", "alice", False)
    assert (inv.place.platform, inv.place.channel_name, inv.place.scope) == ("slack", "general", "T0FAKE")


async def test_stats_for_a_mentioned_member(slack: RunningSlack) -> None:
    slack.fake.add_user("U0BOB", "bob")
    await slack.fake.slash("/stats", "<@U0BOB|bob>")
    [message] = await slack.fake.wait_messages(1)
    assert "No quiz answers" in message.readable and "alice" not in message.readable
    assert "<@" not in message.text + repr(message.blocks)


async def test_explain_choices_are_buttons_and_a_pick_is_learned(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.message("!explain 컨테이너 공유")  # unsure: the notes' closest entries as buttons
    [offer] = await fake.wait_messages(1)
    link = next(b for b in offer.buttons if "-link" in b["text"]["text"])
    assert link["action_id"].startswith("explain:pick:")
    await fake.wait_ack(await fake.click(offer, link["action_id"]))
    shown = (await fake.wait_messages(2))[-1]
    assert "컨테이너 연결" in shown.readable and "docker-guide-ko.md" in shown.readable
    await fake.message("!explain 컨테이너 공유", user="U0BOB")  # the same question: answered directly now
    again = (await fake.wait_messages(3))[-1]
    assert "Members here picked this" in again.readable and again.buttons == []


async def test_explain_from_the_reference_is_labelled(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.message("!explain 응답 없는 컨테이너 강제로 꺼야 돼")
    [message] = await fake.wait_messages(1)
    assert "Docker reference" in message.readable and "docker kill" in message.readable
    assert "not the study notes" in message.readable
