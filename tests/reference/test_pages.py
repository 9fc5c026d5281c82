"""Reading reference pages into heading sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.reference import pages
from bot.reference.pages import RefSection, find_reference_dir, read_pages


def by_heading(sections: list[RefSection]) -> dict[tuple[str, str], RefSection]:
    return {(s.page, s.heading): s for s in sections}


def test_find_reference_dir(ref_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "DEFAULT_REFERENCE_DIR", tmp_path / "absent")
    assert find_reference_dir(ref_root) == ref_root
    assert find_reference_dir(tmp_path) is None  # no commandline/ there
    assert find_reference_dir(None) is None
    monkeypatch.setattr(pages, "DEFAULT_REFERENCE_DIR", ref_root)
    assert find_reference_dir(None) == ref_root
    assert find_reference_dir(tmp_path / "elsewhere") == ref_root


def test_command_pages(ref_root: Path) -> None:
    sections = by_heading(read_pages(ref_root))
    logs = sections["logs", "logs"]
    assert (logs.file, logs.title, logs.path, logs.ordinal, logs.lead) == (
        "commandline/logs.md", "docker logs", ("logs",), 0, True
    )
    assert logs.summary == "Fetch the logs of a container"
    assert logs.usage == "docker logs [OPTIONS] CONTAINER"
    assert logs.names == ("logs",) and "tail" in logs.flags and "help" in logs.flags
    assert logs.keywords == ("logs", "retrieve", "docker")
    assert logs.body.startswith("```markdown\nUsage:")
    assert "title:" not in logs.body and "maintained within" not in logs.body

    description = sections["logs", "Description"]
    assert description.path == ("logs", "Description") and not description.lead
    assert description.summary == (
        "The `docker logs` command batch-retrieves logs present at the time of execution; "
        "see logging drivers for more."
    )
    assert description.usage == ""

    tail = sections["logs", "Show the last lines (--tail)"]
    assert tail.path == ("logs", "Examples", "Show the last lines (--tail)")
    assert "# not a heading" in tail.body
    assert ("logs", "Examples") not in sections  # empty: only a subsection under it
    assert not any(s.heading == "not a heading" for s in sections.values())

    prune = sections["container_prune", "container prune"]
    assert (prune.title, prune.names, prune.summary) == (
        "docker container prune", ("container", "prune"), "Remove all stopped containers"
    )
    assert prune.keywords == ("container", "prune", "delete", "remove")
    assert sections["container_prune", "Description"].title == "docker container prune"


def test_builder_instructions(ref_root: Path) -> None:
    sections = [s for s in read_pages(ref_root) if s.page == "builder"]
    assert [(s.title, s.heading, s.lead) for s in sections] == [
        ("Dockerfile reference", "Dockerfile reference", True),
        ("Dockerfile reference", "Format", False),
        ("Dockerfile HEALTHCHECK", "HEALTHCHECK", True),
        ("Dockerfile HEALTHCHECK", "Exit status", False),
        ("Dockerfile ENTRYPOINT", "ENTRYPOINT", True),
    ]
    healthcheck = sections[2]
    assert healthcheck.names == ("healthcheck",) and healthcheck.path == ("HEALTHCHECK",)
    assert healthcheck.summary.startswith("The `HEALTHCHECK` instruction tells Docker how to test a container")
    assert "# not a heading either" in healthcheck.body
    assert sections[3].path == ("HEALTHCHECK", "Exit status")
    assert sections[4].summary == "ENTRYPOINT has two forms:"
    assert "# Comment" in sections[1].body
