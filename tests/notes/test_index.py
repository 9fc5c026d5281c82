"""The index in the state file: rebuilt when notes change or the FTS table is damaged; clear errors."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.config import DEFAULT_DATA_DIR
from bot.notes import NotesError
from bot.notes.index import BUILD_TRUSTED_FOR, NotesIndex
from bot.storage import Database


async def _open(tmp_path: Path, notes: Path) -> tuple[Database, NotesIndex]:
    db = await Database.open(tmp_path / "s.sqlite3")
    try:
        return db, await NotesIndex.open(db, notes, DEFAULT_DATA_DIR)
    except BaseException:
        await db.close()
        raise


async def test_rebuilds_when_a_notes_file_changes(tmp_path: Path, notes_copy: Path) -> None:
    db, index = await _open(tmp_path, notes_copy)
    assert (await index.search("레디스")).found
    assert not (await index.search("오케스트레이션 스웜")).found
    await db.close()

    path = notes_copy / "docker-guide-ko.md"
    text = path.read_text(encoding="utf-8").replace(
        "- 레디스 : 메모리 기반의 다양한 기능을 가진 스토리지", "- 스웜 : 여러 호스트를 묶는 오케스트레이션"
    )
    path.write_text(text, encoding="utf-8")
    db, index = await _open(tmp_path, notes_copy)
    try:
        new = await index.search("오케스트레이션 스웜")
        assert new.found and "여러 호스트를 묶는" in new.hits[0].raw
        old = await index.search("레디스")
        assert not any("메모리 기반" in hit.raw for hit in old.hits)
    finally:
        await db.close()


async def test_new_file_is_picked_up_and_reindex_counts(tmp_path: Path, notes_copy: Path) -> None:
    extra = "# Extra\n\n## 네트워크\n> 컨테이너끼리 통신하는 길\n\n- `bridge` 기본 네트워크\n"
    (notes_copy / "extra.md").write_text(extra, encoding="utf-8")
    db, index = await _open(tmp_path, notes_copy)
    try:
        result = await index.search("bridge")
        assert result.found and result.hits[0].source == "extra.md › 네트워크"
        stats = await index.rebuild()
        assert (stats.files, stats.sections, stats.entries) == (2, 15, 47)  # + the "Extra" title and "네트워크"
        assert "네트워크" in index.topics()
    finally:
        await db.close()


async def test_reindex_elsewhere_is_seen_by_a_running_index(tmp_path: Path, notes_copy: Path) -> None:
    """`python -m bot index` in another process rebuilds the state file; the running bot answers from it,
    also to a question it was asked before (and remembers the answer to)."""
    db, running = await _open(tmp_path, notes_copy)
    try:
        for _ in range(2):
            assert not (await running.search("오케스트레이션 스웜")).found
        path = notes_copy / "docker-guide-ko.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n## 스웜\n- 스웜 : 여러 호스트를 묶는 오케스트레이션\n",
                        encoding="utf-8")
        other_db, other = await _open(tmp_path, notes_copy)  # sees the change and rebuilds
        other.close()
        await other_db.close()
        rebuilt_at = time.monotonic()
        # A question asked again is answered from the kept results for at most BUILD_TRUSTED_FOR seconds
        # after the running index last saw the build; then it sees the new one.
        while not (result := await running.search("오케스트레이션 스웜")).found:
            assert time.monotonic() - rebuilt_at < BUILD_TRUSTED_FOR + 0.5, "the rebuild was not seen in time"
            await asyncio.sleep(0.05)
        assert "여러 호스트를 묶는" in result.hits[0].raw
        assert "스웜" in running.topics()
    finally:
        running.close()
        await db.close()


async def test_searches_during_a_rebuild_still_answer(tmp_path: Path) -> None:
    db, index = await _open(tmp_path, DEFAULT_DATA_DIR / "notes")
    try:
        rebuild = asyncio.create_task(index.rebuild())
        answers = await asyncio.gather(*(index.search("docker run") for _ in range(20)))
        await rebuild
        assert all(a.found and a.hits[0].key == "명령어#run" for a in answers)
    finally:
        index.close()
        await db.close()


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE notes_fts",
        "DELETE FROM notes_fts_data WHERE id > 1",
        "UPDATE notes_fts_data SET block = x'00ff00ff' WHERE id > 1",
        "DELETE FROM notes_docs WHERE id % 2 = 0",
    ],
)
async def test_damaged_index_is_rebuilt_at_open(tmp_path: Path, damage: str) -> None:
    db, index = await _open(tmp_path, DEFAULT_DATA_DIR / "notes")
    await db.execute(damage)
    await db.close()
    db, index = await _open(tmp_path, DEFAULT_DATA_DIR / "notes")
    try:
        result = await index.search("docker run")
        assert result.found and result.hits[0].key == "명령어#run"
    finally:
        await db.close()


async def test_index_damaged_while_running_is_rebuilt_on_search(tmp_path: Path) -> None:
    db, index = await _open(tmp_path, DEFAULT_DATA_DIR / "notes")
    try:
        await db.execute("DROP TABLE notes_fts")
        result = await index.search("백그라운드 실행")
        assert result.found and result.hits[0].key == "명령어#-d"
    finally:
        await db.close()


async def test_missing_notes_folder_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-notes"
    with pytest.raises(NotesError, match=str(missing)):
        await _open(tmp_path, missing)


async def test_folder_without_markdown_names_the_path(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.txt").write_text("not notes")
    with pytest.raises(NotesError, match=r"no \*\.md notes files in .*empty"):
        await _open(tmp_path, empty)


async def test_unreadable_file_names_the_path(
    tmp_path: Path, notes_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod 000 does not stop root (tests may run as root), so the read itself is made to fail.
    path = notes_copy / "docker-guide-ko.md"
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(NotesError, match=f"cannot read notes file {path}: Permission denied"):
        await _open(tmp_path, notes_copy)


async def test_file_that_cannot_be_read_names_the_path(tmp_path: Path, notes_copy: Path) -> None:
    bad = notes_copy / "broken.md"
    bad.write_bytes(b"# \xff\xfe not utf-8")
    with pytest.raises(NotesError, match=str(bad)):
        await _open(tmp_path, notes_copy)
    dangling = notes_copy / "dangling.md"
    bad.unlink()
    dangling.symlink_to(notes_copy / "gone.md")
    with pytest.raises(NotesError, match=str(dangling)):
        await _open(tmp_path, notes_copy)


async def test_a_running_index_follows_edits_to_the_notes(
    tmp_path: Path, notes_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.notes.index as index_module

    monkeypatch.setattr(index_module, "FOLLOW_EVERY", 0.0)
    db, index = await _open(tmp_path, notes_copy)
    try:
        assert not (await index.search("오케스트레이션 스웜")).found
        path = notes_copy / "docker-guide-ko.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n## 스웜\n- 스웜 : 여러 호스트를 묶는 오케스트레이션\n",
                        encoding="utf-8")
        found = await index.search("오케스트레이션 스웜")
        assert found.found and "여러 호스트를 묶는" in found.hits[0].raw
        path.unlink()  # a folder with no notes keeps the last good index
        assert (await index.search("오케스트레이션 스웜")).found
    finally:
        await db.close()
