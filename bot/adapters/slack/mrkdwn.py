"""Text in both directions: the core's light Markdown → Slack ``mrkdwn``, and Slack's encoded
message text → what the member typed.

Slack treats ``<…>`` as control sequences (``<!channel>``, ``<@U123>``, links), so every ``&``, ``<``
and ``>`` the bot writes is escaped; the only ``<…>`` in our output are links we build ourselves.
"""

from __future__ import annotations

import re

from bot.textsafe import neutralize_mentions

_FENCE = "```"
_INLINE_CODE = re.compile(r"(`[^`\n]+`)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]*?[^\s*])?\*(?![*\w])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_BOLD_MARK = "\x00"  # stands in for a finished bold marker while italics are converted


def escape(text: str) -> str:
    """Slack's own escaping: after this no ``<…>`` control sequence survives."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(part: str) -> str:
    """Convert bold, italic, strike-through and links in text that holds no inline code."""
    part = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1).replace('|', '¦')}>", part)
    part = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(1) or m.group(2)}{_BOLD_MARK}", part)
    part = _ITALIC.sub(lambda m: f"_{m.group(0)[1:-1]}_", part)
    part = _STRIKE.sub(lambda m: f"~{m.group(1)}~", part)
    return part.replace(_BOLD_MARK, "*")


def _line(line: str) -> str:
    """One escaped line outside fenced code; inline code spans are left as they are."""
    heading = _HEADING.match(line)
    if heading:
        line = f"**{heading.group(1)}**"
    line = _BULLET.sub(lambda m: f"{m.group(1)}• ", line, count=1)
    parts = _INLINE_CODE.split(line)
    return "".join(p if i % 2 else _inline(neutralize_mentions(p)) for i, p in enumerate(parts))


def to_mrkdwn(markdown: str) -> str:
    """One chunk from :func:`bot.render.split.split_blocks` as Slack mrkdwn.

    Everything is escaped, so no ``<!here>`` or ``<@U…>`` survives anywhere. Fenced and inline code
    keep their text otherwise; a fence's language hint is dropped because Slack would show it as
    the first line of code. Outside code, ``@here``-style words are neutralised as well.
    """
    out: list[str] = []
    in_code = False
    for raw in markdown.split("\n"):
        if raw.lstrip().startswith(_FENCE):
            in_code = not in_code
            out.append(_FENCE)
        elif in_code:
            out.append(escape(raw))
        else:
            out.append(_line(escape(raw)))
    return "\n".join(out)


# --- incoming ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"<([^<>\n]*)>")
_SPECIAL_WORDS = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def _control(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith(("@", "#")):  # <@U123>, <#C123|general>: the core reads these forms itself
        return match.group(0)
    if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^…|fallback>
        word = target[1:].split("^", 1)[0]
        return label or _SPECIAL_WORDS.get(word, "@" + word)
    return label or target  # links: what the member typed is the label (or the bare URL)


def from_slack(text: str) -> str:
    """Slack's encoded message text back to what the member typed: links, mentions, entities.

    ``<https://x.io|x.io>`` → ``x.io``, ``<!here>`` → ``@here``, ``&lt;`` → ``<``. Member and channel
    references (``<@U1>``, ``<#C1|general>``) stay as they are: ``!stats @member`` and quiz schedules
    parse them to ids (echoing them is safe, renderers escape them).
    """
    text = _CONTROL.sub(_control, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
