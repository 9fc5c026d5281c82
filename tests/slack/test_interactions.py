"""Buttons, edits, ephemeral answers, files, mention-laden input and scheduled posts over Slack."""

from __future__ import annotations

from bot.context import Invocation
from bot.core.commands import Command, CommandSpec, Handler
from bot.replies import Attachment, Choice, Code, Reply, Text
from tests.fakes.slack_server import block_problems
from tests.slack.conftest import RunningSlack


def add_command(slack: RunningSlack, name: str, handler: Handler) -> None:
    slack.core.add_command(Command(CommandSpec(name, name, "cmd.help.summary"), handler))


async def test_a_button_click_reaches_the_core_which_answers_privately_and_edits(slack: RunningSlack) -> None:
    sent: dict[str, object] = {}

    async def ask(inv: Invocation, args: str) -> None:
        sent["ref"] = await inv.responder.send(Reply(
            blocks=[Text("Which one runs a container?")],
            choices=[Choice("docker run", "t:pick:run"), Choice("docker build", "t:pick:build")],
        ))
        sent["responder"] = inv.responder

    async def pick(inv: Invocation, action: str) -> None:
        picked = action.rsplit(":", 1)[1]
        await inv.responder.send(Reply(blocks=[Text(f"{inv.actor.name} picked {picked}")], ephemeral=True))
        closed = [Choice("docker run", "t:pick:run", style="success", disabled=True),
                  Choice("docker build", "t:pick:build", disabled=True)]
        await sent["responder"].edit(sent["ref"], Reply(blocks=[Text("Closed.")], choices=closed))  # type: ignore[attr-defined]

    add_command(slack, "ask", ask)
    slack.core.add_action("t", pick)
    fake = slack.fake
    await fake.slash("/ask")
    [question] = await fake.wait_messages(1)
    assert [b["action_id"] for b in question.buttons] == ["t:pick:run", "t:pick:build"]

    click = await fake.click(question, "t:pick:build")
    assert (await fake.wait_ack(click)).seconds < 3.0
    [private] = await fake.wait_messages(1, kind="postEphemeral")
    assert private.user == "U0ALICE" and private.readable == "alice picked build"
    await fake.wait_for(lambda: question.edits)
    assert question.buttons == []  # closed: no clickable buttons left
    assert "Closed." in question.readable and "✅ docker run" in question.readable


async def test_a_long_output_is_uploaded_as_a_file(slack: RunningSlack) -> None:
    full = "\n".join(f"log line {i}" for i in range(5000)).encode()

    async def dump(inv: Invocation, args: str) -> None:
        await inv.responder.send(Reply(blocks=[Text("Output (truncated):"), Code("log line 0\n…")],
                                       attachments=[Attachment("output.txt", full)]))

    add_command(slack, "dump", dump)
    fake = slack.fake
    await fake.message("!dump", thread_ts="1700000000.000001")
    [message] = await fake.wait_messages(1)
    await fake.wait_for(lambda: fake.files)
    [shared] = fake.files
    assert (shared.channel, shared.filename, shared.data) == ("C0GENERAL", "output.txt", full)
    assert shared.thread_ts == "1700000000.000001" == message.thread_ts
    assert "Output (truncated)" in message.readable


async def test_a_file_for_a_channel_the_app_is_not_in_becomes_a_clear_notice(slack: RunningSlack) -> None:
    async def dump(inv: Invocation, args: str) -> None:
        await inv.responder.send(Reply(blocks=[Text("Output:")], attachments=[Attachment("out.txt", b"x")]))

    add_command(slack, "dump", dump)
    fake = slack.fake
    fake.add_channel("C0OTHER", "random", member=False)
    await fake.slash("/dump", channel="C0OTHER", channel_name="random")
    first, notice = await fake.wait_messages(2)
    assert first.kind == "response_url" and fake.files == []
    assert notice.kind == "response_url" and notice.ephemeral
    assert "could not upload" in notice.readable and "out.txt" in notice.readable


async def test_a_long_reply_arrives_as_several_messages_within_limits(slack: RunningSlack) -> None:
    lines = "\n".join(f"{i:05d} " + "y" * 60 for i in range(900))

    async def long(inv: Invocation, args: str) -> None:
        await inv.responder.send(Reply(blocks=[Text("Start"), Code(lines)], title="Long one"))

    add_command(slack, "long", long)
    await slack.fake.message("!long")
    await slack.fake.wait_messages(2)
    await slack.fake.wait_for(lambda: "00899" in slack.fake.messages[-1].readable)
    assert len(slack.fake.messages) >= 2
    assert slack.fake.messages[0].blocks[0]["type"] == "header"
    for message in slack.fake.messages:
        assert message.text and block_problems(message.blocks) == []  # ≤ 3000 per section, ≤ 50 blocks


async def test_a_mention_laden_query_pings_nobody(slack: RunningSlack) -> None:
    fake = slack.fake
    await fake.message("!explain <!channel> <!here> <@U0ALICE> <!everyone> &lt;!here&gt;")
    await fake.slash("/explain", "<!channel> <@U0ALICE>")
    await fake.message("!nosuch<!channel>")
    messages = await fake.wait_messages(3)
    for message in messages:
        everything = message.text + repr(message.blocks)
        assert "<!" not in everything and "<@" not in everything
        assert "@channel" not in everything and "@here" not in everything


async def test_scheduled_posts_reach_slack_channels(slack: RunningSlack) -> None:
    open_channel = slack.core.channels["slack"]
    responder = await open_channel("C0GENERAL")
    ref = await responder.send(Reply(blocks=[Text("Daily quiz!")], choices=[Choice("Start", "t:start")]))
    [posted] = await slack.fake.wait_messages(1)
    assert posted.readable.startswith("Daily quiz!") and posted.buttons[0]["action_id"] == "t:start"
    await responder.edit(ref, Reply(blocks=[Text("Daily quiz (over)")]))
    await slack.fake.wait_for(lambda: posted.edits)
    assert posted.readable == "Daily quiz (over)"


async def test_workspace_admins_and_configured_members_are_managers(slack: RunningSlack) -> None:
    fake = slack.fake
    fake.add_user("U0ADMIN", "root", admin=True)
    fake.add_user("U0BOB", "bob")
    await fake.message("!reindex", user="U0BOB")
    await fake.message("!reindex", user="U0ADMIN")
    refused, done = await fake.wait_messages(2, timeout=30)
    assert "Only members who can manage" in refused.readable
    assert "Only members who can manage" not in done.readable



async def test_a_quiz_round_with_buttons(slack: RunningSlack) -> None:
    """The real quiz feature: question buttons, a private receipt, the question closed by an edit."""
    fake = slack.fake
    await fake.slash("/quiz", "1")
    question = (await fake.wait_for(lambda: [m for m in fake.messages if m.buttons], timeout=10))[0]
    first = question.buttons[0]  # a choice, or the "✍️ Answer" button of a free-answer question
    await fake.click(question, first["action_id"])
    if first["action_id"].startswith("ask:"):
        [opened] = await fake.wait_for(lambda: fake.views)
        await fake.submit(opened, "docker")
    [receipt] = await fake.wait_messages(1, kind="postEphemeral")
    assert receipt.user == "U0ALICE"
    assert first["text"]["text"] in receipt.readable or "your answer is in" in receipt.readable
    await fake.message("!quiz stop")
    await fake.wait_for(lambda: question.edits, timeout=10)
    assert question.buttons == []  # closed: the choices remain as text, nothing left to click
