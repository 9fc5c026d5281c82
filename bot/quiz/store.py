"""SQL for rounds, question instances, answers and the no-repeat memory. Parameters only."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TypeVar

import aiosqlite

from bot.context import Place
from bot.quiz.review import rating_for, review_card
from bot.storage import Database

T = TypeVar("T")


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
    """The busy writes (a round, a question, an answer) are one trip to the database thread each
    (:meth:`Database.atomically`); the rare ones of several statements use :meth:`Database.transaction`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def transaction(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        return self.db.transaction()

    async def atomically(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` as one write transaction in one trip to the connection's thread (see Database.atomically)."""
        return await self.db.atomically(work)

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
        row = (place.platform, place.channel_id, scope, started_by, schedule_id, total, now, status)
        return await self.atomically(lambda conn: int(conn.execute(
            "INSERT INTO quiz_rounds(platform, channel_id, scope, started_by, schedule_id, total, started_at, status)"
            " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", row,
        ).lastrowid or 0))

    async def end_round(self, round_id: int, status: str, now: float) -> None:
        await self.db.execute(
            "UPDATE quiz_rounds SET status = ?, ended_at = ? WHERE id = ?", (status, now, round_id)
        )

    async def open_instance(
        self, round_id: int, position: int, place: Place, question_id: str, topic: str,
        choices: list[str], now: float, closes_at: float,
    ) -> int:
        instance = (round_id, position, question_id, topic, json.dumps(choices, ensure_ascii=False), now, closes_at)

        def write(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO quiz_instances(round_id, position, question_id, topic, choices_json, opened_at,"
                " closes_at) VALUES(?, ?, ?, ?, ?, ?, ?)",
                instance,
            )
            conn.execute(
                "INSERT INTO quiz_channel_asked(platform, channel_id, question_id, asked_at) VALUES(?, ?, ?, ?)"
                " ON CONFLICT(platform, channel_id, question_id) DO UPDATE SET asked_at = excluded.asked_at",
                (place.platform, place.channel_id, question_id, now),
            )
            return int(cur.lastrowid or 0)

        return await self.atomically(write)

    async def close_instance(self, instance_id: int, now: float) -> None:
        await self.db.execute(
            "UPDATE quiz_instances SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (now, instance_id)
        )

    async def set_hints(self, instance_id: int, shown: int) -> None:
        await self.db.execute("UPDATE quiz_instances SET hints_shown = ? WHERE id = ?", (shown, instance_id))

    async def record_answer(self, a: AnswerRecord) -> bool:
        """Store one answer with its stats day and review card, all or nothing. False if already answered."""
        return await self.atomically(lambda conn: _record_answer(conn, a))

    async def asked_in_channel(self, place: Place) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT question_id FROM quiz_channel_asked WHERE platform = ? AND channel_id = ?",
            (place.platform, place.channel_id),
        )
        return {str(r[0]) for r in rows}

    async def forget_asked(self, place: Place, question_ids: list[str]) -> None:
        """The pool is used up: let these questions be asked again in this channel."""
        rows = [(place.platform, place.channel_id, qid) for qid in question_ids]
        await self.atomically(lambda conn: conn.executemany(
            "DELETE FROM quiz_channel_asked WHERE platform = ? AND channel_id = ? AND question_id = ?", rows
        ))


def _record_answer(conn: sqlite3.Connection, a: AnswerRecord) -> bool:
    cur = conn.execute(
        "INSERT OR IGNORE INTO quiz_answers(instance_id, scope, member_id, member_name, question_id, topic,"
        " given, correct, near_miss, points, answered_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (a.instance_id, a.scope, a.member_id, a.member_name, a.question_id, a.topic, a.given,
         int(a.correct), int(a.near_miss), a.points, a.answered_at),
    )
    if cur.rowcount != 1:
        return False
    conn.execute(
        "INSERT OR IGNORE INTO quiz_member_days(scope, member_id, day) VALUES(?, ?, ?)", (a.scope, a.member_id, a.day)
    )
    review_card(conn, a.platform, a.member_id, a.question_id, rating_for(a.correct, a.hints_shown), a.answered_at)
    return True
