"""README.md stays true to the code: its configuration table lists every variable of ``bot.config`` once, in
its section, with its default and description; its command table and ``.env.example`` keep up too."""

from __future__ import annotations

import re
import typing

from bot.config import REPO_ROOT, SECTIONS, Settings, VariableDoc, documentation, variables
from bot.core import Core
from bot.i18n import usage

README = REPO_ROOT / "README.md"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
SECTION_ORDER = ["general", *SECTIONS]


def chapter(title: str) -> str:
    """The text of README's ``## <title>`` chapter (up to the next ``## ``)."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


def cells(line: str) -> list[str]:
    """A Markdown table row's cells, split on unescaped pipes, backticks dropped."""
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [" ".join(cell.replace("\\|", "|").replace("`", "").split()) for cell in re.split(r"(?<!\\)\|", inner)]


def config_rows() -> list[list[str]]:
    """The rows of the configuration table: [section, variable, default, meaning]."""
    lines = [line for line in chapter("Configuration").splitlines() if line.startswith("|")]
    assert cells(lines[0]) == ["section", "variable", "default", "meaning"]
    return [cells(line) for line in lines[2:]]


def plain(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def test_every_setting_has_one_row_with_its_default_and_description() -> None:
    rows = config_rows()
    documented = {row[1]: row for row in rows}
    assert len(documented) == len(rows), "a variable has more than one row"
    problems = []
    for doc in documentation():
        row = documented.pop(doc.name, None)
        if row is None:
            problems.append(f"{doc.name}: no row")
            continue
        section, _, default, meaning = row
        if section != doc.section:
            problems.append(f"{doc.name}: section {section!r}, but it is in {doc.section!r}")
        if default != doc.default:
            problems.append(f"{doc.name}: default {default!r}, but it is {doc.default!r}")
        if not meaning.startswith(plain(doc.description).removesuffix(".")):
            problems.append(f"{doc.name}: the meaning does not start with its description {doc.description!r}")
    problems += [f"{name}: a row for a variable bot.config does not read" for name in documented]
    assert problems == []


def test_rows_are_grouped_by_section_in_order() -> None:
    sections = [row[0] for row in config_rows()]
    groups = [section for i, section in enumerate(sections) if i == 0 or sections[i - 1] != section]
    assert groups == SECTION_ORDER


def choices(doc: VariableDoc) -> tuple[str, ...]:
    section, name = variables()[doc.name]
    cls = SECTIONS.get(section, Settings)
    annotation = cls.model_fields[name].annotation
    return typing.get_args(annotation) if typing.get_origin(annotation) is typing.Literal else ()


def test_a_setting_with_fixed_choices_names_them_all() -> None:
    meanings = {row[1]: row[3] for row in config_rows()}
    for doc in documentation():
        for choice in choices(doc):
            assert re.search(rf"\b{re.escape(choice)}\b", meanings[doc.name]), (doc.name, choice)
    assert "CRITICAL" in meanings["STUDYBOT_LOG_LEVEL"]


def test_env_example_groups_every_setting_under_its_section_with_its_default() -> None:
    """``.env.example`` has a ``# ===== <section> …`` header per section, in README's order, and every variable
    (commented out with its default, or empty when unset) under its own section's header."""
    section_of: dict[str, str] = {}
    values: dict[str, str] = {}
    headers: list[str] = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        header = re.fullmatch(r"# =+ (.+?) =+", line)
        if header:
            headers.append(header[1].split()[0])
            continue
        setting = re.fullmatch(r"(# )?([A-Z][A-Z0-9_]*)=(.*)", line)
        if setting and headers:
            section_of[setting[2]] = headers[-1]
            if setting[1]:  # commented out: the value shown is the default
                values[setting[2]] = setting[3]
    assert [header for header in headers if header in SECTION_ORDER] == SECTION_ORDER
    for doc in documentation():
        assert section_of.get(doc.name) == doc.section, doc.name
        if doc.name in values:
            shown = doc.default if doc.default != "–" and not doc.default.startswith(("$", "<")) else ""
            assert values[doc.name] == shown, doc.name


async def test_the_command_table_shows_every_command(quiet_core: Core) -> None:
    commands = chapter("Commands")
    for command in quiet_core.commands.values():
        name = usage("en", command.spec.usage).split()[0]
        assert f"`!{name}" in commands, name


def test_the_sub_commands_are_named() -> None:
    from bot.cli import build_parser

    parser = build_parser()
    names = next(action.choices for action in parser._actions if isinstance(action.choices, dict))
    quick_start = chapter("Quick start")
    for name in names:
        assert f"`{name}`" in quick_start, name
