"""Choices that ask for text on Slack: an ``ask:`` button opens a modal, its submission reaches the core.

The real Bolt app against the fake Slack, with the real quiz feature on a bank of one free-answer
question ("이미지를 실행한 상태를 무엇이라 하나요?" → 컨테이너).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.adapters.slack.render import render_messages
from bot.config import Settings
from bot.context import Invocation
from bot.core import Core
from bot.core.commands import Command, CommandSpec
from bot.replies import Choice, Reply, Text
from tests.fakes.slack_server import APP_TOKEN, BOT_TOKEN, FakeSlack, OpenedView, Posted
from tests.quiz.conftest import bank_with
from tests.slack.conftest import RunningSlack


@pytest.fixture
async def slack_core(make_settings: Callable[..., Settings], tmp_path: Path) -> AsyncIterator[Core]:
    """Overrides conftest's core: the quiz asks only the free-answer question of the test bank."""
    quiz_dir = tmp_path / "quizzes"
    quiz_dir.mkdir()
    (quiz_dir / "test.yaml").write_text(bank_with("t-free"), encoding="utf-8")
    core = await Core.start(make_settings(
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, quiz_dir=quiz_dir, quiz_generated=False,
        quiz_question_seconds=60,
    ))
    try:
        yield core
    finally:
        await core.close()


async def ask_question(fake: FakeSlack) -> Posted:
    await fake.slash("/quiz", "1")
    [question] = await fake.wait_for(lambda: [m for m in fake.messages if m.buttons], timeout=10)
    return question


def answer_button(question: Posted) -> dict:
    [button] = [b for b in question.buttons if b["text"]["text"] == "✍️ Answer"]
    return button


async def open_answer_box(fake: FakeSlack, question: Posted, action_id: str | None = None) -> OpenedView:
    click = await fake.click(question, action_id or answer_button(question)["action_id"])
    assert (await fake.wait_ack(click)).seconds < 3.0
    [opened] = await fake.wait_for(lambda: fake.views)
    return opened


async def test_a_free_answer_typed_into_the_modal_is_scored(slack: RunningSlack) -> None:
    fake = slack.fake
    question = await ask_question(fake)
    assert "이미지를 실행한 상태를 무엇이라 하나요?" in question.readable
    button = answer_button(question)
    assert button["action_id"] == "ask:" + button["value"] and button["value"].startswith("quiz:type:")

    opened = await open_answer_box(fake, question)
    assert opened.user == "U0ALICE" and opened.label == "Your answer"
    assert json.loads(opened.view["private_metadata"])["c"] == "C0GENERAL"

    submitted = await fake.submit(opened, "컨테이너")
    await fake.wait_ack(submitted)
    assert opened.closed and opened.errors is None
    [receipt] = await fake.wait_messages(1, kind="postEphemeral")
    assert receipt.user == "U0ALICE" and receipt.channel == "C0GENERAL"
    assert receipt.readable == "alice, your answer is in."

    await fake.message("!quiz stop")
    [reveal] = await fake.wait_for(lambda: [m for m in fake.messages if "Answer: 컨테이너" in m.readable], timeout=10)
    assert "✅ alice" in reveal.readable
    assert question.buttons == []  # the closed question offers nothing to click


async def test_an_empty_submission_keeps_the_modal_open_with_a_field_error(slack: RunningSlack) -> None:
    fake = slack.fake
    question = await ask_question(fake)
    opened = await open_answer_box(fake, question)

    ack = await fake.wait_ack(await fake.submit(opened, "   \n "))
    assert ack.payload == {"response_action": "errors", "errors": {"answer": "Write an answer first."}}
    assert not opened.closed

    await fake.wait_ack(await fake.submit(opened, "docker"))  # a second try still counts
    [receipt] = await fake.wait_messages(1, kind="postEphemeral")
    assert receipt.readable == "alice, your answer is in."
    await fake.message("!quiz stop")
    [reveal] = await fake.wait_for(lambda: [m for m in fake.messages if "Answer: 컨테이너" in m.readable], timeout=10)
    assert "✅ alice" not in reveal.readable and "1 wrong answer(s)." in reveal.readable


async def test_the_answer_button_of_an_ended_quiz_opens_no_modal(slack: RunningSlack) -> None:
    fake = slack.fake
    question = await ask_question(fake)
    action_id = answer_button(question)["action_id"]
    await fake.message("!quiz stop")
    await fake.wait_for(lambda: question.edits and [m for m in fake.messages if "Quiz stopped" in m.readable])

    click = await fake.click(question, action_id, version=0)  # a member still seeing the open question
    await fake.wait_ack(click)
    [notice] = await fake.wait_messages(1, kind="postEphemeral")
    assert notice.user == "U0ALICE" and notice.readable == "This quiz has ended."
    assert fake.views == []


async def test_an_expired_trigger_gets_a_clear_message_instead_of_a_modal(slack: RunningSlack) -> None:
    fake = slack.fake
    question = await ask_question(fake)
    fake.trigger_seconds = 0.0  # Slack refuses a trigger_id after 3 s; here, at once
    await fake.click(question, answer_button(question)["action_id"])
    [notice] = await fake.wait_messages(1, kind="postEphemeral")
    assert "did not open in time" in notice.readable and fake.views == []
    await fake.message("!quiz stop")


async def test_submitted_text_reaches_the_core_as_plain_text_in_the_clicks_thread(slack: RunningSlack) -> None:
    """Markup in the modal stays literal text, and the answer goes where the button was (its thread)."""
    fake = slack.fake
    got: list[tuple[str, str, str]] = []

    async def say(inv: Invocation, args: str) -> None:
        await inv.responder.send(Reply(blocks=[Text("Say something")],
                                       choices=[Choice("Say", "t:say", text_input="Words")]))

    async def heard(inv: Invocation, action: str, text: str | None = None) -> None:
        assert text is not None
        got.append((inv.place.channel_id, inv.place.scope or "", text))
        await inv.responder.send(Reply(blocks=[Text("got it")], ephemeral=True))

    slack.core.add_command(Command(CommandSpec("say", "say", "cmd.help.summary"), say))
    slack.core.add_action("t", heard)
    await fake.message("!say", thread_ts="1700000000.000001")
    [message] = await fake.wait_messages(1)
    opened = await open_answer_box(fake, message, "ask:t:say")
    assert opened.label == "Words"
    await fake.wait_ack(await fake.submit(opened, "<!channel> &lt; *bold*"))
    [receipt] = await fake.wait_messages(1, kind="postEphemeral")
    assert got == [("C0GENERAL", "T0FAKE", "<!channel> &lt; *bold*")]
    assert receipt.thread_ts == "1700000000.000001" and receipt.readable == "got it"


def test_only_open_text_choices_get_an_ask_button_within_slacks_limits() -> None:
    long_action = "t:" + "x" * 260
    reply = Reply(blocks=[Text("q")], choices=[
        Choice("Pick", "t:pick"), Choice("Type", "t:type", text_input="Your answer"),
        Choice("Closed", "t:closed", text_input="x", disabled=True), Choice("Long", long_action, text_input="x"),
    ])
    [message] = render_messages(reply)
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("t:pick", "t:pick"), ("ask:t:type", "t:type"), (long_action, long_action[:2000]),
    ]
