"""Per-member, per-scope quiz stats: totals, accuracy by topic, daily streaks, leaderboards."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from bot.storage import Database

MIN_ANSWERS_FOR_WEAKEST = 2


@dataclass(frozen=True, slots=True)
class TopicStat:
    topic: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0


@dataclass(slots=True)
class MemberStats:
    member_id: str
    name: str
    answered: int = 0
    correct: int = 0
    points: int = 0
    current_streak: int = 0
    longest_streak: int = 0
    topics: list[TopicStat] = field(default_factory=list)

    @property
    def accuracy(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0

    @property
    def weakest(self) -> list[TopicStat]:
        """Topics with at least two answers, lowest accuracy first (at most three, only below 100%)."""
        candidates = [s for s in self.topics if s.answered >= MIN_ANSWERS_FOR_WEAKEST and s.correct < s.answered]
        return sorted(candidates, key=lambda s: (s.correct / s.answered, -s.answered, s.topic))[:3]


@dataclass(frozen=True, slots=True)
class LeaderRow:
    member_id: str
    name: str
    points: int
    correct: int
    answered: int


def streaks(days: list[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days. The current run may end today or yesterday."""
    if not days:
        return 0, 0
    ordered = sorted(set(days))
    longest = run = 1
    for prev, cur in pairwise(ordered):
        run = run + 1 if cur - prev == timedelta(days=1) else 1
        longest = max(longest, run)
    current = 0
    if ordered[-1] >= today - timedelta(days=1):
        current = 1
        for prev, cur in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=False):
            if cur - prev != timedelta(days=1):
                break
            current += 1
    return current, longest


async def member_stats(db: Database, scope: str, member_id: str, today: date) -> MemberStats | None:
    total = await db.fetchone(
        "SELECT COUNT(*), COALESCE(SUM(correct), 0), COALESCE(SUM(points), 0),"
        " (SELECT member_name FROM quiz_answers WHERE scope = ? AND member_id = ? ORDER BY id DESC LIMIT 1)"
        " FROM quiz_answers WHERE scope = ? AND member_id = ?",
        (scope, member_id, scope, member_id),
    )
    if total is None or not total[0]:
        return None
    stats = MemberStats(member_id, str(total[3]), int(total[0]), int(total[1]), int(total[2]))
    rows = await db.fetchall(
        "SELECT topic, COUNT(*), SUM(correct) FROM quiz_answers WHERE scope = ? AND member_id = ?"
        " GROUP BY topic ORDER BY COUNT(*) DESC, topic",
        (scope, member_id),
    )
    stats.topics = [TopicStat(str(r[0]), int(r[1]), int(r[2])) for r in rows]
    day_rows = await db.fetchall(
        "SELECT day FROM quiz_member_days WHERE scope = ? AND member_id = ?", (scope, member_id)
    )
    stats.current_streak, stats.longest_streak = streaks([date.fromisoformat(r[0]) for r in day_rows], today)
    return stats


async def leaderboard(db: Database, scope: str, since: float | None, limit: int = 10) -> list[LeaderRow]:
    rows = await db.fetchall(
        "SELECT member_id, MAX(member_name), SUM(points) AS pts, SUM(correct), COUNT(*) FROM quiz_answers"
        " WHERE scope = ? AND answered_at >= ? GROUP BY member_id ORDER BY pts DESC, SUM(correct) DESC,"
        " member_id LIMIT ?",
        (scope, since if since is not None else float("-inf"), limit),
    )
    return [LeaderRow(str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows]


async def find_member(db: Database, scope: str, name: str) -> str | None:
    """A member id by the display name seen with their answers (case-insensitive)."""
    row = await db.fetchone(
        "SELECT member_id FROM quiz_answers WHERE scope = ? AND member_name = ? COLLATE NOCASE"
        " ORDER BY id DESC LIMIT 1",
        (scope, name),
    )
    return None if row is None else str(row[0])
