"""Making untrusted text safe to echo: mentions, code fences, invisible characters.

Used by every renderer. The adapters also disable mentions at the API level
(``allowed_mentions`` in Discord); neutralising the text as well means a copy
pasted elsewhere cannot ping anyone either.
"""

from __future__ import annotations

import re
import unicodedata

ZWSP = "\u200b"

# Zero-width and bidirectional control characters: invisible, and able to reorder or hide text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e]")
# Zero-width spaces that neutralize_mentions inserts (after "@", and after "<" before "!"/"@") stay invisible.
_SHOWN_INVISIBLE = re.compile("(?!(?<=@)\u200b|(?<=<)\u200b(?=[!@]))" + _INVISIBLE.pattern)
_MENTION = re.compile(r"@(?=\S)")
_SLACK_SPECIAL = re.compile(r"<([!@])")
_FENCE_RUN = re.compile(r"`{3,}")
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


def strip_invisible(text: str) -> str:
    """Drop zero-width and bidi control characters (for user queries)."""
    return _INVISIBLE.sub("", text)


def show_invisible(text: str) -> str:
    """Replace zero-width and bidi controls with a visible ``<U+202E>`` marker (for echoed output).

    Zero-width spaces that :func:`neutralize_mentions` inserted (``@​everyone``, ``<​@123>``) are left alone.
    """
    return _SHOWN_INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def neutralize_mentions(text: str) -> str:
    """``@everyone``, ``@here``, ``<@123>``, ``<!channel>``: none of them can ping once this is applied."""
    text = _MENTION.sub("@" + ZWSP, text)
    return _SLACK_SPECIAL.sub(lambda m: "<" + ZWSP + m.group(1), text)


def inline_code(text: str, limit: int = 80) -> str:
    """User text shown inside single backticks: one line, no backticks, clipped."""
    one_line = " ".join(strip_invisible(text).replace("`", "ˋ").split())
    if len(one_line) > limit:
        one_line = one_line[: limit - 1] + "…"
    return neutralize_mentions(one_line) or " "


def fence_safe(text: str) -> str:
    """Text that can sit inside a ``` fence without closing it, with invisible characters shown."""
    text = show_invisible(text)
    return _FENCE_RUN.sub(lambda m: ZWSP.join(m.group()), text)


def ascii_int(text: str, max_digits: int = 9) -> int | None:
    """``text`` as a number when it is 1 to ``max_digits`` ASCII digits, else None.

    ``str.isdigit`` is also true for ``²``, ``①`` and ``٣`` (and ``int("²")`` raises); counts, ids and
    choice numbers typed in chat are ASCII digits only, and short enough to fit a database integer.
    """
    if 0 < len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None


def clean_input(text: str) -> str:
    """Text from a member as a valid string: bytes that were not UTF-8 (lone surrogates from
    ``surrogateescape`` or a JSON ``\\ud800``) become U+FFFD, and CR / CRLF line ends become LF."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        if all(not 0xD800 <= ord(ch) <= 0xDFFF or 0xDC80 <= ord(ch) <= 0xDCFF for ch in text):
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # undecodable input bytes
        else:
            text = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_meaningful(text: str) -> bool:
    """True if ``text`` has at least one letter, digit or symbol that is not punctuation or space."""
    return any(unicodedata.category(ch)[0] in "LNS" for ch in text)


def clean_terminal(text: str) -> str:
    """Program output as text safe to show: ANSI escapes stripped, CR / CRLF as LF, NUL and other controls
    as ␀-style pictures, invisible characters as ``<U+XXXX>``."""
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_VISIBLE)
