"""Question banks: every shipped file is valid and covers the notes; bad files are named precisely."""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_DATA_DIR
from bot.quiz.bank import load_bank, load_bank_dir, parse_bank_text
from bot.quiz.model import QuestionType
from bot.quiz.notes_source import read_note_entries

QUIZ_DIR = DEFAULT_DATA_DIR / "quizzes"
NOTES_DIR = DEFAULT_DATA_DIR / "notes"


def _sections() -> list[str]:
    return read_note_entries(NOTES_DIR)[1]


def test_every_shipped_file_loads_without_errors() -> None:
    files = sorted(QUIZ_DIR.glob("*.yaml"))
    assert files, "no quiz banks shipped"
    bank = load_bank(files, known_sections=set(_sections()))
    assert [str(e) for e in bank.errors] == []
    assert {f.path.name for f in bank.files} == {p.name for p in files}


def test_shipped_bank_has_40_questions_covering_every_section_and_type() -> None:
    bank = load_bank_dir(QUIZ_DIR, known_sections=set(_sections()))
    questions = bank.questions
    assert len(questions) >= 40
    assert {q.section for q in questions} == set(_sections())
    assert {q.type for q in questions} == set(QuestionType)
    assert all(q.explanation for q in questions)


def test_shipped_bank_teaches_the_corrected_forms_not_the_slips() -> None:
    questions = load_bank_dir(QUIZ_DIR).questions
    correct_answers = {a for q in questions for a in q.answers}
    for slip in ("-name", "-rm", "-link", "MAINTAINER"):
        assert slip not in correct_answers
    assert {"--name", "--rm", "LABEL"} <= correct_answers
    link = next(q for q in questions if "--link" in q.prompt)
    assert "레거시" in link.prompt or "레거시" in link.explanation


GOOD = """
title: ok
questions:
  - id: ok-one
    type: free
    prompt: 질문?
    answer: 답
    explanation: 설명
    tags: [basics]
    section: 장점
"""


def test_a_bad_file_is_named_with_question_and_field_and_the_others_still_load(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(
        """
title: bad
questions:
  - id: mc-short
    type: multiple_choice
    prompt: 고르세요
    answer: A
    distractors: [B]
    explanation: x
    tags: [t]
    section: 장점
""",
        encoding="utf-8",
    )
    bank = load_bank_dir(tmp_path, known_sections=set(_sections()))
    assert [q.id for q in bank.questions] == ["ok-one"]
    assert [str(e) for e in bank.errors] == [
        "bad.yaml: question 'mc-short', field 'distractors': multiple choice needs at least 2"
    ]


def _errors(body: str) -> list[str]:
    loaded, errors = parse_bank_text("title: t\nquestions:\n" + body, "x.yaml", set(_sections()))
    assert loaded is None
    return [str(e) for e in errors]


def test_each_kind_of_mistake_names_its_field() -> None:
    base = "    prompt: p\n    explanation: e\n    tags: [t]\n    section: 장점\n"
    assert _errors("  - id: a1\n    type: essay\n    answer: x\n" + base) == [
        "x.yaml: question 'a1', field 'type': must be one of multiple_choice, true_false, free, fill_blank, lab"
    ]
    assert _errors("  - id: a2\n    type: true_false\n    answer: maybe\n" + base) == [
        "x.yaml: question 'a2', field 'answer': a true_false answer must be true or false"
    ]
    assert _errors("  - id: a3\n    type: fill_blank\n    answer: x\n" + base) == [
        "x.yaml: question 'a3', field 'prompt': a fill_blank prompt needs the blank ___"
    ]
    assert _errors("  - id: a4\n    type: free\n" + base) == ["x.yaml: question 'a4', field 'answer': is missing"]
    no_explanation = "  - id: a5\n    type: free\n    answer: x\n    prompt: p\n    tags: [t]\n    section: 없는곳\n"
    assert _errors(no_explanation) == [
        "x.yaml: question 'a5', field 'section': '없는곳' is not a heading of the notes",
        "x.yaml: question 'a5', field 'explanation': is missing",
    ]
    assert _errors("  - id: Bad Id\n    type: free\n") == [
        "x.yaml: question '#1', field 'id': must be 2-40 characters of a-z, 0-9 and '-'"
    ]
    assert _errors("  - id: a6\n    type: free\n    answer: x\n    colour: red\n" + base) == [
        "x.yaml: question 'a6', field 'colour': is not a known field"
    ]


def test_broken_yaml_and_duplicate_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "c.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    bank = load_bank_dir(tmp_path)
    assert [f.path.name for f in bank.files] == ["a.yaml"]
    assert [str(e) for e in bank.errors] == [
        "b.yaml: question 'ok-one', field 'id': is already used in a.yaml",
        "c.yaml: is not valid YAML (line 2)",
    ]
