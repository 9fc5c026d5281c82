"""Questions generated from the notes: kinds, corrections, and ids that survive re-indexing."""

from __future__ import annotations

from bot.config import DEFAULT_DATA_DIR
from bot.quiz.generate import generate_questions
from bot.quiz.model import QuestionType
from bot.quiz.notes_source import NoteEntry, parse_note_entries, read_note_entries

NOTES = """# Docker
## 명령어
- `ps` 리스트 출력
- `rm` 컨테이너 제거
- `rmi` 이미지 제거
- `-d` detached mode 백그라운드 모드
- `-p` 포트 포워딩
- `-name` 이름 지정
## Dockerfile
> 이미지를 만드는 과정을 담은 파일
### command
- `FROM` 베이스 이미지
- `MAINTAINER` 관리자 메일
- `COPY` 파일 복사
- `ENV` 환경변수
"""


def test_three_kinds_from_one_section() -> None:
    entries, _ = parse_note_entries(NOTES)
    questions = generate_questions(entries)
    rmi = [q for q in questions if q.canonical in ("rmi", "이미지 제거")]
    kinds = {q.id.split("-")[1]: q for q in rmi}
    assert set(kinds) == {"def", "term", "blank"}
    # term → definition: distractors are other definitions from the same section
    assert kinds["def"].type is QuestionType.MULTIPLE_CHOICE
    same_section = {e.text for e in entries if e.section_path == "명령어" and e.symbol != "rmi"}
    assert len(kinds["def"].distractors) == 3
    assert set(kinds["def"].distractors) <= same_section
    # definition → term: the right term among commands of the same section
    assert kinds["term"].canonical == "rmi"
    assert set(kinds["term"].distractors) <= {"ps", "rm"}
    # a blank in a command
    assert kinds["blank"].type is QuestionType.FILL_BLANK
    assert "docker ___" in kinds["blank"].prompt
    assert kinds["blank"].explain == "rmi"


def test_slips_are_corrected_and_deprecated_instructions_skipped() -> None:
    entries, _ = parse_note_entries(NOTES)
    questions = generate_questions(entries)
    answers = {a for q in questions for a in q.answers}
    assert "--name" in answers and "-name" not in answers
    assert "MAINTAINER" not in answers
    assert not any("MAINTAINER" in q.prompt or "MAINTAINER" in " ".join(q.distractors) for q in questions)
    name_q = next(q for q in questions if q.canonical == "--name")
    assert "-name" in name_q.explanation


def test_ids_are_stable_across_reindexing_and_order() -> None:
    entries, _ = parse_note_entries(NOTES)
    first = {q.id: q.canonical for q in generate_questions(entries)}
    again = {q.id: q.canonical for q in generate_questions(parse_note_entries(NOTES)[0])}
    reversed_order = {q.id: q.canonical for q in generate_questions(list(reversed(entries)))}
    assert first == again
    assert set(first) == set(reversed_order)
    assert all(qid.startswith("gen-") and len(qid) <= 40 for qid in first)


def test_editing_one_entry_changes_only_its_ids() -> None:
    entries, _ = parse_note_entries(NOTES)
    edited = [NoteEntry(e.section_path, e.symbol, "컨테이너를 지운다") if e.symbol == "rm" else e for e in entries]
    before = {q.id for q in generate_questions(entries) if q.explain != "rm"}
    after = {q.id for q in generate_questions(edited)}
    rm_before = {q.id for q in generate_questions(entries) if q.explain == "rm"}
    assert before <= after
    assert not rm_before & after


def test_shipped_notes_give_many_valid_questions() -> None:
    entries, _ = read_note_entries(DEFAULT_DATA_DIR / "notes")
    questions = generate_questions(entries)
    assert len(questions) >= 40
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        assert q.explanation and q.section
        if q.type is QuestionType.MULTIPLE_CHOICE:
            labels = [q.canonical, *q.distractors]
            assert len(labels) == len(set(labels)) >= 3
            assert all(len(label) <= 80 for label in labels)
        # a question never shows its own answer in the prompt
        if q.type is not QuestionType.MULTIPLE_CHOICE or q.id.startswith("gen-term"):
            assert q.canonical not in q.prompt


def test_notes_parser_and_fallback_give_the_same_entries() -> None:
    """Generated ids do not depend on which parser read the notes."""
    from bot.quiz.notes_source import entries_from_notes_parser

    text = (DEFAULT_DATA_DIR / "notes" / "docker-guide-ko.md").read_text(encoding="utf-8")
    assert entries_from_notes_parser(text, "docker-guide-ko.md") == parse_note_entries(text)
