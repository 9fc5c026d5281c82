"""Gather every question the bot can ask: the YAML banks, plus the questions generated from the notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.quiz.bank import BankError, load_bank_dir
from bot.quiz.generate import generate_questions
from bot.quiz.model import Question
from bot.quiz.notes_source import read_note_entries


@dataclass(slots=True)
class LoadedQuestions:
    questions: list[Question] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per-question overrides from bank settings
    errors: list[BankError] = field(default_factory=list)


def load_questions(notes_path: Path, bank_dir: Path, *, generated: bool) -> LoadedQuestions:
    """The banks in ``bank_dir`` and, when ``generated``, the questions built from the notes at ``notes_path``."""
    entries, sections = read_note_entries(notes_path)
    bank = load_bank_dir(bank_dir, known_sections=set(sections) if sections else None)
    loaded = LoadedQuestions(errors=list(bank.errors))
    for bank_file in bank.files:
        for q in bank_file.questions:
            loaded.questions.append(q)
            if bank_file.seconds is not None:
                loaded.seconds[q.id] = bank_file.seconds
    if generated:
        taken = {q.id for q in loaded.questions}
        loaded.questions.extend(q for q in generate_questions(entries) if q.id not in taken)
    return loaded
