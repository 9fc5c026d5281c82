"""Versioned schema migrations, applied in order; ``PRAGMA user_version`` records the last one.

Never edit a migration that has shipped: add a new one. Each feature appends its own
step here; the number is its position (1-based).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.explain.schema import EXPLAIN_SQL
from bot.notes.schema import NOTES_SQL
from bot.quiz.schema import QUIZ_LAB_SQL, QUIZ_SQL
from bot.reference.schema import REFERENCE_SQL


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sql: str


MIGRATIONS: list[Migration] = [
    Migration(
        "meta",
        """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    Migration("notes", NOTES_SQL),
    Migration("quiz", QUIZ_SQL),
    Migration("reference", REFERENCE_SQL),
    Migration("explain", EXPLAIN_SQL),
    Migration("quiz_lab", QUIZ_LAB_SQL),
]
