"""Start the configured chat adapters (Discord, Slack, or both) over one core."""

from __future__ import annotations

import asyncio
import logging

from bot.core import Core

log = logging.getLogger(__name__)


async def run_discord(core: Core) -> None:
    from bot.adapters.discord.client import ShardedStudyBot, StudyBot

    settings = core.settings.discord
    token = settings.token
    assert token is not None
    bot = ShardedStudyBot(core, shard_count=settings.shard_count) if settings.sharded else StudyBot(core)
    async with bot:
        await bot.start(token.get_secret_value())


async def run_chat(core: Core) -> int:
    """Run every adapter that has a token; return when they stop."""
    runners = []
    if core.settings.discord.enabled:
        runners.append(run_discord(core))
    if core.settings.slack.enabled:
        from bot.adapters.slack.app import run_slack

        runners.append(run_slack(core))
    try:
        await asyncio.gather(*runners)
    except Exception as exc:  # login failures and the like: one clear line, not a traceback
        from bot.config import ConfigError

        if isinstance(exc, ConfigError):  # e.g. a missing or rejected Slack token
            log.error("%s", exc)
            return 2
        import discord

        if isinstance(exc, discord.LoginFailure):
            log.error("Discord refused the token (DISCORD_TOKEN): %s", exc)
            return 2
        raise
    return 0
