"""A ``!docker`` message → what to ask the lab: the CLI's words and the inline files.

The words are split the way a shell splits them (:mod:`shlex`: quotes group, nothing expands) and go to the
lab as an argv list; no shell ever sees them. Fenced code blocks after the words are files for ``build``: the
first block whose info string is not a file name (```` ``` ````, ```` ```dockerfile ````) or is ``Dockerfile``
is the Dockerfile; a block whose info string is a file name (```` ```app.py ````) is that file, for ``COPY``.
For ``compose``, the block marked ```` ```yaml ```` (or ```` ```yml ````, ```` ```compose.yaml ````,
```` ```docker-compose.yml ```` …, or not marked at all) is the compose file, passed as ``compose.yaml``; a
```` ```dockerfile ```` block is the Dockerfile its ``build:`` services use, and named blocks are files again.
A leading ``docker`` is dropped, so a command copied from a terminal or the notes works as it is.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from bot.core.commands import CommandError
from bot.i18n import t
from bot.sandbox.lab.port import MAX_FILE_BYTES, MAX_FILES
from bot.textsafe import inline_code

DOCKERFILE = "Dockerfile"
COMPOSE_FILE = "compose.yaml"  # what the lab reads, whichever of Compose's names the block had
COMPOSE_INFOS = frozenset({"", "yaml", "yml", "compose", "compose.yaml", "compose.yml", "docker-compose.yaml",
                           "docker-compose.yml"})
LAB_WORDS = {"help": "help", "도움말": "help", "status": "status", "상태": "status", "reset": "reset",
             "초기화": "reset"}
MAX_NAME_CHARS = 100
# A block: its fence, the info string up to the line end, the body, and the closing fence on a line of its own.
_BLOCK = re.compile(r"```(?P<info>[^\n`]*)\n(?P<body>.*?)(?:\n|^)```[ \t]*(?=\n|$)", re.S | re.M)
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*(?:/[A-Za-z0-9_][A-Za-z0-9._-]*)*")
# Global options of the CLI that take a value (`docker -H x ps`): skipped to find the command word.
_GLOBAL_VALUES = frozenset({"-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--tlscacert",
                            "--tlscert", "--tlskey"})
_COMPOSE_VALUES = frozenset({"-p", "--project-name", "-f", "--file", "--env-file", "--ansi", "--profile",
                             "--progress", "--project-directory", "--parallel"})
_GROUPS = frozenset({"container", "image", "volume", "network", "builder", "buildx"})


@dataclass(frozen=True, slots=True)
class LabInput:
    """What a message asks: ``argv`` for the lab (``docker`` dropped), or ``word`` for the lab's own words
    (``help``, ``status``, ``reset``) with ``argv`` what follows it."""

    argv: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)
    word: str | None = None


def parse_input(lang: str, text: str) -> LabInput:
    """Raw ``!docker`` arguments → a :class:`LabInput`; every mistake is a :class:`CommandError` saying what."""
    start = text.find("```")
    words_part, blocks_part = (text, "") if start < 0 else (text[:start], text[start:])
    try:
        argv = shlex.split(words_part, comments=False, posix=True)
    except ValueError as exc:
        raise CommandError(t(lang, "lab.err.quotes", problem=str(exc).lower()), show_usage=False) from None
    if argv and argv[0] == "docker":
        argv = argv[1:]
    compose = command_words(argv) == ("compose",)
    files = read_blocks(lang, blocks_part, compose=compose) if blocks_part else {}
    if argv and argv[0].lower() in LAB_WORDS and not files:
        return LabInput(tuple(argv[1:]), word=LAB_WORDS[argv[0].lower()])
    if not argv:
        if files:
            raise CommandError(t(lang, "lab.err.blocks_alone"), show_usage=False)
        return LabInput((), word="help")
    if files and not compose and command_words(argv)[-1:] != ("build",):
        raise CommandError(t(lang, "lab.err.blocks_not_build"), show_usage=False)
    if compose and _compose_subcommand(argv) == "up" and COMPOSE_FILE not in files:
        raise CommandError(t(lang, "lab.err.no_compose_file"), show_usage=False)
    if command_words(argv)[-1:] == ("build",) and DOCKERFILE not in files and not _names_a_file(argv):
        raise CommandError(t(lang, "lab.err.no_dockerfile"), show_usage=False)
    return LabInput(tuple(argv), files)


def read_blocks(lang: str, text: str, *, compose: bool = False) -> dict[str, str]:
    """The fenced blocks of ``text`` (nothing but blocks and blank space) → files by name (``compose``: for
    ``docker compose``, whose unnamed or YAML block is the compose file)."""
    files: dict[str, str] = {}
    position = 0
    for match in _BLOCK.finditer(text):
        if text[position:match.start()].strip():
            raise CommandError(t(lang, "lab.err.words_after_blocks"), show_usage=False)
        position = match.end()
        info = match.group("info").strip()
        if compose and info.lower() in COMPOSE_INFOS:
            if COMPOSE_FILE in files:
                raise CommandError(t(lang, "lab.err.two_compose_files"), show_usage=False)
            name = COMPOSE_FILE
        else:
            name = _file_name(lang, info, DOCKERFILE in files)
        if name in files:
            raise CommandError(t(lang, "lab.err.file_twice", name=inline_code(name, 60)), show_usage=False)
        body = match.group("body")
        if len(body.encode("utf-8")) > MAX_FILE_BYTES:
            raise CommandError(
                t(lang, "lab.err.file_too_big", name=inline_code(name, 60), kib=MAX_FILE_BYTES // 1024),
                show_usage=False,
            )
        files[name] = body
        if len(files) > MAX_FILES:
            raise CommandError(t(lang, "lab.err.too_many_files", limit=MAX_FILES), show_usage=False)
    rest = text[position:]
    if rest.strip():
        key = "lab.err.block_unclosed" if "```" in rest else "lab.err.words_after_blocks"
        raise CommandError(t(lang, key), show_usage=False)
    return files


def _file_name(lang: str, info: str, have_dockerfile: bool) -> str:
    """The file a block is, from its info string: a file name, or else (a language hint, nothing) the Dockerfile."""
    if info == DOCKERFILE or not ("." in info or "/" in info):
        if have_dockerfile:
            raise CommandError(t(lang, "lab.err.two_dockerfiles"), show_usage=False)
        return DOCKERFILE
    parts = info.split("/")
    if len(info) > MAX_NAME_CHARS or not _FILE_NAME.fullmatch(info) or any(p in (".", "..") for p in parts):
        raise CommandError(t(lang, "lab.err.file_name", name=inline_code(info, 60)), show_usage=False)
    return info


def command_words(argv: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The command a CLI argv names, global options skipped: ``("ps",)``, ``("image", "build")``."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        index += 2 if argv[index] in _GLOBAL_VALUES else 1
    if index >= len(argv):
        return ()
    first = argv[index]
    if first in _GROUPS and index + 1 < len(argv):
        return first, argv[index + 1]
    return (first,)


def _compose_subcommand(argv: list[str]) -> str | None:
    """``up`` in ``compose -p demo up -d``: the first word after ``compose`` that is neither a flag nor its value."""
    words = argv[argv.index("compose") + 1:]
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _COMPOSE_VALUES else 1
    return words[index] if index < len(words) else None


def _names_a_file(argv: list[str]) -> bool:
    """``build -f name`` / ``--file=name``: the Dockerfile is a block named so (the lab checks that it is)."""
    return any(arg in ("-f", "--file") or arg.startswith(("--file=", "-f=")) for arg in argv)


def shown_command(argv: tuple[str, ...], limit: int = 80) -> str:
    """``$ docker <words>`` as a plain one-line title: quoted like a shell would, clipped."""
    line = "$ " + shlex.join(("docker", *argv))
    return inline_code(line, limit)
