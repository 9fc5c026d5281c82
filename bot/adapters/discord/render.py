"""Reply → discord.py message arguments: embeds, buttons, files; split to Discord's limits."""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.render.split import split_blocks
from bot.replies import Reply, Tone

EMBED_DESCRIPTION_LIMIT = 4096
EMBED_TITLE_LIMIT = 256
EMBED_FOOTER_LIMIT = 2048
BUTTON_LABEL_LIMIT = 80
BUTTONS_PER_ROW = 5

COLOURS = {
    Tone.INFO: discord.Colour.blurple(),
    Tone.SUCCESS: discord.Colour.green(),
    Tone.WARNING: discord.Colour.gold(),
    Tone.ERROR: discord.Colour.red(),
}
STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}
NO_MENTIONS = discord.AllowedMentions.none()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_view(reply: Reply) -> discord.ui.View | None:
    """Buttons whose ``custom_id`` is the choice's action; clicks are handled by :mod:`.buttons`."""
    if not reply.choices:
        return None
    from bot.adapters.discord.buttons import ActionButton

    view = discord.ui.View(timeout=None)
    for index, choice in enumerate(reply.choices[:25]):
        view.add_item(
            ActionButton(
                choice.action,
                label=_clip(choice.label, BUTTON_LABEL_LIMIT),
                style=STYLES.get(choice.style, discord.ButtonStyle.secondary),
                disabled=choice.disabled,
                row=index // BUTTONS_PER_ROW,
                text_input=choice.text_input,
            )
        )
    return view


def render_messages(reply: Reply) -> list[dict[str, Any]]:
    """The keyword arguments for each ``send``: one embed per message, buttons and files on the last."""
    chunks = split_blocks(reply.blocks, EMBED_DESCRIPTION_LIMIT) or [""]
    messages: list[dict[str, Any]] = []
    for index, chunk in enumerate(chunks):
        embed = discord.Embed(description=chunk or None, colour=COLOURS[reply.tone])
        if index == 0 and reply.title:
            embed.title = _clip(reply.title, EMBED_TITLE_LIMIT)
        last = index == len(chunks) - 1
        if last and reply.footer:
            embed.set_footer(text=_clip(reply.footer, EMBED_FOOTER_LIMIT))
        kwargs: dict[str, Any] = {"embed": embed, "allowed_mentions": NO_MENTIONS}
        if last:
            view = build_view(reply)
            if view is not None:
                kwargs["view"] = view
            if reply.attachments:
                kwargs["files"] = [discord.File(io.BytesIO(a.data), filename=a.filename) for a in reply.attachments]
        messages.append(kwargs)
    return messages


def render_edit(reply: Reply) -> dict[str, Any]:
    """Arguments for ``Message.edit``: the first chunk only (edits replace one message)."""
    kwargs = render_messages(reply)[0]
    kwargs.pop("files", None)
    kwargs.setdefault("view", build_view(reply))
    return kwargs
