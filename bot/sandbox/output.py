"""Container output: kept up to a byte cap while it streams, then made safe and short enough for chat.

The cap is what keeps the bot's memory flat when a run floods its output: bytes past it are
never stored (the runner stops the container once the cap is reached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.textsafe import neutralize_mentions, show_invisible

# CSI (ESC [ … final), OSC (ESC ] … BEL or ST), other two-byte escapes, and 8-bit CSI.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)

def _visible_table() -> dict[int, str]:
    """One translation table for every character made visible, so a flood of them costs one pass
    (a regex callback per character would build a Python object per character)."""
    table: dict[int, str] = {}
    for code in [*range(0x00, 0x09), *range(0x0B, 0x20)]:
        table[code] = chr(0x2400 + code)  # control pictures: ␀ ␇ ␛ …
    table[0x7F] = "␡"
    hidden = [
        *range(0x80, 0xA0),  # C1 controls
        0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E,
        *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x206A),
        0x2028, 0x2029, 0x3164, 0xFEFF, 0xFFA0,
    ]  # zero-width, bidi controls (as in bot.textsafe), fillers and separators
    for code in hidden:
        table[code] = f"<U+{code:04X}>"
    return table


_VISIBLE = _visible_table()

NO_OUTPUT = "[no output]"


class OutputBuffer:
    """Bytes from a run, kept up to ``cap``; :attr:`truncated` tells whether more came."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._data = bytearray()
        self.truncated = False

    def feed(self, chunk: bytes) -> bool:
        """Keep what fits; return True once the cap has been reached (the run should stop)."""
        room = self.cap - len(self._data)
        if len(chunk) > room:
            self._data += chunk[:room]
            self.truncated = True
        else:
            self._data += chunk
        return self.truncated

    @property
    def data(self) -> bytes:
        return bytes(self._data)

    def __len__(self) -> int:
        return len(self._data)


def sanitize(data: bytes) -> str:
    """Output bytes → text safe to show: ANSI stripped, bad UTF-8 as ``\\xNN``, NUL and controls
    as ␀-style pictures, invisible characters as ``<U+XXXX>``. Used for the attached file too."""
    text = data.decode("utf-8", errors="backslashreplace")
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_VISIBLE)


def for_chat(text: str) -> str:
    """Sanitised text about to be shown in chat (short): mentions neutralised as well."""
    return neutralize_mentions(show_invisible(text))


@dataclass(frozen=True, slots=True)
class Excerpt:
    """What fits in the message: ``text``, and whether lines or characters were left out."""

    text: str
    trimmed: bool
    shown_lines: int
    total_lines: int


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
    return Excerpt("\n".join(kept), trimmed, len(kept), len(lines))
