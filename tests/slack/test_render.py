"""Reply → Block Kit: limits, safe code, mrkdwn, mentions; and Slack's encoded input text."""

from __future__ import annotations

import re

from bot.adapters.slack.mrkdwn import from_slack, to_mrkdwn
from bot.adapters.slack.render import render_edit, render_messages
from bot.replies import Choice, Code, Reply, Text, Tone
from tests.fakes.slack_server import block_problems


def sections(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_a_long_reply_is_split_into_messages_within_block_kit_limits() -> None:
    code = "\n".join(f"line {i} " + "x" * (i % 70) for i in range(2500))
    reply = Reply(blocks=[Text("intro " * 200), Code(code, "sh"), Text("the end")], title="Long", footer="foot",
                  choices=[Choice("Again", "t:again")])
    messages = render_messages(reply)
    assert len(messages) > 1
    for message in messages:
        assert block_problems(message.blocks) == []
        assert message.text  # a notification fallback on every message
        for text in sections(message.blocks):
            assert text.count("```") % 2 == 0  # no section leaves a code block open
    joined = "\n".join(t for m in messages for t in sections(m.blocks))
    assert "line 2499" in joined and "the end" in joined
    assert messages[0].blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Long", "emoji": True}}
    assert messages[-1].blocks[-1]["type"] == "actions"  # buttons on the last message only
    assert all(b["type"] != "actions" for m in messages[:-1] for b in m.blocks)


def test_a_reply_needing_more_than_fifty_sections_still_keeps_each_message_under_fifty_blocks() -> None:
    reply = Reply(blocks=[Text(("& < > " * 400 + "\n") * 60)])  # escaping grows this text 3x
    messages = render_messages(reply)
    for message in messages:
        assert block_problems(message.blocks) == []
        assert len(message.blocks) <= 50


def test_code_cannot_break_out_of_its_block_or_ping_anyone() -> None:
    evil = "```\n<!channel> *bold* <@U123> @here\n```\nafter"
    [message] = render_messages(Reply(blocks=[Code(evil)]))
    [text] = sections(message.blocks)
    assert text.startswith("```\n") and text.endswith("\n```")
    assert text.count("```") == 2
    assert "<!" not in text and "<@" not in text
    assert "&lt;!channel&gt;" in text and "*bold*" in text  # shown as written, not formatted


def test_markdown_becomes_slack_mrkdwn_outside_code() -> None:
    out = to_mrkdwn("# Title\n**bold** and *it* and ~~old~~ [docs](https://docs.docker.com)\n- item\n`**raw**`")
    assert out.split("\n") == [
        "*Title*",
        "*bold* and _it_ and ~old~ <https://docs.docker.com|docs>",
        "• item",
        "`**raw**`",
    ]


def test_a_code_fence_language_is_not_shown_as_code() -> None:
    [message] = render_messages(Reply(blocks=[Code("echo hi", "bash")]))
    assert sections(message.blocks) == ["```\necho hi\n```"]


def test_echoed_mentions_ping_nobody() -> None:
    reply = Reply(blocks=[Text("you asked: <!channel> <!here> <@U0ALICE> @everyone")], title="<!here> title",
                  footer="@here", choices=[Choice("<!channel>", "t:x")])
    [message] = render_messages(reply)
    everything = repr(message.blocks) + message.text
    assert "<!" not in everything and "<@" not in everything
    assert "@everyone" not in everything and "@here" not in everything


def test_error_tone_is_visible_without_a_title() -> None:
    [message] = render_messages(Reply.error("Nope."))
    assert sections(message.blocks) == ["❌ Nope."]


def test_closed_choices_show_as_text_because_slack_has_no_disabled_button() -> None:
    reply = Reply(blocks=[Text("Q?")], choices=[Choice("right", "q:1", style="success", disabled=True),
                                                Choice("wrong", "q:2", disabled=True)])
    [message] = render_messages(reply)
    assert all(b["type"] != "actions" for b in message.blocks)
    assert message.blocks[-1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "✅ right"},
                                                                  {"type": "mrkdwn", "text": "wrong"}]}


def test_buttons_carry_the_core_action_and_slack_styles() -> None:
    choices = [Choice("A" * 100, "quiz:a:1", style="success"), Choice("B", "quiz:a:2")]
    reply = Reply(blocks=[Text("Q?")], choices=choices)
    [message] = render_messages(reply)
    first, second = message.blocks[-1]["elements"]
    assert (first["action_id"], first["value"], first["style"]) == ("quiz:a:1", "quiz:a:1", "primary")
    assert len(first["text"]["text"]) == 75 and "style" not in second


def test_an_edit_is_one_message_that_keeps_the_buttons() -> None:
    reply = Reply(blocks=[Text("x" * 2900 + "\n") for _ in range(80)], title="T", tone=Tone.SUCCESS,
                  choices=[Choice("go", "t:go")])
    message = render_edit(reply)
    assert block_problems(message.blocks) == []
    assert message.blocks[-1]["type"] == "actions" and sections(message.blocks)[-1] == "…"


def test_slack_encoded_text_is_read_as_typed() -> None:
    assert from_slack("!run alpine echo &lt;b&gt; &amp;&amp; <https://x.io|x.io>") == "!run alpine echo <b> && x.io"
    assert from_slack("!explain <http://docker.com> <!here> <!channel>") == "!explain http://docker.com @here @channel"
    # member and channel references stay ids: `!stats @bob` and quiz schedules read them
    assert from_slack("!stats <@U0BOB> <#C1|general>") == "!stats <@U0BOB> <#C1|general>"
    assert re.fullmatch(r"!explain @team", from_slack("!explain <!subteam^S1|@team>"))
