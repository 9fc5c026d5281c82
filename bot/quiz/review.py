"""Spaced repetition of quiz questions per member, with the ``fsrs`` scheduler.

Every scored quiz answer reviews the member's card for that question (wrong → Again,
right with a hint → Hard, right → Good); ``!review`` shows the cards that are due.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler

from bot.quiz.clock import as_datetime
from bot.storage import Database

_SCHEDULER = Scheduler(enable_fuzzing=False)
RATINGS = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Easy}


@dataclass(frozen=True, slots=True)
class DueCard:
    question_id: str
    due: float


def rating_for(correct: bool, hints_shown: int) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Hard if hints_shown else Rating.Good


def review_card(
    conn: sqlite3.Connection, platform: str, member_id: str, question_id: str, rating: Rating, now: float
) -> float:
    """Apply one review and store the card; returns its next due time. Runs inside
    :meth:`bot.storage.Database.atomically` (with the answer it belongs to, when there is one)."""
    row = conn.execute(
        "SELECT card_json FROM quiz_review_cards WHERE platform = ? AND member_id = ? AND question_id = ?",
        (platform, member_id, question_id),
    ).fetchone()
    moment = as_datetime(now)
    # an explicit card_id: fsrs otherwise sleeps 1 ms to make a unique one (our key is the table's)
    card = Card.from_json(row[0]) if row is not None else Card(card_id=1, due=moment)
    card, _log = _SCHEDULER.review_card(card, rating, review_datetime=moment)
    due = card.due.timestamp()
    conn.execute(
        "INSERT INTO quiz_review_cards(platform, member_id, question_id, card_json, due, reviews, lapses)"
        " VALUES(?, ?, ?, ?, ?, 1, ?) ON CONFLICT(platform, member_id, question_id) DO UPDATE SET"
        " card_json = excluded.card_json, due = excluded.due, reviews = reviews + 1,"
        " lapses = lapses + excluded.lapses",
        (platform, member_id, question_id, card.to_json(), due, int(rating is Rating.Again)),
    )
    return due


async def due_cards(
    db: Database, platform: str, member_id: str, now: float, known: set[str], limit: int = 50
) -> list[DueCard]:
    rows = await db.fetchall(
        "SELECT question_id, due FROM quiz_review_cards WHERE platform = ? AND member_id = ? AND due <= ?"
        " ORDER BY due, question_id LIMIT ?",
        (platform, member_id, now, limit),
    )
    return [DueCard(str(r[0]), float(r[1])) for r in rows if r[0] in known]


async def next_due(
    db: Database, platform: str, member_id: str, after: float | None = None, known: set[str] | None = None
) -> float | None:
    """The earliest due time of the member's cards (later than ``after``, for questions in ``known``)."""
    rows = await db.fetchall(
        "SELECT question_id, due FROM quiz_review_cards WHERE platform = ? AND member_id = ? AND due > ?"
        " ORDER BY due",
        (platform, member_id, float("-inf") if after is None else after),
    )
    dues = [float(r[1]) for r in rows if known is None or r[0] in known]
    return dues[0] if dues else None


async def card_due(db: Database, platform: str, member_id: str, question_id: str) -> float | None:
    row = await db.fetchone(
        "SELECT due FROM quiz_review_cards WHERE platform = ? AND member_id = ? AND question_id = ?",
        (platform, member_id, question_id),
    )
    return None if row is None else float(row[0])
