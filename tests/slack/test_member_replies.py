"""What Slack members see (issue 10, items 11 and 14): a fenced example split across sections stays
code, a mentioned member without answers is named, and Bolt's start-up note about the token is gone."""

from __future__ import annotations

import logging

import pytest

from bot.adapters.slack.app import SlackAdapter
from bot.context import Invocation
from bot.core import Core
from bot.core.commands import Command, CommandSpec
from bot.replies import Reply, Text
from tests.fakes.slack_server import BOT_TOKEN, FakeSlack
from tests.slack.conftest import RunningSlack


def sections(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


async def test_a_fenced_example_split_across_sections_stays_code(slack: RunningSlack) -> None:
    lines = [f"docker run --rm -e VAR_{i}=value alpine echo *line* {i} " + "x" * 40 for i in range(100)]

    async def example(inv: Invocation, args: str) -> None:
        await inv.responder.send(Reply(blocks=[Text("Example:\n```sh\n" + "\n".join(lines) + "\n```\nDone.")]))

    slack.core.add_command(Command(CommandSpec("example", "example", "cmd.help.summary"), example))
    await slack.fake.message("!example")
    [message] = await slack.fake.wait_messages(1)
    parts = sections(message.blocks)
    assert len(parts) > 1
    assert [p.count("```") % 2 for p in parts] == [0] * len(parts)  # no section ends inside a code block
    for part in parts[1:-1]:
        assert part.startswith("```")  # the example goes on as code
    shown = "\n".join(parts)
    assert "echo *line* 99" in shown  # inside code, not turned into mrkdwn italics
    assert "echo _line_" not in shown


@pytest.mark.parametrize("how", ["message", "slash"])
async def test_stats_for_a_mentioned_member_without_answers_names_them(slack: RunningSlack, how: str) -> None:
    slack.fake.add_user("U0BOB", "bob")
    if how == "message":
        await slack.fake.message("!stats <@U0BOB>")
    else:
        await slack.fake.slash("/stats", "<@U0BOB>")
    [message] = await slack.fake.wait_messages(1)
    assert "No quiz answers from bob yet." in message.readable
    assert "U0BOB" not in message.readable


async def test_bolt_does_not_warn_about_the_token_at_start(
    slack_core: Core, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)  # set, as in every real deployment
    with caplog.at_level(logging.DEBUG):
        SlackAdapter(slack_core, fake.client())
    assert not [r for r in caplog.records if "unused" in r.getMessage()]
