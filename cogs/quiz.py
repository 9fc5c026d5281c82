"""``/quiz``, ``/stats``, ``/leaderboard``, ``/review``: glue to :mod:`bot.quiz.command`.

Buttons and the answer text box are handled for every feature by :mod:`bot.adapters.discord.buttons`;
typed answers reach the core's listeners through the bot's ``on_message``.
"""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.adapters.discord.slash import command_texts, option_texts
from bot.quiz.command import LEADERBOARD_SPEC, QUIZ_SPEC, REVIEW_SPEC, STATS_SPEC, stats_for


class QuizCog(commands.Cog, name="Quiz"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(**command_texts(QUIZ_SPEC))
    @app_commands.describe(**option_texts(QUIZ_SPEC))
    async def quiz(self, interaction: discord.Interaction, options: str = "") -> None:
        await self.bot.slash(interaction, QUIZ_SPEC.name, options)

    # `!stats` reads its text like every platform (a mention, or a name the quiz has seen); `/stats` offers
    # Discord's member picker.
    @app_commands.command(**command_texts(STATS_SPEC))
    @app_commands.describe(**option_texts(STATS_SPEC))
    async def stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        await self.bot.slash_with(
            interaction, STATS_SPEC.name, stats_for,
            str(member.id) if member else None, member.display_name if member else None,
        )

    @app_commands.command(**command_texts(LEADERBOARD_SPEC))
    @app_commands.describe(**option_texts(LEADERBOARD_SPEC))
    async def leaderboard(self, interaction: discord.Interaction, period: Literal["week", "all"] | None = None) -> None:
        await self.bot.slash(interaction, LEADERBOARD_SPEC.name, period or "")

    @app_commands.command(**command_texts(REVIEW_SPEC))
    async def review(self, interaction: discord.Interaction) -> None:
        await self.bot.slash(interaction, REVIEW_SPEC.name, "")


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(QuizCog(bot))
