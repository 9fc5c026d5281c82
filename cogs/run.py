"""``!run`` / ``/run``: glue to :mod:`bot.run.command` (the core parses and checks everything)."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.run.command import run_command


class RunCog(commands.Cog, name="Run"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name="run", aliases=["실행"], description="Run a command in a locked-down container")
    @app_commands.describe(image="An allowed image, e.g. alpine", command="The command, e.g. echo hi")
    async def run(self, ctx: commands.Context[StudyBot], *, image: str = "", command: str = "") -> None:
        if ctx.interaction is None:
            # Prefix form: `image` holds the whole raw text (words or a code block); the core splits it.
            await self.bot.run_core(ctx, "run", image)
        else:
            await self.bot.core.invoke_with(self.bot.invocation(ctx), "run", run_command, image, command)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(RunCog(bot))
