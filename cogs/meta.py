"""``/help``: the core's help, so every platform shows the same text."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.adapters.discord.slash import command_texts, option_texts
from bot.help.command import SPEC


class MetaCog(commands.Cog, name="Meta"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(**command_texts(SPEC))
    @app_commands.describe(**option_texts(SPEC))
    async def help(self, interaction: discord.Interaction, command: str = "") -> None:
        await self.bot.slash(interaction, SPEC.name, command)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(MetaCog(bot))
