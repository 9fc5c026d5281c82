"""``/explain`` and ``/reindex``: glue to :mod:`bot.explain.command`."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.adapters.discord.slash import command_texts, option_texts
from bot.explain.command import REINDEX_SPEC, SPEC, explain


class ExplainCog(commands.Cog, name="Explain"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(**command_texts(SPEC))
    @app_commands.describe(**option_texts(SPEC))
    async def explain(self, interaction: discord.Interaction, query: str = "", verbose: bool = False) -> None:
        await self.bot.slash_with(interaction, SPEC.name, explain, query, verbose)

    @app_commands.command(**command_texts(REINDEX_SPEC))
    async def reindex(self, interaction: discord.Interaction) -> None:
        await self.bot.slash(interaction, REINDEX_SPEC.name, "")


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ExplainCog(bot))
