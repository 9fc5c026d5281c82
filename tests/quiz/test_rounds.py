"""Playing a round in a channel: buttons, typed answers, double and late answers, hints, scoring, stop, restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.replies import Reply
from tests.invocations import CollectingResponder
from tests.quiz.conftest import Harness, bank_with, choice_action, last_question, texts


async def _harness(tmp_path: Path, *ids: str, bank: str | None = None, **settings: object) -> Harness:
    h = Harness(tmp_path, bank=bank if bank is not None else bank_with(*ids), **settings)
    await h.start()
    return h


async def test_button_round_scores_double_and_late_clicks(tmp_path: Path) -> None:
    h = await _harness(tmp_path, "t-mc", "t-tf")
    h.service.rng.seed(1)
    try:
        started = await h.say("!quiz 2 cli")
        assert started[0].plain_text().startswith("Quiz: 1 question on cli")
        question = last_question(h.channel())
        assert question.title == "Question 1/1 · cli"
        assert all(len(c.action) <= 100 and c.action.startswith("quiz:a:") for c in question.choices)
        right, wrong = choice_action(question, "docker rmi"), choice_action(question, "docker rm")

        await h.clock.advance(4)
        assert texts(await h.click(right, member="u1", name="Alice")) == ["Your answer **docker rmi** is locked in."]
        assert texts(await h.click(right, member="u1", name="Alice")) == ["You already answered this question."]
        assert (await h.click(wrong, member="u1", name="Alice"))[0].ephemeral
        await h.clock.advance(10)
        await h.click(wrong, member="u2", name="Bob")

        await h.clock.advance(10)  # the question closes at 20 s
        edited = next(r for r in h.channel().sent if r.title == "Question 1/1 · cli")
        assert all(c.disabled for c in edited.choices)
        assert [c.label for c in edited.choices if c.style == "success"] == ["docker rmi"]
        reveal = next(r for r in h.channel().sent if r.title and r.title.startswith("Answer:"))
        text = reveal.plain_text()
        assert reveal.title == "Answer: docker rmi"
        assert "✅ Alice +140" in text  # 100 + speed bonus for answering after 4 of 20 s
        assert "Bob" not in text and "1 wrong answer(s)." in text
        assert "`!explain -v rmi`" in text
        summary = h.channel().sent[-1].plain_text()
        assert summary.startswith("Quiz over") and "1. Alice — 140 points (1/1)" in summary
        assert "2. Bob — 0 points (0/1)" in summary

        late = await h.click(right, member="u3", name="Carol")
        assert texts(late) == ["This quiz has ended."] and late[0].ephemeral
    finally:
        await h.stop()


async def test_click_on_a_closed_question_while_the_round_goes_on(tmp_path: Path) -> None:
    h = await _harness(tmp_path, "t-mc", "t-tf")
    try:
        await h.say("!quiz 2")
        first = last_question(h.channel())
        await h.clock.advance(21)  # first question closed, pause before the second
        reply = await h.click(first.choices[0].action, member="u9", name="Late")
        assert texts(reply) == ["This question is already closed."]
        assert reply[0].ephemeral
    finally:
        await h.stop()


async def test_typed_answers_in_the_channel_with_a_near_miss(tmp_path: Path) -> None:
    bank = """
title: typed
questions:
  - id: bg-mode
    type: free
    prompt: "-d 옵션으로 실행하는 모드는?"
    answer: 백그라운드 모드
    aliases: [detached mode]
    explanation: detached.
    tags: [cli]
    section: 명령어
    explain: "-d"
"""
    h = await _harness(tmp_path, bank=bank)
    try:
        await h.say("!quiz 1")
        question = last_question(h.channel())
        assert "Type your answer in the channel." in question.plain_text()
        # Free answers are typed: the only choice is the answer box (a modal on Discord, "✍️" on the console).
        assert [c.text_input for c in question.choices] == ["Your answer"]
        await h.clock.advance(2)
        assert texts(await h.say("백그라운드 모도", member="u1", name="Alice")) == ["Alice, your answer is in."]
        await h.clock.advance(2)
        await h.say("Detached mode.", member="u2", name="Bob")
        await h.say("포그라운드 모드", member="u3", name="Carol")
        again = await h.say("백그라운드 모드", member="u3", name="Carol")
        assert texts(again) == ["You already answered this question."]
        assert await h.service.on_message(h.inv("u4", "Dan"), "!!!") is False  # chatter is not an answer
        await h.clock.advance(20)
        reveal = next(r for r in h.channel().sent if r.title == "Answer: 백그라운드 모드").plain_text()
        assert "✅ Alice +145 (accepted `백그라운드 모도` as `백그라운드 모드`)" in reveal
        assert "✅ Bob +140" in reveal and "accepted `Detached mode`" not in reveal
        assert "1 wrong answer(s)." in reveal
    finally:
        await h.stop()


async def test_typing_a_choice_text_or_number_answers_a_choice_question(tmp_path: Path) -> None:
    h = await _harness(tmp_path, "t-mc")
    try:
        await h.say("!quiz")
        question = last_question(h.channel())
        number = [c.label for c in question.choices].index("docker rm") + 1
        assert texts(await h.say("`docker rmi`", member="u1", name="Alice")) == [
            "Your answer **docker rmi** is locked in."
        ]
        assert texts(await h.say(str(number), member="u2", name="Bob")) == ["Your answer **docker rm** is locked in."]
        assert await h.say("what is this?", member="u3", name="Carol") == []  # not a choice: ignored
        await h.clock.advance(20)
        reveal = next(r for r in h.channel().sent if r.title == "Answer: docker rmi").plain_text()
        assert "Alice +150" in reveal and "1 wrong answer(s)." in reveal
    finally:
        await h.stop()


async def test_hints_cost_points_and_run_out(tmp_path: Path) -> None:
    h = await _harness(tmp_path, "t-free")
    try:
        await h.say("!quiz")
        hint = await h.say("!quiz hint", member="u1", name="Alice")
        assert texts(hint) == ["💡 Hint 1/2: 영어로 container (a right answer now earns at most 125 points)"]
        await h.say("!quiz hint")
        assert "No more hints" in texts(await h.say("!quiz hint"))[0]
        await h.say("container", member="u2", name="Bob")  # at 0 s, two hints shown: 100 - 50 + 50
        await h.clock.advance(20)
        assert "✅ Bob +100" in h.channel().sent[-2].plain_text()
    finally:
        await h.stop()


async def test_one_round_per_channel_and_stop(tmp_path: Path) -> None:
    h = await _harness(tmp_path, "t-mc", "t-tf", "t-free")
    try:
        await h.say("!quiz 3")
        busy = await h.say("!quiz", member="u2", name="Bob")
        assert texts(busy) == ["❌ A quiz is already running in this channel. `!quiz stop` ends it."]
        other = await h.say("!quiz 1", channel="c2")
        assert other[0].plain_text().startswith("Quiz: 1 question,")
        await h.say("!quiz stop")
        sent = h.channel().sent
        assert sent[-1].title == "Quiz stopped"
        assert sum(1 for r in sent if r.title and r.title.startswith("Question")) == 1
        assert texts(await h.say("!quiz stop")) == ["❌ No quiz is running in this channel."]
        await h.clock.advance(100)
        assert sum(1 for r in h.channel().sent if r.title and r.title.startswith("Question")) == 1
    finally:
        await h.stop()


async def test_bad_counts_topics_and_topic_list(tmp_path: Path) -> None:
    h = await _harness(tmp_path, "t-mc", "t-tf")
    try:
        assert "from 1 to 20" in texts(await h.say("!quiz 0"))[0]
        assert "from 1 to 20" in texts(await h.say("!quiz 99"))[0]
        unknown = texts(await h.say("!quiz 2 kubernetes"))[0]
        assert "No questions on `kubernetes`" in unknown and "`cli`" in unknown
        topics = texts(await h.say("!quiz topics"))[0]
        assert "`cli` — 1 question\n" in topics and "`container` — 1 question" in topics
    finally:
        await h.stop()


class CheckingResponder(CollectingResponder):
    """Asserts, at the moment an answer is acknowledged, that the answer is already in the database."""

    def __init__(self, harness: Harness) -> None:
        super().__init__()
        self.harness = harness
        self.stored_at_ack: list[int] = []

    async def send(self, reply: Reply) -> Any:
        assert self.harness.core is not None
        row = await self.harness.core.db.fetchone("SELECT COUNT(*) FROM quiz_answers")
        self.stored_at_ack.append(int(row[0]) if row else 0)
        return await super().send(reply)


async def test_answer_is_stored_before_ack_and_survives_a_crash(tmp_path: Path) -> None:
    h = await _harness(tmp_path, "t-mc", "t-tf")
    await h.say("!quiz 2")
    question = last_question(h.channel())
    checking = CheckingResponder(h)
    assert h.core is not None
    await h.core.handle_action(h.inv("u1", "Alice", responder=checking), question.choices[0].action)
    assert checking.stored_at_ack == [1]
    assert texts(checking.sent)[0].startswith("Your answer **")

    await h.crash()  # killed mid-question
    core = await h.start()
    reply = await h.click(question.choices[0].action, member="u2", name="Bob")
    assert texts(reply) == ["This quiz has ended."]
    row = await core.db.fetchone("SELECT status FROM quiz_rounds")
    assert row is not None and row[0] == "abandoned"
    assert "Answered **1**" in texts(await h.say("!stats"))[0]
    started = await h.say("!quiz 1")  # the channel is free again
    assert started[0].plain_text().startswith("Quiz: 1 question,")
    await h.stop()


async def test_korean_ui(tmp_path: Path) -> None:
    h = await _harness(tmp_path, "t-tf")
    try:
        started = await h.say("!퀴즈 1", lang="ko")
        assert started[0].plain_text().startswith("퀴즈: 1문제")
        question = next(r for r in h.channel().sent if r.choices)
        assert [c.label for c in question.choices] == ["참", "거짓"]
        assert texts(await h.say("참", member="u1", name="민수", lang="ko")) == ["**참** (으)로 답을 제출했습니다."]
    finally:
        await h.stop()
