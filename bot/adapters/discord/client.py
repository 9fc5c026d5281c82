"""The discord.py bot: loads the cogs, turns contexts into core invocations, answers errors in one place."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.buttons import ActionButton
from bot.adapters.discord.responders import (
    ChannelResponder,
    ContextResponder,
    InteractionResponder,
    MessageResponder,
)
from bot.adapters.discord.translations import KoreanDescriptions
from bot.context import Actor, Invocation, Place, Responder
from bot.core import Core
from bot.i18n import t
from bot.replies import Reply
from bot.textsafe import inline_code

log = logging.getLogger(__name__)

EXTENSIONS = ("cogs.explain", "cogs.meta", "cogs.run", "cogs.quiz")


def _is_manager(user: discord.abc.User) -> bool:
    permissions = getattr(user, "guild_permissions", None)
    return bool(permissions and (permissions.manage_guild or permissions.administrator))


class StudyBotMixin:
    """Shared by the plain and the auto-sharded bot."""

    core: Core

    def _init_study_bot(self, core: Core) -> dict[str, Any]:
        self.core = core
        intents = discord.Intents.default()
        intents.message_content = True
        return {
            "command_prefix": commands.when_mentioned_or(core.settings.prefix),
            "intents": intents,
            "help_command": None,
            "case_insensitive": True,
            "allowed_mentions": discord.AllowedMentions.none(),
        }

    # plain values for the core --------------------------------------------------------------------

    def _place(self, channel: Any, guild: discord.Guild | None) -> Place:
        return Place(
            platform="discord",
            channel_id=str(getattr(channel, "id", "")),
            channel_name=str(getattr(channel, "name", "") or "DM"),
            scope=str(guild.id) if guild else None,
        )

    def _invocation(self, user: discord.abc.User, place: Place, responder: Responder) -> Invocation:
        settings = self.core.settings
        actor = Actor(id=str(user.id), name=user.display_name, is_manager=_is_manager(user))
        return Invocation(actor=actor, place=place, responder=responder, lang=settings.lang, prefix=settings.prefix)

    def invocation(self, ctx: commands.Context[Any]) -> Invocation:
        return self._invocation(ctx.author, self._place(ctx.channel, ctx.guild), ContextResponder(ctx))

    def interaction_invocation(self, interaction: discord.Interaction) -> Invocation:
        return self._invocation(
            interaction.user, self._place(interaction.channel, interaction.guild), InteractionResponder(interaction)
        )

    async def run_core(self, ctx: commands.Context[Any], name: str, args: str) -> None:
        """Hand a prefix invocation's raw argument text to the core command of the same name."""
        await self.core.invoke(self.invocation(ctx), name, args)

    async def handle_action(self, interaction: discord.Interaction, action: str, text: str | None = None) -> None:
        await self.core.handle_action(self.interaction_invocation(interaction), action, text)
        if not interaction.response.is_done():
            await interaction.response.defer()

    async def check_channel(self, text: str, scope: str | None) -> str | None:
        """A text channel of guild ``scope`` named by id or name (``study``, ``#study``), as its id; or None."""
        guild = self.get_guild(int(scope)) if scope and scope.isdigit() else None  # type: ignore[attr-defined]
        if guild is None:
            return None
        wanted = text.lstrip("#")
        channel = guild.get_channel(int(wanted)) if wanted.isascii() and wanted.isdigit() else None
        if channel is None:
            channel = discord.utils.get(guild.text_channels, name=wanted)
        if not isinstance(channel, discord.TextChannel):
            return None
        if not channel.permissions_for(guild.me).send_messages:
            return None
        return str(channel.id)

    async def member_name(self, member_id: str, scope: str | None) -> str | None:
        """A member's display name in guild ``scope`` (``!stats <@123>``), or None when not known."""
        if not member_id.isascii() or not member_id.isdigit():
            return None
        guild = self.get_guild(int(scope)) if scope and scope.isdigit() else None  # type: ignore[attr-defined]
        if guild is None:
            return None
        member = guild.get_member(int(member_id))
        if member is None:  # not cached (no members intent): ask Discord
            try:
                member = await guild.fetch_member(int(member_id))
            except discord.HTTPException:
                return None
        return member.display_name

    async def open_channel(self, channel_id: str) -> Responder:
        channel = self.get_channel(int(channel_id)) or await self.fetch_channel(int(channel_id))  # type: ignore[attr-defined]
        return ChannelResponder(channel)  # type: ignore[arg-type]

    # discord.py hooks -------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)  # type: ignore[attr-defined]
        self.add_dynamic_items(ActionButton)  # type: ignore[attr-defined]
        self.core.channels["discord"] = self.open_channel
        self.core.channel_checks["discord"] = self.check_channel
        self.core.member_names["discord"] = self.member_name
        self.tree.on_error = self.on_app_command_error  # type: ignore[attr-defined]
        await self.tree.set_translator(KoreanDescriptions())  # type: ignore[attr-defined]
        settings = self.core.settings
        if settings.discord.sync_commands:
            if settings.discord.dev_guild_id:
                guild = discord.Object(id=settings.discord.dev_guild_id)
                self.tree.copy_global_to(guild=guild)  # type: ignore[attr-defined]
                await self.tree.sync(guild=guild)  # type: ignore[attr-defined]
            else:
                await self.tree.sync()  # type: ignore[attr-defined]

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        ctx = await self.get_context(message)  # type: ignore[attr-defined]
        if ctx.prefix is not None:
            await self.invoke(ctx)  # type: ignore[attr-defined]
            return
        inv = self._invocation(message.author, self._place(message.channel, message.guild), MessageResponder(message))
        for listener in self.core.listeners:
            if await listener(inv, message.content):
                return

    async def on_command_error(self, ctx: commands.Context[Any], error: commands.CommandError) -> None:
        """The one place where discord.py's command errors become friendly replies."""
        inv = self.invocation(ctx)
        if isinstance(error, commands.CommandNotFound):
            name = (ctx.invoked_with or "").strip()
            if not name:
                return
            reply = self.core.unknown_command_reply(inv, name)
        elif isinstance(error, commands.MissingRequiredArgument | commands.BadArgument | commands.UserInputError):
            command = self.core.find(ctx.command.name) if ctx.command else None
            usage = self.core.usage_line(inv, command) if command else f"{inv.prefix}help"
            if isinstance(error, commands.MissingRequiredArgument):
                text = t(inv.lang, "error.missing_argument", argument=error.param.name, usage=usage)
            else:
                argument = ctx.current_argument or ctx.current_parameter.name if ctx.current_parameter else "?"
                problem = t(inv.lang, "error.bad_value", argument=inline_code(str(argument), 40))
                text = t(inv.lang, "error.bad_argument", problem=problem, usage=usage)
            reply = Reply.error(text)
        elif isinstance(error, commands.CommandOnCooldown):
            reply = Reply.error(t(inv.lang, "error.cooldown", seconds=error.retry_after))
        elif isinstance(error, commands.CheckFailure):
            name = ctx.command.name if ctx.command else "?"
            reply = Reply.error(t(inv.lang, "error.managers_only", prefix=inv.prefix, name=name))
        else:
            original = getattr(error, "original", error)
            log.error("command %s failed", ctx.command, exc_info=original)
            name = ctx.command.name if ctx.command else "?"
            reply = Reply.error(t(inv.lang, "error.internal", prefix=inv.prefix, name=name))
        await inv.responder.send(reply)

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        inv = self.interaction_invocation(interaction)
        name = interaction.command.name if interaction.command else "?"
        if isinstance(error, app_commands.CommandOnCooldown):
            reply = Reply.error(t(inv.lang, "error.cooldown", seconds=error.retry_after), ephemeral=True)
        else:
            log.error("slash command %s failed", name, exc_info=getattr(error, "original", error))
            reply = Reply.error(t(inv.lang, "error.internal", prefix="/", name=name), ephemeral=True)
        await inv.responder.send(reply)


class StudyBot(StudyBotMixin, commands.Bot):
    def __init__(self, core: Core, **options: Any) -> None:
        super().__init__(**{**self._init_study_bot(core), **options})


class ShardedStudyBot(StudyBotMixin, commands.AutoShardedBot):
    def __init__(self, core: Core, **options: Any) -> None:
        super().__init__(**{**self._init_study_bot(core), **options})
