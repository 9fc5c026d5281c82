"""Responders over discord.py: answer a command context, a button click, or post into a channel."""

from __future__ import annotations

import contextlib
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

import discord
from discord.ext import commands

from bot.adapters.discord.render import render_edit, render_messages
from bot.replies import Reply, Tone


class ContextResponder:
    """Answers a prefix or slash invocation of a hybrid command (``ctx.send`` handles both)."""

    def __init__(self, ctx: commands.Context[Any]) -> None:
        self.ctx = ctx

    async def send(self, reply: Reply) -> discord.Message | None:
        if reply.ephemeral and self.ctx.interaction is None:
            return await send_privately(self.ctx.message, reply)
        message: discord.Message | None = None
        for index, kwargs in enumerate(render_messages(reply)):
            if self.ctx.interaction is not None:
                message = await self.ctx.send(ephemeral=reply.ephemeral, **kwargs)
            else:
                if index == 0:
                    kwargs.update(reference=self.ctx.message, mention_author=False)
                message = await self.ctx.send(**kwargs)
        return message

    async def edit(self, ref: Any, reply: Reply) -> None:
        if ref is not None:
            await ref.edit(**render_edit(reply))

    def typing(self) -> AbstractAsyncContextManager[None]:
        return self.ctx.typing()  # defers the interaction for slash commands


async def send_privately(message: discord.Message, reply: Reply) -> discord.Message | None:
    """A private reply to a prefix command: by DM, with a 📬 reaction on the command; in the channel if DMs
    are closed (Discord has no ephemeral messages outside interactions)."""
    sent: discord.Message | None = None
    try:
        for kwargs in render_messages(reply):
            sent = await message.author.send(**kwargs)
    except discord.Forbidden:
        for index, kwargs in enumerate(render_messages(reply)):
            if index == 0:
                kwargs.update(reference=message, mention_author=False)
            sent = await message.channel.send(**kwargs)
        return sent
    if message.guild is not None:
        with contextlib.suppress(discord.HTTPException):
            await message.add_reaction("📬")
    return sent


class MessageResponder:
    """Answers a plain message (a typed quiz answer): public replies quote it, private ones become a reaction,
    since a bot cannot whisper in a channel and a DM per answer would be noise."""

    def __init__(self, message: discord.Message) -> None:
        self.message = message

    async def send(self, reply: Reply) -> discord.Message | None:
        if reply.ephemeral:
            emoji = "⚠️" if reply.tone is Tone.ERROR or reply.tone is Tone.WARNING else "📝"
            with contextlib.suppress(discord.HTTPException):
                await self.message.add_reaction(emoji)
            return None
        sent: discord.Message | None = None
        for index, kwargs in enumerate(render_messages(reply)):
            if index == 0:
                kwargs.update(reference=self.message, mention_author=False)
            sent = await self.message.channel.send(**kwargs)
        return sent

    async def edit(self, ref: Any, reply: Reply) -> None:
        if ref is not None:
            await ref.edit(**render_edit(reply))

    def typing(self) -> AbstractAsyncContextManager[None]:
        return self.message.channel.typing()


class InteractionResponder:
    """Answers a component interaction (a button click or a modal submit)."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction

    async def send(self, reply: Reply) -> discord.Message | None:
        message: discord.Message | None = None
        for kwargs in render_messages(reply):
            if not self.interaction.response.is_done():
                kwargs = {k: v for k, v in kwargs.items() if v is not None}
                await self.interaction.response.send_message(ephemeral=reply.ephemeral, **kwargs)
            else:
                message = await self.interaction.followup.send(ephemeral=reply.ephemeral, wait=True, **kwargs)
        return message

    async def edit(self, ref: Any, reply: Reply) -> None:
        if ref is not None:
            await ref.edit(**render_edit(reply))

    def typing(self) -> AbstractAsyncContextManager[None]:
        return nullcontext()


class ChannelResponder:
    """Posts into a channel with no message to reply to (scheduled quizzes)."""

    def __init__(self, channel: discord.abc.Messageable) -> None:
        self.channel = channel

    async def send(self, reply: Reply) -> discord.Message:
        message: discord.Message | None = None
        for kwargs in render_messages(reply):
            message = await self.channel.send(**kwargs)
        assert message is not None
        return message

    async def edit(self, ref: Any, reply: Reply) -> None:
        if ref is not None:
            await ref.edit(**render_edit(reply))

    def typing(self) -> AbstractAsyncContextManager[None]:
        return self.channel.typing()
