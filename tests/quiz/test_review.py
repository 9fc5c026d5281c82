"""``!review``: spaced repetition fed by quiz answers, private, one card at a time."""

from __future__ import annotations

from pathlib import Path

from tests.quiz.conftest import Harness, bank_with, texts
from tests.quiz.test_stats import play


async def test_review_after_quiz_answers(tmp_path: Path) -> None:
    h = Harness(tmp_path, bank=bank_with("t-mc", "t-free"))
    await h.start()
    try:
        nothing = await h.click("quiz:r:t-mc:0", member="u1", name="Alice")
        assert texts(nothing) == ["❌ That card is not due any more."]
        first = await h.say("!review", member="u1", name="Alice")
        assert texts(first) == ["Nothing to review yet: answer some quiz questions first (!quiz)."]
        assert first[0].ephemeral

        await play(h, "cli", [("u1", "Alice", "docker rm")])  # wrong: Again
        await play(h, "container", [("u1", "Alice", "컨테이너")])  # right: Good
        # a wrong answer comes back after a minute, a right one after ten
        soon = await h.say("!review", member="u1", name="Alice")
        assert soon[0].title == "Review · 1 due" and "이미지를 삭제하는 명령어는?" in soon[0].plain_text()

        await h.clock.advance(15 * 60)
        card = (await h.say("!review", member="u1", name="Alice"))[0]
        assert card.ephemeral and card.title == "Review · 2 due"
        assert "이미지를 삭제하는 명령어는?" in card.plain_text()
        right = next(c.action for c in card.choices if c.label == "docker rmi")
        assert right.startswith("quiz:r:t-mc:")

        answered = await h.click(right, member="u1", name="Alice")
        assert "✅ Right: docker rmi" in texts(answered)[0]
        assert "`!explain -v rmi`" in texts(answered)[0]
        assert "Next review of this one: in " in texts(answered)[0]
        assert all(r.ephemeral for r in answered)
        nxt = answered[1]
        assert nxt.title == "Review · 1 due" and [c.label for c in nxt.choices] == ["Show answer"]

        again = await h.click(right, member="u1", name="Alice")
        assert texts(again) == ["❌ That card is not due any more."]
        other = await h.say("!review", member="u2", name="Bob")
        assert texts(other)[0].startswith("Nothing to review yet")

        shown = await h.click("quiz:rs:t-free", member="u1", name="Alice")
        assert "Answer: 컨테이너" in texts(shown)[0]
        assert [c.label for c in shown[0].choices] == ["Again", "Hard", "Good", "Easy"]
        graded = await h.click(shown[0].choices[3].action, member="u1", name="Alice")
        assert "Next review of this one: in " in texts(graded)[0]
        assert texts(graded)[1] == "That was the last due card. 🎉"
        later = await h.say("!review", member="u1", name="Alice")
        assert "Your next review is in" in texts(later)[0]
    finally:
        await h.stop()
