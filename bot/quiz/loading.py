"""Gather every question the bot can ask: the YAML banks, plus the questions generated from the notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from bot.quiz.bank import BankError, load_bank_dir
from bot.quiz.generate import generate_questions
from bot.quiz.model import Question
from bot.quiz.notes_source import read_note_entries


@dataclass(slots=True)
class LoadedQuestions:
    questions: list[Question] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per-question overrides from bank settings
    errors: list[BankError] = field(default_factory=list)


def quiz_dir(settings: Settings) -> Path:
    return settings.quiz.dir if settings.quiz.dir is not None else settings.data_dir / "quizzes"


def load_questions(settings: Settings) -> LoadedQuestions:
    entries, sections = read_note_entries(settings.notes.path)
    bank = load_bank_dir(quiz_dir(settings), known_sections=set(sections) if sections else None)
    loaded = LoadedQuestions(errors=list(bank.errors))
    for bank_file in bank.files:
        for q in bank_file.questions:
            loaded.questions.append(q)
            if bank_file.seconds is not None:
                loaded.seconds[q.id] = bank_file.seconds
    if settings.quiz.generated:
        taken = {q.id for q in loaded.questions}
        loaded.questions.extend(q for q in generate_questions(entries) if q.id not in taken)
    return loaded
