"""Stats, streaks and leaderboards after real rounds on a fake clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.quiz.stats import streaks
from tests.quiz.conftest import Harness, bank_with, choice_action, last_question, texts

DAY = 86400.0


async def play(h: Harness, topic: str, answers: list[tuple[str, str, str]]) -> None:
    """One question on ``topic``; each (member id, name, answer) answers by button or by typing."""
    await h.say(f"!quiz 1 {topic}")
    question = last_question(h.channel())
    for member, name, answer in answers:
        if any(c.text_input is None for c in question.choices):
            await h.click(choice_action(question, answer), member=member, name=name)
        else:
            await h.say(answer, member=member, name=name)
    await h.clock.advance(30)


def test_streaks() -> None:
    d = date.fromisoformat
    assert streaks([], d("2026-01-10")) == (0, 0)
    days = [d("2026-01-01"), d("2026-01-02"), d("2026-01-03"), d("2026-01-06"), d("2026-01-07")]
    assert streaks(days, d("2026-01-07")) == (2, 3)
    assert streaks(days, d("2026-01-08")) == (2, 3)  # yesterday still counts
    assert streaks(days, d("2026-01-09")) == (0, 3)


async def test_stats_streaks_and_leaderboards(tmp_path: Path) -> None:
    h = Harness(tmp_path, bank=bank_with("t-mc", "t-free"))
    await h.start()
    try:
        await play(h, "cli", [("u1", "Alice", "docker rmi"), ("u2", "Bob", "docker rm")])
        await h.clock.advance(DAY)
        await play(h, "container", [("u1", "Alice", "이미지")])
        await play(h, "cli", [("u1", "Alice", "docker rmi")])
        await h.clock.advance(2 * DAY)
        await play(h, "container", [("u1", "Alice", "볼륨")])
        await play(h, "cli", [("u1", "Alice", "docker rmi")])

        stats = texts(await h.say("!stats", member="u1", name="Alice"))[0]
        assert stats.startswith("Quiz stats · Alice")
        assert "Answered **5**, correct **3** (60%), points **450**" in stats
        assert "Streak: **1** day(s) now, longest **2**" in stats
        assert "`cli` 3/3 (100%)" in stats and "`container` 0/2 (0%)" in stats
        assert "Weakest: `container`" in stats

        bob = texts(await h.say("!stats <@u2>", member="u1", name="Alice"))[0]
        assert "Quiz stats · Bob" in bob and "Answered **1**, correct **0** (0%)" in bob
        assert "Quiz stats · Bob" in texts(await h.say("!stats bob"))[0]
        assert texts(await h.say("!stats Nobody"))[0] == "❌ I don't know a member called `Nobody` here."
        unknown = texts(await h.say("!stats <@u7>"))[0]
        assert unknown == "No quiz answers from u7 yet."  # no platform to name u7: the id, not a raw mention

        board = texts(await h.say("!leaderboard all"))[0]
        assert board.startswith("Leaderboard · all time")
        assert board.index("Alice — 450 points, 3 correct") < board.index("Bob — 0 points, 0 correct")

        await h.clock.advance(8 * DAY)
        await play(h, "cli", [("u2", "Bob", "docker rmi")])
        week = texts(await h.say("!leaderboard"))[0]
        assert week.startswith("Leaderboard · last 7 days")
        assert "Bob — 150 points" in week and "Alice" not in week
        assert "Use `week` or `all`." in texts(await h.say("!leaderboard month"))[0]
        # stats are per server: another scope knows nothing
        other = texts(await h.say("!stats", member="u1", name="Alice", scope="other-guild", channel="c9"))[0]
        assert other == "No quiz answers from Alice yet."
    finally:
        await h.stop()
