"""Reply → Slack Block Kit messages, within Slack's limits.

A reply becomes one or more messages: a header block for the title, ``mrkdwn`` sections of at
most 3000 characters (code fenced by :func:`bot.render.split.split_blocks`, so it cannot be broken
out of), a context block for the footer, and the choices as buttons (``action_id`` = the core's
action id, with ``ask:`` before it when the choice asks for text first, see
:mod:`bot.adapters.slack.modals`). Each message has at most 50 blocks and a plain ``text`` fallback for notifications.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.adapters.slack.modals import ASK, asks_text
from bot.adapters.slack.mrkdwn import escape, to_mrkdwn
from bot.render.plain import TONE_MARK
from bot.render.split import split_blocks
from bot.replies import Block, Choice, Reply
from bot.textsafe import neutralize_mentions

Json = dict[str, Any]

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
CONTEXT_TEXT_LIMIT = 2000
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
BUTTONS_PER_BLOCK = 25
CONTEXT_ELEMENTS = 10
MAX_BLOCKS = 50
# Slack accepts more, but a message this long is already a wall of text: split before it.
MESSAGE_TEXT_BUDGET = 12_000
FALLBACK_LIMIT = 300
_MIN_SPLIT = 600  # escaping grows text at most 5x (& → &amp;), so 600 always fits in 3000
_TONE_ROOM = 4  # the tone mark put before the first section when there is no title
BUTTON_STYLES = {"primary": "primary", "success": "primary", "danger": "danger"}
DISABLED_MARKS = {"success": "✅ ", "danger": "❌ "}


@dataclass
class SlackMessage:
    """The ``blocks`` and ``text`` of one chat.postMessage / chat.update call."""

    blocks: list[Json] = field(default_factory=list)
    text: str = ""

    def payload(self) -> Json:
        return {"blocks": self.blocks, "text": self.text}


T = TypeVar("T")


def batched(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip_mrkdwn(text: str, limit: int) -> str:
    """A short notification text; never ends inside an ``&amp;`` entity."""
    text = text.replace(_FENCE, "").strip()
    if len(text) <= limit:
        return text
    return re.sub(r"&[a-z]*$", "", text[: limit - 1]) + "…"


_FENCE = "```"


def body_sections(blocks: list[Block]) -> list[str]:
    """The reply body as mrkdwn section texts, each within :data:`SECTION_LIMIT`."""
    target = SECTION_LIMIT - _TONE_ROOM
    limit = target
    while True:
        sections = [to_mrkdwn(chunk) for chunk in split_blocks(blocks, limit)]
        longest = max((len(s) for s in sections), default=0)
        if longest <= target or limit <= _MIN_SPLIT:
            return sections
        limit = max(_MIN_SPLIT, limit * target // longest - 20)


def _section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(choice: Choice) -> Json:
    button: Json = {
        "type": "button",
        "text": {"type": "plain_text", "text": _clip(neutralize_mentions(choice.label), BUTTON_TEXT_LIMIT),
                 "emoji": True},
        "action_id": ASK + choice.action if asks_text(choice) else choice.action,
        "value": choice.action[:BUTTON_VALUE_LIMIT],
    }
    style = BUTTON_STYLES.get(choice.style)
    if style:
        button["style"] = style
    return button


def choice_blocks(choices: list[Choice]) -> list[Json]:
    """Buttons for open choices; closed ones (Slack has no disabled button) as a line of text."""
    blocks: list[Json] = []
    open_choices = [c for c in choices if not c.disabled]
    closed = [c for c in choices if c.disabled]
    for group in batched(open_choices, BUTTONS_PER_BLOCK):
        blocks.append({"type": "actions", "elements": [_button(c) for c in group]})
    for group in batched(closed, CONTEXT_ELEMENTS):
        elements = [
            {"type": "mrkdwn", "text": DISABLED_MARKS.get(c.style, "") + escape(neutralize_mentions(c.label))}
            for c in group
        ]
        blocks.append({"type": "context", "elements": elements})
    return blocks


def _parts(reply: Reply) -> tuple[list[Json], list[str], list[Json], str]:
    """(head blocks, body sections, tail blocks, title fallback) for ``reply``."""
    mark = TONE_MARK[reply.tone]
    head: list[Json] = []
    title_text = ""
    if reply.title:
        title_text = _clip(mark + neutralize_mentions(reply.title), HEADER_LIMIT)
        head.append({"type": "header", "text": {"type": "plain_text", "text": title_text, "emoji": True}})
    sections = body_sections(reply.blocks)
    if sections and not reply.title and mark:
        sections[0] = mark + sections[0]
    tail: list[Json] = []
    if reply.footer:
        footer = _clip(neutralize_mentions(reply.footer), CONTEXT_TEXT_LIMIT)
        tail.append({"type": "context", "elements": [{"type": "plain_text", "text": footer, "emoji": True}]})
    tail += choice_blocks(reply.choices)
    return head, sections, tail, escape(title_text)


def _fallback(title: str, sections: list[str]) -> str:
    first = _clip_mrkdwn(sections[0], FALLBACK_LIMIT) if sections else ""
    return "\n".join(p for p in (title, first) if p) or "…"


def render_messages(reply: Reply) -> list[SlackMessage]:
    """The messages for ``reply``, in order; the footer and buttons go on the last one.

    An empty list means there is nothing to post as a message (a reply with only attachments).
    """
    head, sections, tail, title = _parts(reply)
    if not head and not sections and not tail:
        return []
    messages: list[SlackMessage] = []
    blocks = list(head)
    size = 0
    texts: list[str] = []

    def flush() -> None:
        nonlocal blocks, size, texts
        fallback = _fallback(title if not messages else "", texts)
        messages.append(SlackMessage(blocks=blocks, text=fallback))
        blocks, size, texts = [], 0, []

    for text in sections:
        if texts and (len(blocks) + 1 > MAX_BLOCKS or size + len(text) > MESSAGE_TEXT_BUDGET):
            flush()
        blocks.append(_section(text))
        texts.append(text)
        size += len(text)
    tail = tail[:MAX_BLOCKS]
    if len(blocks) + len(tail) > MAX_BLOCKS:
        flush()
    blocks.extend(tail)
    flush()
    return messages


def render_edit(reply: Reply) -> SlackMessage:
    """One message replacing an earlier one (chat.update): the body is cut to fit, buttons kept."""
    head, sections, tail, title = _parts(reply)
    tail = tail[: MAX_BLOCKS - len(head) - 1]
    room = MAX_BLOCKS - len(head) - len(tail) - 1  # one block kept for the "…" that marks a cut
    kept: list[str] = []
    size = 0
    for text in sections:
        if len(kept) >= room or size + len(text) > MESSAGE_TEXT_BUDGET:
            kept.append("…")
            break
        kept.append(text)
        size += len(text)
    blocks = [*head, *(_section(t) for t in kept), *tail]
    return SlackMessage(blocks=blocks, text=_fallback(title, kept))
