"""Responders over discord.py: answer a command context, a plain message, a button click, or post into a
channel. Each sends a :class:`~bot.replies.Reply` as one or more messages (see :mod:`.render`)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

import discord
from discord.ext import commands

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


class ContextResponder(_Editing):
    """Answers a prefix or slash invocation of a hybrid command (``ctx.send`` handles both)."""

    def __init__(self, ctx: commands.Context[Any]) -> None:
        self.ctx = ctx

    async def send(self, reply: Reply) -> discord.Message | None:
        if self.ctx.interaction is not None:
            async def send_ephemeral(**kwargs: Any) -> Any:
                return await self.ctx.send(ephemeral=reply.ephemeral, **kwargs)

            return await send_all(send_ephemeral, reply)
        if reply.ephemeral:
            return await send_privately(self.ctx.message, reply)
        return await send_all(self.ctx.send, reply, reference=self.ctx.message)

    def typing(self) -> AbstractAsyncContextManager[None]:
        return self.ctx.typing()  # defers the interaction for slash commands


class MessageResponder(_Editing):
    """Answers a plain message (a typed quiz answer): public replies quote it, private ones become a reaction,
    since a bot cannot whisper in a channel and a DM per answer would be noise."""

    def __init__(self, message: discord.Message) -> None:
        self.message = message

    async def send(self, reply: Reply) -> discord.Message | None:
        if reply.ephemeral:
            emoji = "⚠️" if reply.tone in (Tone.ERROR, Tone.WARNING) else "📝"
            with contextlib.suppress(discord.HTTPException):
                await self.message.add_reaction(emoji)
            return None
        return await send_all(self.message.channel.send, reply, reference=self.message)

    def typing(self) -> AbstractAsyncContextManager[None]:
        return self.message.channel.typing()


class InteractionResponder(_Editing):
    """Answers a component interaction (a button click or a modal submit)."""

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
        return nullcontext()


class ChannelResponder(_Editing):
    """Posts into a channel with no message to reply to (scheduled quizzes)."""

    def __init__(self, channel: discord.abc.Messageable) -> None:
        self.channel = channel

    async def send(self, reply: Reply) -> discord.Message:
        return await send_all(self.channel.send, reply)

    def typing(self) -> AbstractAsyncContextManager[None]:
        return self.channel.typing()
