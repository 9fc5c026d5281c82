"""Responders over discord.py: answer a message, an interaction (slash command, button, modal), or post into a
channel. Each sends a :class:`~bot.replies.Reply` as one or more messages (see :mod:`.render`)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

import discord

from bot.adapters.discord.render import render_edit, render_messages
from bot.replies import Reply, Tone

Send = Callable[..., Awaitable[Any]]


async def send_all(send: Send, reply: Reply, *, reference: discord.Message | None = None) -> Any:
    """Send every message of ``reply`` through ``send``; the first one quotes ``reference``. Returns the last."""
    sent: Any = None
    for index, kwargs in enumerate(render_messages(reply)):
        if index == 0 and reference is not None:
            kwargs.update(reference=reference, mention_author=False)
        sent = await send(**kwargs)
    return sent


async def send_privately(message: discord.Message, reply: Reply) -> discord.Message | None:
    """A private reply to a prefix command: by DM, with a 📬 reaction on the command; in the channel if DMs
    are closed (Discord has no ephemeral messages outside interactions)."""
    try:
        sent = await send_all(message.author.send, reply)
    except discord.Forbidden:
        return await send_all(message.channel.send, reply, reference=message)
    if message.guild is not None:
        with contextlib.suppress(discord.HTTPException):
            await message.add_reaction("📬")
    return sent


class _Editing:
    """Edits replace a message the responder sent earlier (progress notices, closed quiz buttons)."""

    async def edit(self, ref: Any, reply: Reply) -> None:
        if ref is not None:
            await ref.edit(**render_edit(reply))


class MessageResponder(_Editing):
    """Answers a chat message. Public replies quote it. A private reply to a command goes by DM (with a 📬
    reaction on the command); to a plain message (a typed quiz answer) it becomes a reaction, since a bot
    cannot whisper in a channel and a DM per answer would be noise."""

    def __init__(self, message: discord.Message, *, is_command: bool) -> None:
        self.message = message
        self.is_command = is_command

    async def send(self, reply: Reply) -> discord.Message | None:
        if reply.ephemeral and self.is_command:
            return await send_privately(self.message, reply)
        if reply.ephemeral:
            emoji = "⚠️" if reply.tone in (Tone.ERROR, Tone.WARNING) else "📝"
            with contextlib.suppress(discord.HTTPException):
                await self.message.add_reaction(emoji)
            return None
        return await send_all(self.message.channel.send, reply, reference=self.message)

    def typing(self) -> AbstractAsyncContextManager[None]:
        return self.message.channel.typing()


class InteractionResponder(_Editing):
    """Answers an interaction: a slash command, a button click or a modal submit. Its first reply answers
    the interaction, later ones follow up."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction

    async def send(self, reply: Reply) -> discord.Message | None:
        async def respond(**kwargs: Any) -> Any:
            if not self.interaction.response.is_done():
                kwargs = {k: v for k, v in kwargs.items() if v is not None}
                await self.interaction.response.send_message(ephemeral=reply.ephemeral, **kwargs)
                return None
            return await self.interaction.followup.send(ephemeral=reply.ephemeral, wait=True, **kwargs)

        return await send_all(respond, reply)

    def typing(self) -> AbstractAsyncContextManager[None]:
        if self.interaction.type is discord.InteractionType.application_command:
            return _Thinking(self.interaction)
        return nullcontext()  # a click answers within Discord's 3 s or is deferred after the core call


class _Thinking:
    """Defers a slash command ("thinking…") before slow work such as a run, which can outlast Discord's 3 s."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction

    async def __aenter__(self) -> None:
        if not self.interaction.response.is_done():
            await self.interaction.response.defer(thinking=True)

    async def __aexit__(self, *exc: object) -> None:
        return None


class ChannelResponder(_Editing):
    """Posts into a channel with no message to reply to (scheduled quizzes)."""

    def __init__(self, channel: discord.abc.Messageable) -> None:
        self.channel = channel

    async def send(self, reply: Reply) -> discord.Message:
        return await send_all(self.channel.send, reply)

    def typing(self) -> AbstractAsyncContextManager[None]:
        return self.channel.typing()
