"""Read Docker's reference pages (Debian's ``docker-doc``) into heading sections.

The package installs ``/usr/share/doc/docker-doc/reference/`` with ``commandline/<command>.md``
(Debian compresses the larger pages to ``.md.gz``), ``builder.md.gz`` (the Dockerfile reference)
and ``run.md.gz`` (``docker run`` in depth). Each page is split at ``#`` … ``####`` headings;
``#`` lines inside fenced blocks are shell comments, not headings.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_REFERENCE_DIR = Path("/usr/share/doc/docker-doc/reference")

# Reference-level pages read besides commandline/*; glossary.md and index.md add nothing a member asks for.
TOP_PAGES = ("builder", "run")


@dataclass(frozen=True, slots=True)
class RefSection:
    """One heading section of a reference page, as written (Markdown)."""

    file: str  # path under the reference folder, e.g. "commandline/logs.md" (``run`` exists twice)
    page: str  # file stem: "logs", "container_prune", "builder", "run"
    title: str  # "docker logs", "Dockerfile HEALTHCHECK", "docker run"
    heading: str
    path: tuple[str, ...]  # heading chain, outermost first
    body: str
    summary: str
    usage: str  # the usage line(s) of a command page, without the "Usage:" label; "" elsewhere
    ordinal: int  # position in the page
    names: tuple[str, ...] = ()  # what the section is named after: ("container", "prune"), ("healthcheck",)
    keywords: tuple[str, ...] = ()  # front matter keywords (on every section of the page)
    lead: bool = False  # first section of its page (or of its Dockerfile instruction)
    flags: tuple[str, ...] = ()  # long flags listed in the usage block, without dashes


def find_reference_dir(configured: Path | None) -> Path | None:
    """The configured folder when it holds ``commandline/``; else Debian's docker-doc; None when absent."""
    if configured is not None and (configured / "commandline").is_dir():
        return configured
    if (DEFAULT_REFERENCE_DIR / "commandline").is_dir():
        return DEFAULT_REFERENCE_DIR
    return None


def reference_files(root: Path) -> list[Path]:
    """The pages :func:`read_pages` reads, sorted; a page present as both .md and .md.gz is read once (.md)."""
    chosen: dict[str, Path] = {}
    candidates = sorted((root / "commandline").glob("*.md")) + sorted((root / "commandline").glob("*.md.gz"))
    for stem in TOP_PAGES:
        candidates += [root / f"{stem}.md", root / f"{stem}.md.gz"]
    for path in candidates:
        if not path.is_file():
            continue
        key = str(path.relative_to(root)).removesuffix(".gz")
        chosen.setdefault(key, path)
    return [chosen[key] for key in sorted(chosen)]


def read_pages(root: Path) -> list[RefSection]:
    """Every non-empty heading section of the reference under ``root``."""
    sections: list[RefSection] = []
    for path in reference_files(root):
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        rel = str(path.relative_to(root)).removesuffix(".gz")
        sections.extend(parse_page(rel, raw.decode("utf-8", errors="replace")))
    return sections


# --- parsing ---

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,4})\s+(.*?)\s*#*\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Only real HTML tags: `<key>` placeholders in the text are meant to be read.
_TAG = re.compile(r"</?(?:a|br|p|div|span|img|sup|sub|em|strong|b|i|code|details|summary)\b[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_ANCHOR = re.compile(r"\s*\{[#:][^}]*\}\s*$")
_INSTRUCTION = re.compile(r"^([A-Z]{2,})\b")
_LONG_FLAG = re.compile(r"(?<![\w-])--([a-z0-9][a-z0-9-]*)")


def parse_page(file: str, text: str) -> list[RefSection]:
    """Split one page (``file`` relative to the reference folder) into sections."""
    front, text = _front_matter(text)
    text = _COMMENT.sub("", text)
    page = Path(file).name.removesuffix(".md")
    keywords = tuple(k.strip() for k in front.get("keywords", "").split(",") if k.strip())
    command = file.startswith("commandline/")
    base_title = _page_title(page, front) if command else ("docker run" if page == "run" else "")
    default_title = front.get("title", "Dockerfile reference") if page == "builder" else base_title
    base_names = _page_names(page) if command or page == "run" else ()

    out: list[RefSection] = []
    chain: list[tuple[int, str]] = []
    instruction = ""
    seen_titles: set[str] = set()
    for level, heading, lines in _split(text):
        if level:
            while chain and chain[-1][0] >= level:
                chain.pop()
            chain.append((level, heading))
        else:
            heading = front.get("title", page).strip('"')
        if page == "builder" and level and level <= 2:
            match = _INSTRUCTION.match(heading)
            instruction = match.group(1) if match and level == 2 else ""
        body = _trim(lines)
        if not body:
            continue
        title = f"Dockerfile {instruction}" if instruction else default_title
        names = (instruction.lower(),) if instruction else base_names
        usage, description, flags = _usage_block(body) if command else ("", "", ())
        out.append(
            RefSection(
                file=file,
                page=page,
                title=title,
                heading=heading,
                path=tuple(h for _, h in chain) if level else (heading,),
                body=body,
                summary=description or first_sentence(body),
                usage=usage,
                ordinal=len(out),
                names=names,
                keywords=keywords,
                lead=title not in seen_titles,
                flags=flags,
            )
        )
        seen_titles.add(title)
    return out


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML front matter as flat ``key: value`` strings (all these pages need), and the rest."""
    lines = text.lstrip("\ufeff \n").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        return {}, text
    values: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if sep and key and not key[0].isspace() and not key.startswith("-"):
            values[key.strip()] = value.strip().strip("'\"")
    return values, "\n".join(lines[end + 1 :])


def _page_title(page: str, front: dict[str, str]) -> str:
    if page in ("cli", "index"):
        # Overview pages, not commands: their own titles ("Use the Docker command line", "Docker commands").
        return front.get("title", page)
    if page == "dockerd":
        return "dockerd"
    return "docker " + page.replace("_", " ")


def _page_names(page: str) -> tuple[str, ...]:
    if page in ("cli", "index"):
        return ()
    return tuple(page.split("_"))


def _split(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(level, heading, body lines) per section; level 0 for text before the first heading."""
    level, heading, lines = 0, "", []
    fence = ""
    for line in text.splitlines():
        marker = _FENCE.match(line)
        if fence:
            closing = marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence)
            if closing and not line.strip().lstrip(fence[0]):
                fence = ""
        elif marker:
            fence = marker.group(1)
        else:
            match = _HEADING.match(line)
            if match:
                yield level, heading, lines
                level, heading, lines = len(match.group(1)), clean_inline(match.group(2)), []
                continue
        lines.append(line)
    yield level, heading, lines


def _trim(lines: list[str]) -> str:
    kept = [line.rstrip() for line in lines if not line.strip().startswith("{:")]  # kramdown attribute lines
    return "\n".join(kept).strip("\n")


def clean_inline(text: str) -> str:
    """Inline Markdown without links, HTML tags and kramdown ``{#id}`` anchors."""
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _TAG.sub("", text)
    text = _ANCHOR.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _usage_block(body: str) -> tuple[str, str, tuple[str, ...]]:
    """From a command page's fenced ``Usage:`` block: usage line(s), the description line, long flags."""
    lines = body.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("Usage:")), None)
    if start is None or not any(_FENCE.match(line) for line in lines[:start]):
        return "", "", ()
    usage = [lines[start].strip().removeprefix("Usage:").strip()]
    i = start + 1
    if not usage[0] and i < len(lines):  # "Usage:" alone, the command on the next line (docker context)
        usage = [lines[i].strip()]
        i += 1
    while i < len(lines) and lines[i].strip() and not _FENCE.match(lines[i]):
        usage.append(lines[i].strip())
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    description: list[str] = []
    while i < len(lines) and lines[i].strip() and not _FENCE.match(lines[i]):
        description.append(lines[i].strip())
        i += 1
    end = next((j for j in range(i, len(lines)) if _FENCE.match(lines[j])), len(lines))
    flags: list[str] = []
    for line in lines[i:end]:
        stripped = line.strip()
        if stripped.startswith("-"):
            option = stripped.split("  ")[0]  # "-n, --tail string" without its help text
            flags.extend(flag for flag in _LONG_FLAG.findall(option) if flag not in flags)
    summary = description[0] if description else ""
    if summary.endswith(":") or summary.lower().startswith(("aliases", "options")):
        # The description came before "Usage:" (docker context): the first line of the fenced block.
        opening = max(j for j in range(start) if _FENCE.match(lines[j]))
        before = [line.strip() for line in lines[opening + 1 : start] if line.strip()]
        summary = before[0] if before else ""
    return "\n".join(usage), summary, tuple(flags)


def first_sentence(body: str, limit: int = 300) -> str:
    """The first sentence of the first prose paragraph (fences, tables, notes and headings skipped)."""
    paragraph: list[str] = []
    fence = ""
    for line in body.splitlines():
        marker = _FENCE.match(line)
        if fence:
            if marker and marker.group(1)[0] == fence[0] and not line.strip().lstrip(fence[0]):
                fence = ""
            continue
        if marker:
            fence = marker.group(1)
            if paragraph:
                break
            continue
        stripped = line.strip()
        if not stripped:
            if len(" ".join(paragraph).split()) >= 3:
                break
            paragraph = []  # "or" between two syntax blocks is no summary
            continue
        if stripped.startswith(("|", ">", "#", "<")) and not paragraph:
            continue
        paragraph.append(stripped)
    if len(" ".join(paragraph).split()) < 3:
        paragraph = []
    text = clean_inline(" ".join(paragraph))
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z`\"'(\[])", text)
    if match:
        text = text[: match.start()]
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
