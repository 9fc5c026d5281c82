"""``/docker``: glue to :mod:`bot.lab.command` (the core reads the words, as for ``!docker``)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.adapters.discord.slash import command_texts, option_texts
from bot.lab.command import SPEC


class DockerCog(commands.Cog, name="Docker"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(**command_texts(SPEC))
    @app_commands.describe(**option_texts(SPEC))
    async def docker(self, interaction: discord.Interaction, command: str = "") -> None:
        await self.bot.slash(interaction, SPEC.name, command)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(DockerCog(bot))
