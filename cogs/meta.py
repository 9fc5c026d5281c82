"""``!help`` / ``/help``: the core's help, so every platform shows the same text."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.help.command import SPEC


class MetaCog(commands.Cog, name="Meta"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name=SPEC.name, aliases=list(SPEC.aliases), description="Show the bot's commands")
    @app_commands.describe(command="A command to show in detail")
    async def help(self, ctx: commands.Context[StudyBot], *, command: str = "") -> None:
        await self.bot.run_core(ctx, "help", command)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(MetaCog(bot))
