"""A run's output made safe and short enough for chat: sanitised (escapes stripped, controls and
invisible characters shown), rendered in steps for the reply and its attachment, trimmed to an excerpt,
mentions neutralised. The bytes come from :class:`bot.sandbox.results.RunResult`.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass

from bot.textsafe import clean_terminal, neutralize_mentions, show_invisible


def sanitize(data: bytes) -> str:
    """Output bytes → text safe to show: ANSI stripped, bad UTF-8 as ``\\xNN``, NUL and controls
    as ␀-style pictures, invisible characters as ``<U+XXXX>``. Used for the attached file too."""
    return clean_terminal(data.decode("utf-8", errors="backslashreplace"))


CHUNK_BYTES = 64 * 1024
HEAD_CHARS = 8 * 1024  # sanitised characters kept as text for the message (it shows at most ~1800)
BINARY_SHARE = 0.05  # more undecodable bytes and control characters than this: not text
_CONTROLS = [chr(code) for code in [*range(0x00, 0x09), *range(0x0B, 0x0D), *range(0x0E, 0x1B), *range(0x1C, 0x20)]]


def looks_binary(data: bytes) -> bool:
    """Whether output is data rather than text: judged on its first 64 KiB (C-speed counts only)."""
    sample = data[:CHUNK_BYTES]
    if not sample:
        return False
    text = sample.decode("utf-8", errors="replace")
    odd = text.count("\ufffd") + sum(text.count(ch) for ch in _CONTROLS)
    return odd > max(8, len(sample) * BINARY_SHARE)


@dataclass(frozen=True, slots=True)
class Rendered:
    """Output made safe, in the shape a reply needs, without ever holding a second full-size copy as ``str``.

    ``head`` is the sanitised start (at least :data:`HEAD_CHARS` characters when there are that many);
    ``complete`` says whether it is all of it; ``lines`` counts the lines of the whole sanitised text;
    ``file`` is what to attach: the whole sanitised text as UTF-8, or for binary output the exact bytes.
    """

    head: str
    complete: bool
    lines: int
    file: bytes
    binary: bool


def render(data: bytes) -> Rendered:
    """:func:`sanitize` in 64 KiB steps. Sanitising a megabyte of random bytes in one go built several
    ``str`` copies of up to 4 bytes a character (tens of MiB); here only one chunk is text at a time."""
    if looks_binary(data):
        head = sanitize(data[: HEAD_CHARS // 2])
        return Rendered(head, len(data) <= HEAD_CHARS // 2, head.count("\n") + 1, data, True)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="backslashreplace")
    file = io.BytesIO()  # getvalue() hands over its buffer: no second full-size copy
    chunks = 0
    head_parts: list[str] = []
    head_size = 0
    newlines = trailing = 0
    content = False
    carry = ""
    for start in range(0, len(data), CHUNK_BYTES):
        last = start + CHUNK_BYTES >= len(data)
        text = carry + decoder.decode(data[start : start + CHUNK_BYTES], final=last)
        carry = ""
        if not last:
            # Hold back what may be cut in half: an escape sequence near the end, or a CR before an LF.
            cut = max(text.rfind("\x1b", len(text) - 64), text.rfind("\x9b", len(text) - 64))
            if cut < 0 and text.endswith("\r"):
                cut = len(text) - 1
            if cut >= 0:
                text, carry = text[:cut], text[cut:]
        chunk = clean_terminal(text)
        if head_size < HEAD_CHARS:
            head_parts.append(chunk)
            head_size += len(chunk)
        stripped = chunk.rstrip("\n")
        if stripped:
            content = True
            trailing = len(chunk) - len(stripped)
        else:
            trailing += len(chunk)
        newlines += chunk.count("\n")
        file.write(chunk.encode("utf-8", "surrogatepass"))
        chunks += 1
    if carry:  # pragma: no cover - the last chunk holds nothing back
        file.write(clean_terminal(carry).encode("utf-8", "surrogatepass"))
    head = "".join(head_parts)
    complete = chunks == len(head_parts)
    return Rendered(head, complete, newlines - trailing + 1 if content else 0, file.getvalue(), False)


def for_chat(text: str) -> str:
    """Sanitised text about to be shown in chat (short): mentions neutralised as well."""
    return neutralize_mentions(show_invisible(text))


@dataclass(frozen=True, slots=True)
class Excerpt:
    """What fits in the message: ``text``, and whether lines or characters were left out."""

    text: str
    trimmed: bool
    shown_lines: int


def excerpt(text: str, max_chars: int = 1800, max_lines: int = 30) -> Excerpt:
    """The first lines of ``text`` that fit in ``max_chars`` and ``max_lines``."""
    text = text.rstrip("\n")
    lines = text.split("\n") if text else []
    kept: list[str] = []
    size = 0
    for line in lines[:max_lines]:
        if size + len(line) + 1 > max_chars:
            room = max_chars - size - 1
            if room > 20 or not kept:
                kept.append(line[: max(room, 0)] + "…")
            break
        kept.append(line)
        size += len(line) + 1
    trimmed = len(kept) < len(lines) or "\n".join(kept) != text
    return Excerpt("\n".join(kept), trimmed, len(kept))
