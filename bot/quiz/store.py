"""SQL for rounds, question instances, answers and the no-repeat memory. Parameters only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiosqlite

from bot.context import Place
from bot.quiz.review import rating_for, review_card
from bot.storage import Database


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    instance_id: int
    scope: str
    platform: str
    member_id: str
    member_name: str
    question_id: str
    topic: str
    given: str
    correct: bool
    near_miss: bool
    points: int
    answered_at: float
    day: str
    hints_shown: int


class QuizStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # One connection serves every task: two tasks must not open a transaction on it at the same time.
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock, self.db.transaction() as conn:
            yield conn

    async def recover(self, now: float) -> int:
        """Close what a previous process left open; returns the number of rounds ended."""
        async with self.transaction() as conn:
            cur = await conn.execute(
                "UPDATE quiz_rounds SET status = 'abandoned', ended_at = ? WHERE status = 'running'", (now,)
            )
            ended = cur.rowcount
            # a lab exercise's instance stays open across restarts (its task is kept, see bot.quiz.lab_practice)
            await conn.execute(
                "UPDATE quiz_instances SET closed_at = ? WHERE closed_at IS NULL"
                " AND round_id NOT IN (SELECT id FROM quiz_rounds WHERE status = 'lab')",
                (now,),
            )
        return max(0, ended)

    async def create_round(
        self, place: Place, scope: str, started_by: str, total: int, now: float, schedule_id: int | None,
        status: str = "running",
    ) -> int:
        """A round; ``status`` ``lab`` for a member's lab exercise (one question, kept across restarts)."""
        async with self._lock, self.db.conn.execute(
            "INSERT INTO quiz_rounds(platform, channel_id, scope, started_by, schedule_id, total, started_at, status)"
            " VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
            (place.platform, place.channel_id, scope, started_by, schedule_id, total, now, status),
        ) as cur:
            return int(cur.lastrowid or 0)

    async def _write(self, sql: str, params: tuple[object, ...]) -> None:
        async with self._lock:
            await self.db.execute(sql, params)

    async def end_round(self, round_id: int, status: str, now: float) -> None:
        await self._write(
            "UPDATE quiz_rounds SET status = ?, ended_at = ? WHERE id = ?", (status, now, round_id)
        )

    async def open_instance(
        self, round_id: int, position: int, place: Place, question_id: str, topic: str,
        choices: list[str], now: float, closes_at: float,
    ) -> int:
        async with self.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO quiz_instances(round_id, position, question_id, topic, choices_json, opened_at,"
                " closes_at) VALUES(?, ?, ?, ?, ?, ?, ?)",
                (round_id, position, question_id, topic, json.dumps(choices, ensure_ascii=False), now, closes_at),
            )
            await conn.execute(
                "INSERT INTO quiz_channel_asked(platform, channel_id, question_id, asked_at) VALUES(?, ?, ?, ?)"
                " ON CONFLICT(platform, channel_id, question_id) DO UPDATE SET asked_at = excluded.asked_at",
                (place.platform, place.channel_id, question_id, now),
            )
            return int(cur.lastrowid or 0)

    async def close_instance(self, instance_id: int, now: float) -> None:
        await self._write(
            "UPDATE quiz_instances SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (now, instance_id)
        )

    async def set_hints(self, instance_id: int, shown: int) -> None:
        await self._write("UPDATE quiz_instances SET hints_shown = ? WHERE id = ?", (shown, instance_id))

    async def record_answer(self, a: AnswerRecord) -> bool:
        """Store one answer with its stats day and review card, all or nothing. False if already answered."""
        async with self.transaction() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO quiz_answers(instance_id, scope, member_id, member_name, question_id, topic,"
                " given, correct, near_miss, points, answered_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (a.instance_id, a.scope, a.member_id, a.member_name, a.question_id, a.topic, a.given,
                 int(a.correct), int(a.near_miss), a.points, a.answered_at),
            )
            if cur.rowcount != 1:
                return False
            await conn.execute(
                "INSERT OR IGNORE INTO quiz_member_days(scope, member_id, day) VALUES(?, ?, ?)",
                (a.scope, a.member_id, a.day),
            )
            await review_card(
                self.db, a.platform, a.member_id, a.question_id, rating_for(a.correct, a.hints_shown), a.answered_at
            )
        return True

    async def asked_in_channel(self, place: Place) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT question_id FROM quiz_channel_asked WHERE platform = ? AND channel_id = ?",
            (place.platform, place.channel_id),
        )
        return {str(r[0]) for r in rows}

    async def forget_asked(self, place: Place, question_ids: list[str]) -> None:
        """The pool is used up: let these questions be asked again in this channel."""
        async with self._lock:
            await self.db.conn.executemany(
                "DELETE FROM quiz_channel_asked WHERE platform = ? AND channel_id = ? AND question_id = ?",
                [(place.platform, place.channel_id, qid) for qid in question_ids],
            )
