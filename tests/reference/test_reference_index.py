"""The reference index: ranking, index-once, absent docs, several processes on one state file."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

import pytest

from bot.reference.index import GENERATION_KEY, GENERATION_TRUSTED_FOR, HASH_KEY, ReferenceIndex
from bot.reference.pages import read_pages
from bot.storage import Database


async def test_named_pages_win(db: Database, ref_root: Path) -> None:
    index = await ReferenceIndex.open(db, ref_root)
    top = {q: (await index.search(q, limit=1))[0] for q in (("logs",), ("healthcheck",), ("prune",), ("tail",))}
    assert (top["logs",].page, top["logs",].heading) == ("logs", "logs")
    assert top["logs",].summary == "Fetch the logs of a container"
    assert top["logs",].usage == "docker logs [OPTIONS] CONTAINER"
    assert (top["healthcheck",].title, top["healthcheck",].heading) == ("Dockerfile HEALTHCHECK", "HEALTHCHECK")
    assert top["prune",].title == "docker container prune"
    assert top["tail",].page == "logs"

    hits = await index.search(["container", "prune"])
    assert hits[0].title == "docker container prune" and hits[0].heading == "container prune"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    entrypoint = await index.search(["entrypoint"])
    assert entrypoint[0].title == "Dockerfile ENTRYPOINT"
    assert len(await index.search(["logs"], limit=2)) == 2


async def test_odd_words_are_quoted(db: Database, ref_root: Path) -> None:
    index = await ReferenceIndex.open(db, ref_root)
    assert await index.search([]) == []
    assert await index.search(["", "  "]) == []
    for words in (['"'], ['logs"'], ["run -d"], ["NEAR", "AND", "OR"], ["tail*"], ["title:logs"], ["--tail"]):
        await index.search(words)  # no FTS syntax error
    assert (await index.search(['logs"']))[0].page == "logs"
    assert (await index.search(["--tail"]))[0].page == "logs"
    assert await index.search(["nonexistentword"]) == []


async def test_words_are_docker_words(db: Database, ref_root: Path) -> None:
    words = (await ReferenceIndex.open(db, ref_root)).words()
    assert {"logs", "container", "prune", "inspect", "tail", "healthcheck", "entrypoint"} <= words
    assert not words & {"help", "docker", "cli", "filter", "force", "format", "the"}


async def test_section_by_id(db: Database, ref_root: Path) -> None:
    index = await ReferenceIndex.open(db, ref_root)
    hit = (await index.search(["healthcheck"]))[0]
    again = await index.section(hit.doc_id)
    assert again is not None and (again.title, again.body) == (hit.title, hit.body)
    assert again.path == ("HEALTHCHECK",)
    assert await index.section(10**6) is None


async def test_indexed_once_until_files_change(db: Database, ref_root: Path, state_path: Path) -> None:
    index = await ReferenceIndex.open(db, ref_root)
    assert await db.get_meta(GENERATION_KEY) == "1"
    digest = await db.get_meta(HASH_KEY)
    assert digest

    # A second process start: nothing to do.
    other = await Database.open(state_path)
    try:
        again = await ReferenceIndex.open(other, ref_root)
        assert await again.ensure_built() is False
        assert await other.get_meta(GENERATION_KEY) == "1"
        assert (await again.search(["logs"]))[0].page == "logs"
    finally:
        await other.close()
    assert await index.ensure_built() is False
    assert (await index.search(["logs"]))[0].summary != "Fetch the zebra logs"  # kept for this generation

    # A changed page is noticed, rebuilt in one go, and an index opened earlier follows the new ids (its kept
    # answers within GENERATION_TRUSTED_FOR).
    logs = ref_root / "commandline" / "logs.md"
    logs.write_text(logs.read_text().replace("Fetch the logs of a container", "Fetch the zebra logs"))
    stat = logs.stat()
    os.utime(logs, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    fresh = await Database.open(state_path)
    try:
        assert await (await ReferenceIndex.open(fresh, ref_root)).ensure_built() is False  # open built it
    finally:
        await fresh.close()
    assert await db.get_meta(GENERATION_KEY) == "2" and await db.get_meta(HASH_KEY) != digest
    rebuilt_at = time.monotonic()
    while (await index.search(["logs"]))[0].summary != "Fetch the zebra logs":
        assert time.monotonic() - rebuilt_at < GENERATION_TRUSTED_FOR + 0.5, "the rebuild was not followed in time"
        await asyncio.sleep(0.05)
    hit = (await index.search(["zebra"]))[0]
    assert (hit.page, hit.summary) == ("logs", "Fetch the zebra logs")


async def test_absent_docs_log_once_and_find_nothing(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.reference")
    index = await ReferenceIndex.open(db, None)
    assert await index.search(["logs"]) == [] and await index.search(["healthcheck"]) == []
    assert index.words() == frozenset() and await index.section(1) is None
    assert not index.available
    records = [r for r in caplog.records if r.name.startswith("bot.reference")]
    assert len(records) == 1 and records[0].levelno == logging.INFO
    message = records[0].getMessage()
    assert message.startswith("docker reference not found")
    assert "docker-doc" in message and "STUDYBOT_REFERENCE_DIR" in message


async def test_two_connections_open_at_once(ref_root: Path, state_path: Path) -> None:
    first = await Database.open(state_path)
    second = await Database.open(state_path)
    try:
        one, two = await asyncio.gather(ReferenceIndex.open(first, ref_root), ReferenceIndex.open(second, ref_root))
        assert await first.get_meta(GENERATION_KEY) == "1"  # built once between them
        for index in (one, two):
            assert (await index.search(["logs"]))[0].page == "logs"
            assert "healthcheck" in index.words()
        count = await first.fetchone("SELECT count(*) FROM ref_docs")
        assert count is not None and count[0] == len(read_pages(ref_root))
    finally:
        await first.close()
        await second.close()


async def test_hash_is_checked_again_inside_the_transaction(
    db: Database, ref_root: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that saw an old hash before another one finished building does not build again."""
    await ReferenceIndex.open(db, ref_root)
    late = await Database.open(state_path)
    try:
        real_get_meta = late.get_meta

        async def stale_get_meta(key: str) -> str | None:
            return None if key == HASH_KEY else await real_get_meta(key)

        monkeypatch.setattr(late, "get_meta", stale_get_meta)
        index = ReferenceIndex(late, ref_root)
        assert await index.ensure_built() is False
        assert await db.get_meta(GENERATION_KEY) == "1"
    finally:
        await late.close()
