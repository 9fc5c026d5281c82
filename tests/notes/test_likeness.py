"""Likeness to question forms (letter runs) and the calibrated answer decision it feeds."""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_DATA_DIR
from bot.notes.index import NotesIndex
from bot.notes.likeness import Likeness
from bot.storage import Database

FORMS = [
    (1, "컨테이너 지우는 법"), (1, "컨테이너 삭제하려면 어떻게 해"), (1, "how do I delete a container"),
    (2, "이미지 지우는 법"), (2, "이미지 삭제 명령어"), (2, "how do I delete an image"),
    (3, "포트 연결하는 옵션"), (3, "포트포워딩 어떻게 해"), (3, "publish a port"),
]


def _best(likeness: Likeness, question: str) -> int:
    scores = likeness.of(question)
    return max(scores, key=scores.__getitem__)


def test_typos_and_spacing_slips_still_look_like_the_right_forms() -> None:
    likeness = Likeness(FORMS)
    assert _best(likeness, "컨테니어 지우는법") == 1
    assert _best(likeness, "이미지삭제 어케해") == 2
    assert _best(likeness, "포트포워딩하는옵션") == 3
    assert _best(likeness, "how to delete an imgae") == 2


def test_an_entry_needs_several_alike_forms_not_one_lucky_one() -> None:
    likeness = Likeness([(1, "볼륨 마운트"), (1, "볼륨 연결"), (1, "볼륨 붙이기"), (2, "볼륨 마운트"),
                         (2, "네트워크 만들기"), (2, "로그 보기")])
    scores = likeness.of("볼륨 마운트")
    assert scores[1] > scores[2]


def test_a_question_sharing_nothing_is_like_nothing() -> None:
    assert Likeness(FORMS).of("zzz qqq") == {}
    assert not Likeness(())


NOTES = """# 도구

## 명령어
- `prune` 쓰지 않는 이미지와 컨테이너를 한 번에 정리
- `stats` 컨테이너별 CPU와 메모리 사용량
"""

NOTES_FORMS = """forms:
  "명령어#prune":
    - 안 쓰는 거 싹 치우려면
    - 디스크 꽉 찼는데 쓰레기 한번에 날리는 법
    - 찌꺼기들 한꺼번에 청소하는 명령
  "명령어#stats":
    - 컨테이너가 cpu 얼마나 먹는지 보려면
    - 메모리 누가 많이 쓰는지 확인
    - 자원 사용량 실시간으로 보는 법
"""


async def _index(tmp_path: Path, *, forms: bool) -> tuple[Database, NotesIndex]:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "tools.md").write_text(NOTES, encoding="utf-8")
    if forms:
        (notes / "tools.questions.yaml").write_text(NOTES_FORMS, encoding="utf-8")
    db = await Database.open(tmp_path / "s.sqlite3")
    return db, await NotesIndex.open(db, notes, DEFAULT_DATA_DIR)


async def test_forms_answer_a_paraphrase_that_shares_no_word_with_the_entry(tmp_path: Path) -> None:
    db, index = await _index(tmp_path, forms=True)
    try:
        result = await index.search("안쓰는 찌꺼기 싹 청소하려면")
        assert result.found and result.calibrated and result.hits[0].symbol == "prune"
        assert result.hits[0].likeness > 0.2
    finally:
        await db.close()


async def test_notes_without_forms_answer_in_their_own_words(tmp_path: Path) -> None:
    db, index = await _index(tmp_path, forms=False)
    try:
        result = await index.search("컨테이너 메모리 사용량")
        assert result.found and not result.calibrated and result.hits[0].symbol == "stats"
        assert not (await index.search("파이썬 리스트 정렬")).found
    finally:
        await db.close()


async def test_an_edited_entry_its_forms_do_not_know_yet_still_answers_its_own_words(tmp_path: Path) -> None:
    db, index = await _index(tmp_path, forms=True)
    await db.close()
    path = tmp_path / "notes" / "tools.md"
    path.write_text(path.read_text(encoding="utf-8").replace("CPU와 메모리 사용량", "네트워크 입출력 바이트"),
                    encoding="utf-8")
    db, index = await _index_again(tmp_path)
    try:
        result = await index.search("네트워크 입출력 바이트")
        assert result.found and result.hits[0].symbol == "stats"
    finally:
        await db.close()


async def _index_again(tmp_path: Path) -> tuple[Database, NotesIndex]:
    db = await Database.open(tmp_path / "s.sqlite3")
    return db, await NotesIndex.open(db, tmp_path / "notes", DEFAULT_DATA_DIR)
