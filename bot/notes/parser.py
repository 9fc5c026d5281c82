"""Markdown study notes → sections and entries.

The structure matters more than the lines: a heading opens a section whose *path* is the chain
of headings above it (``Dockerfile › command``); a blockquote right under a heading is the
section's definition; list items (``-``, ``*``, ``1.``, ``1)``) are entries, and lines that
follow an item without a blank line (plain or ``>`` quoted) continue it. An entry that starts
with a code span is a named *symbol* (`` `run` ``, `` `-d` ``, `` `FROM` ``).

A file's single ``#`` heading is its title: it is not repeated in every path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PATH_SEP = " › "

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_SYMBOL = re.compile(r"^`([^`\n]{1,60})`\s*(.*)$", re.DOTALL)
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(slots=True)
class Entry:
    """One list item, as written (``raw``), with its symbol split off when it has one."""

    raw: str
    symbol: str | None
    text: str
    ordinal: int


@dataclass(slots=True)
class Section:
    """A heading and what sits under it until the next heading."""

    file: str
    path: tuple[str, ...]
    level: int
    ordinal: int
    definition: str = ""
    body: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def key(self) -> str:
        return PATH_SEP.join(self.path)

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""


def symbol_kind(symbol: str) -> str:
    """``flag`` (``-d``), ``instruction`` (``FROM``, upper case) or ``command`` (``run``)."""
    if symbol.startswith("-"):
        return "flag"
    head = symbol.split()[0]
    if head.isupper() and head.isalpha():
        return "instruction"
    return "command"


def _split_symbol(text: str) -> tuple[str | None, str]:
    match = _SYMBOL.match(text)
    if not match:
        return None, text
    return match.group(1).strip(), match.group(2).strip()


def _count_h1(lines: list[str]) -> int:
    count = 0
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and re.match(r"^#\s", line):
            count += 1
    return count


def parse_markdown(text: str, file: str) -> list[Section]:
    """Parse one notes file. Sections come in file order; empty headings are kept (they are topics)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    h1_count = _count_h1(lines)
    title_is_h1 = h1_count == 1

    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    current = Section(file=file, path=(), level=0, ordinal=0)
    sections.append(current)
    item_lines: list[str] | None = None  # the open list item
    para: list[str] = []
    quote: list[str] = []
    in_fence = False
    prev_blank = True

    def close_item() -> None:
        nonlocal item_lines
        if item_lines is not None:
            raw = "\n".join(item_lines).strip()
            if raw:
                symbol, rest = _split_symbol(raw)
                current.entries.append(Entry(raw=raw, symbol=symbol, text=rest, ordinal=len(current.entries)))
            item_lines = None

    def close_para() -> None:
        if para:
            current.body.append("\n".join(para).strip())
            para.clear()

    def close_quote() -> None:
        if quote:
            joined = "\n".join(quote).strip()
            if joined:
                if not current.definition and not current.entries and not current.body:
                    current.definition = joined
                else:
                    current.body.append(joined)
            quote.clear()

    def close_all() -> None:
        close_item()
        close_para()
        close_quote()

    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            target = item_lines if item_lines is not None else para
            target.append(line)
            prev_blank = False
            continue
        if in_fence:
            (item_lines if item_lines is not None else para).append(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            close_all()
            level = len(heading.group(1))
            name = heading.group(2).strip()
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, name))
            path = tuple(n for lv, n in stack if not (lv == 1 and title_is_h1)) or (name,)
            current = Section(file=file, path=path, level=level, ordinal=len(sections))
            sections.append(current)
            prev_blank = True
            continue
        if not line.strip():
            close_item()
            close_para()
            close_quote()
            prev_blank = True
            continue
        item = _ITEM.match(line)
        if item:
            close_all()
            item_lines = [item.group(2)]
            prev_blank = False
            continue
        quoted = _QUOTE.match(line)
        if item_lines is not None and not prev_blank:
            # A continuation of the open item, quoted or not.
            content = quoted.group(1) if quoted else line.strip()
            if content.strip():
                item_lines.append(content.strip())
            continue
        if quoted:
            close_para()
            quote.append(quoted.group(1))
        else:
            close_quote()
            para.append(line.strip())
        prev_blank = False
    close_all()
    # The part above the first heading only counts when it holds something.
    if sections and not sections[0].path and not (sections[0].body or sections[0].entries or sections[0].definition):
        sections.pop(0)
    for index, section in enumerate(sections):
        section.ordinal = index
    return sections
