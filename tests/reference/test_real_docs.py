"""Search over Docker's real reference from Debian's docker-doc (installed here and in CI).

When the package is missing these tests fail: they are the evidence that the reference answers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.reference.index import ReferenceIndex, RefHit
from bot.reference.pages import DEFAULT_REFERENCE_DIR, read_pages
from bot.storage import Database


def real_root() -> Path:
    if not (DEFAULT_REFERENCE_DIR / "commandline").is_dir():
        pytest.fail(
            f"{DEFAULT_REFERENCE_DIR}/commandline is missing: install Debian's docker-doc "
            "(apt-get install docker-doc); these tests check search over the real Docker reference"
        )
    return DEFAULT_REFERENCE_DIR


def is_page(page: str, heading: str | None = None) -> Callable[[RefHit], bool]:
    return lambda hit: hit.page == page and (heading is None or hit.heading == heading)


EXPECTED: list[tuple[list[str], str, Callable[[RefHit], bool]]] = [
    (["logs"], "docker logs, its top section", is_page("logs", "logs")),
    (["image", "prune"], "docker image prune", is_page("image_prune")),
    (["prune"], "a prune page", lambda hit: hit.page.endswith("_prune")),
    (["healthcheck"], "Dockerfile HEALTHCHECK", lambda hit: hit.title == "Dockerfile HEALTHCHECK"
     and hit.heading == "HEALTHCHECK"),
    (["entrypoint"], "Dockerfile ENTRYPOINT", lambda hit: hit.title == "Dockerfile ENTRYPOINT"
     and hit.heading == "ENTRYPOINT"),
    (["restart", "policy"], "restart policies of docker run, or docker restart",
     lambda hit: (hit.page == "run" and hit.heading.startswith("Restart policies")) or hit.page == "restart"),
    (["copy", "file", "container"], "docker cp", is_page("cp", "cp")),
    (["stats"], "docker stats", is_page("stats", "stats")),
    (["save", "image"], "docker save", is_page("save", "save")),
    (["login"], "docker login", is_page("login", "login")),
]


def test_real_reference_parses() -> None:
    sections = read_pages(real_root())
    assert len(sections) > 500
    logs = next(s for s in sections if s.page == "logs" and s.lead)
    assert (logs.title, logs.summary, logs.usage) == (
        "docker logs", "Fetch the logs of a container", "docker logs [OPTIONS] CONTAINER"
    )
    titles = {s.title for s in sections}
    assert {"docker container prune", "docker network create", "Dockerfile HEALTHCHECK", "docker run"} <= titles
    assert not any(s.heading.startswith(("Comment", "syntax=", "escape=")) and s.page == "builder" for s in sections)


async def test_real_reference_search(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "state.sqlite3")
    try:
        index = await ReferenceIndex.open(db, real_root())
        wrong = []
        for words, wanted, check in EXPECTED:
            hits = await index.search(words)
            if not hits or not check(hits[0]):
                got = [(h.page, h.heading) for h in hits]
                wrong.append(f"{words}: wanted {wanted}, got {got}")
        assert not wrong, "\n".join(wrong)

        words = index.words()
        docker_words = {"logs", "prune", "restart", "network", "swarm", "secret", "stats", "inspect", "cp", "commit",
                        "tail", "memory", "healthcheck", "entrypoint", "arg", "label"}
        assert docker_words <= words, docker_words - words
        # (`user` is an everyday word: only USER, in capitals, names the instruction)
        assert not words & {"cli", "docker", "help", "options", "usage", "description", "examples", "the", "user"}
    finally:
        await db.close()


async def test_groups_of_subcommands_are_told_from_commands(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "state.sqlite3")
    try:
        index = await ReferenceIndex.open(db, real_root())
        for group in ("secret", "volume", "image", "container", "swarm"):
            assert await index.has_subcommands(group), group
        for command in ("logs", "run", "images", "docker", "secret_create", "'"):
            assert not await index.has_subcommands(command), command
    finally:
        await db.close()


async def test_pages_listing_a_flag_long_or_one_letter(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "state.sqlite3")
    try:
        index = await ReferenceIndex.open(db, real_root())
        assert {"create", "run", "update"} <= set(await index.with_flag("restart"))
        assert "run" in await index.with_flag("-m") and "rm" in await index.with_flag("-f")
        assert "run" not in await index.with_flag("-f")  # (run's -f is no flag of its own)
        assert "run" in await index.with_flag("-P") and "port" not in await index.with_flag("-P")  # (as typed)
        assert await index.with_flag("-") == [] and await index.with_flag("m, --x") == []
    finally:
        await db.close()
