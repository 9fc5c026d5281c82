"""``!explain`` / ``/explain`` and ``!reindex``: glue to :mod:`bot.explain.command`."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.client import StudyBot
from bot.explain.command import REINDEX_SPEC, SPEC, explain


class ExplainCog(commands.Cog, name="Explain"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @commands.hybrid_command(
        name=SPEC.name, aliases=list(SPEC.aliases), description="Explain a Docker command or idea from the notes"
    )
    @app_commands.describe(query="What to explain, e.g. run, -v, 이미지", verbose="Show the whole section")
    async def explain(self, ctx: commands.Context[StudyBot], *, query: str = "", verbose: bool = False) -> None:
        if ctx.interaction is None:
            # Prefix form: the core parses `-v` and the rest from the raw text.
            await self.bot.run_core(ctx, "explain", query)
        else:
            await self.bot.core.invoke_with(self.bot.invocation(ctx), "explain", explain, query, verbose)

    @commands.hybrid_command(name=REINDEX_SPEC.name, description="Rebuild the notes index (server managers)")
    async def reindex(self, ctx: commands.Context[StudyBot]) -> None:
        await self.bot.run_core(ctx, "reindex", "")


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ExplainCog(bot))
