"""``/run``: glue to :mod:`bot.run.command` (the core parses and checks everything)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.adapters.discord.slash import command_texts, option_texts
from bot.run.command import SPEC, run_command


class RunCog(commands.Cog, name="Run"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(**command_texts(SPEC))
    @app_commands.describe(**option_texts(SPEC))
    async def run(self, interaction: discord.Interaction, image: str = "", command: str = "") -> None:
        await self.bot.slash_with(interaction, SPEC.name, run_command, image, command)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(RunCog(bot))
