"""The discord.py bot: messages go to ``core.handle_message`` as on Slack and the console; the cogs add the
slash commands, each one core call; button clicks go to ``core.handle_action``."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.buttons import ActionButton
from bot.adapters.discord.responders import ChannelResponder, InteractionResponder, MessageResponder
from bot.adapters.discord.slash import SpecTranslator
from bot.context import Actor, Invocation, Place, Responder
from bot.core import Core
from bot.i18n import t
from bot.replies import Reply
from bot.textsafe import inline_code

log = logging.getLogger(__name__)

EXTENSIONS = ("cogs.explain", "cogs.meta", "cogs.run", "cogs.docker", "cogs.quiz")


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
            # discord.py's prefix commands are not used (on_message hands every message to the core), but
            # commands.Bot wants a prefix; the cogs and the command tree are what it is here for.
            "command_prefix": commands.when_mentioned,
            "intents": intents,
            "help_command": None,
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

    def interaction_invocation(self, interaction: discord.Interaction) -> Invocation:
        return self._invocation(
            interaction.user, self._place(interaction.channel, interaction.guild), InteractionResponder(interaction)
        )

    async def slash(self, interaction: discord.Interaction, name: str, args: str) -> None:
        """A slash command whose options are the command's raw argument text (``/quiz 3 images``)."""
        await self.core.invoke(self.interaction_invocation(interaction), name, args)

    async def slash_with(self, interaction: discord.Interaction, name: str, function: Any, *values: Any) -> None:
        """A slash command with typed options, through the feature's structured form (``core.invoke_with``)."""
        await self.core.invoke_with(self.interaction_invocation(interaction), name, function, *values)

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
        await self.tree.set_translator(SpecTranslator())  # type: ignore[attr-defined]
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
        text = self._mention_as_prefix(message.content)
        is_command = self.core.parse(text) is not None
        responder = MessageResponder(message, is_command=is_command)
        inv = self._invocation(message.author, self._place(message.channel, message.guild), responder)
        await self.core.handle_message(inv, text)

    def _mention_as_prefix(self, text: str) -> str:
        """``@studybot explain run`` works like ``!explain run``."""
        user = self.user  # type: ignore[attr-defined]
        if user is None:
            return text
        return re.sub(rf"^\s*<@!?{user.id}>\s*", lambda _: self.core.settings.prefix, text, count=1)

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """The core answers every failure of a command; what reaches here failed in discord.py's part: an
        option it could not convert (a member who left), or the glue itself."""
        inv = self.interaction_invocation(interaction)
        name = interaction.command.name if interaction.command else "?"
        command = self.core.find(name)
        if isinstance(error, app_commands.TransformerError) and command is not None:
            problem = t(inv.lang, "error.bad_value", argument=inline_code(str(error.value), 40))
            usage = self.core.usage_line(inv, command)
            reply = Reply.error(t(inv.lang, "error.bad_argument", problem=problem, usage=usage), ephemeral=True)
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
