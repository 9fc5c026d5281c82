"""The small view of the notes that generated questions need: (section path, symbol, text) entries.

Kept independent of the notes index on purpose: the generator depends only on
:class:`NoteEntry`. :func:`read_note_entries` uses the notes parser (:func:`bot.notes.parser.parse_markdown`)
and adapts its sections; :func:`parse_note_entries` is a tiny fallback parser of its own (headings,
``- `symbol` text`` list items, ``> definition`` quotes under a heading), used when that module is absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ITEM = re.compile(r"^[-*]\s+`([^`]+)`\s*(.*)$")
_QUOTE = re.compile(r"^>\s*(.+)$")
SECTION_SEPARATOR = " > "


@dataclass(frozen=True, slots=True)
class NoteEntry:
    """One defined thing in the notes. ``section_path`` leaves out the document title (level-1 heading)."""

    section_path: str
    symbol: str
    text: str


def parse_note_entries(markdown: str) -> tuple[list[NoteEntry], list[str]]:
    """Entries and the section paths, in document order."""
    entries: list[NoteEntry] = []
    sections: list[str] = []
    stack: list[tuple[int, str]] = []
    quoted_for: str | None = None
    in_fence = False
    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _HEADING.match(line)
        if heading:
            level, title = len(heading.group(1)), heading.group(2).strip()
            stack = [(lvl, name) for lvl, name in stack if lvl < level]
            stack.append((level, title))
            path = SECTION_SEPARATOR.join(name for lvl, name in stack if lvl > 1)
            if path:
                sections.append(path)
            quoted_for = path or None
            continue
        path = SECTION_SEPARATOR.join(name for lvl, name in stack if lvl > 1)
        if not path:
            continue
        quote = _QUOTE.match(line)
        if quote and quoted_for == path:
            text = quote.group(1).strip().rstrip(".")
            if text and "`" not in text and "[" not in text:
                entries.append(NoteEntry(path, stack[-1][1], text))
            quoted_for = None
            continue
        if line:
            quoted_for = None
        item = _ITEM.match(line)
        if item:
            symbol, text = item.group(1).strip(), item.group(2).strip()
            text = re.sub(r"^`[^`]*`\s*", "", text) if text.startswith("`<") else text
            if symbol and text:
                entries.append(NoteEntry(path, symbol, text))
    return entries, sections


_LEADING_CODE = re.compile(r"^`<[^`]*`\s*")


def entries_from_notes_parser(markdown: str, file: str) -> tuple[list[NoteEntry], list[str]]:
    """The same view, built from the notes feature's parser (one source of truth for the structure)."""
    from bot.notes.parser import parse_markdown

    entries: list[NoteEntry] = []
    sections: list[str] = []
    for section in parse_markdown(markdown, file):
        if section.level <= 1 or not section.path:
            continue
        path = SECTION_SEPARATOR.join(section.path)
        sections.append(path)
        definition = " ".join(section.definition.split()).rstrip(".")
        if definition and "`" not in definition and "[" not in definition:
            entries.append(NoteEntry(path, section.name, definition))
        for entry in section.entries:
            if not entry.symbol:
                continue
            # an item's continuation lines (examples under it) are not part of its definition
            first_line = entry.text.strip().split("\n")[0]
            text = _LEADING_CODE.sub("", " ".join(first_line.split()))
            if text:
                entries.append(NoteEntry(path, entry.symbol, text))
    return entries, sections


def read_note_entries(notes_dir: Path) -> tuple[list[NoteEntry], list[str]]:
    """Every ``*.md`` file under ``notes_dir`` (sorted), through the notes parser when it is installed."""
    try:
        import bot.notes.parser  # noqa: F401
    except ImportError:
        parse = None
    else:
        parse = entries_from_notes_parser
    entries: list[NoteEntry] = []
    sections: list[str] = []
    if not notes_dir.is_dir():
        return entries, sections
    for path in sorted(notes_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        found, heads = parse(text, path.name) if parse is not None else parse_note_entries(text)
        entries.extend(found)
        sections.extend(h for h in heads if h not in sections)
    return entries, sections
