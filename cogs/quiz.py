"""``!quiz``, ``!stats``, ``!leaderboard``, ``!review`` and their slash forms: glue to :mod:`bot.quiz.command`.

Buttons and the answer text box are handled for every feature by :mod:`bot.adapters.discord.buttons`;
typed answers reach the core through the bot's ``on_message`` listener path.
"""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.quiz.command import LEADERBOARD_SPEC, QUIZ_SPEC, REVIEW_SPEC, STATS_SPEC, stats_for


class QuizCog(commands.Cog, name="Quiz"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @commands.hybrid_command(
        name=QUIZ_SPEC.name, aliases=list(QUIZ_SPEC.aliases), description="Start a quiz round, or manage quizzes"
    )
    @app_commands.describe(
        options="e.g. `5 images`, `stop`, `topics`, `hint`, `schedule #study daily 09:00 Asia/Seoul mon-fri 3`"
    )
    async def quiz(self, ctx: commands.Context[StudyBot], *, options: str = "") -> None:
        await self.bot.run_core(ctx, "quiz", options)

    # `!stats` reads its text like every platform (a mention, or a name the quiz has seen); `/stats` offers
    # Discord's member picker.
    @commands.command(
        name=STATS_SPEC.name, aliases=list(STATS_SPEC.aliases), description="Quiz stats for you or another member"
    )
    async def stats(self, ctx: commands.Context[StudyBot], *, member: str = "") -> None:
        await self.bot.run_core(ctx, "stats", member)

    @app_commands.command(name=STATS_SPEC.name, description="Quiz stats for you or another member")
    @app_commands.describe(member="Whose stats (default: yours)")
    async def stats_slash(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        inv = self.bot.interaction_invocation(interaction)
        await self.bot.core.invoke_with(
            inv, "stats", stats_for, str(member.id) if member else None, member.display_name if member else None
        )

    @commands.hybrid_command(
        name=LEADERBOARD_SPEC.name, aliases=list(LEADERBOARD_SPEC.aliases), description="Top quiz scores"
    )
    @app_commands.describe(period="This week or all time")
    async def leaderboard(
        self, ctx: commands.Context[StudyBot], period: Literal["week", "all"] | None = None
    ) -> None:
        await self.bot.run_core(ctx, "leaderboard", period or "")

    @commands.hybrid_command(
        name=REVIEW_SPEC.name, aliases=list(REVIEW_SPEC.aliases), description="Your due questions (spaced repetition)"
    )
    async def review(self, ctx: commands.Context[StudyBot]) -> None:
        await self.bot.run_core(ctx, "review", "")


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(QuizCog(bot))
