"""Plain reply objects: what the core says, before any adapter renders it.

The core never imports discord or slack. A command returns (or sends through a
:class:`~bot.context.Responder`) these objects; the Discord adapter turns them into
embeds and buttons, the Slack adapter into Block Kit, the console into plain text.
Text inside a reply is light Markdown (``**bold**``, ``*italic*``, `` `code` ``);
:class:`Code` blocks hold verbatim text that renderers must fence safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Tone(StrEnum):
    """How a reply should look: colour in Discord, an emoji in plain text."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph of light Markdown. Lines are kept; renderers may split between them."""

    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """Verbatim text shown in a code block. ``lang`` is a highlighting hint only."""

    text: str
    lang: str = ""


Block = Text | Code


@dataclass(frozen=True, slots=True)
class Choice:
    """A button (Discord, Slack) or a numbered choice (console).

    ``action`` is a stable id the core understands when the choice is picked,
    for example ``quiz:a:<question instance>:<index>`` (see :mod:`bot.quiz.actions`). It must fit Discord's
    100-character ``custom_id`` and Slack's 255-character ``action_id``.
    """

    label: str
    action: str
    style: str = "secondary"  # primary | secondary | success | danger
    disabled: bool = False
    # When set, picking the choice asks for free text first (a Discord modal); this is the text box's label.
    # The text reaches the action handler as its third argument.
    text_input: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent along with the reply (full sandbox output, for example)."""

    filename: str
    data: bytes


@dataclass(slots=True)
class Reply:
    """One message from the bot.

    ``title`` and ``footer`` are plain text (no Markdown). ``ephemeral`` asks the
    adapter to show it only to the person who asked (interaction ephemeral in
    Discord, ``chat.postEphemeral`` in Slack); adapters without that notion send
    it normally.
    """

    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    tone: Tone = Tone.INFO
    footer: str | None = None
    choices: list[Choice] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    ephemeral: bool = False

    @classmethod
    def text(cls, text: str, *, tone: Tone = Tone.INFO, title: str | None = None) -> Reply:
        return cls(blocks=[Text(text)], tone=tone, title=title)

    @classmethod
    def error(cls, text: str, *, title: str | None = None, ephemeral: bool = False) -> Reply:
        return cls(blocks=[Text(text)], tone=Tone.ERROR, title=title, ephemeral=ephemeral)

    def plain_text(self) -> str:
        """The reply as plain text, code blocks fenced: used by the console and by tests."""
        from bot.render.plain import render_plain  # local import: render depends on replies

        return render_plain(self)
