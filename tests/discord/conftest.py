"""The real discord.py client (our StudyBot) against the fake Discord on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.adapters.discord.client import StudyBot
from bot.core import Core
from tests.fakes.discord_models import FakeMember
from tests.fakes.discord_server import FakeDiscord


@dataclass
class DiscordHarness:
    fake: FakeDiscord
    bot: StudyBot
    core: Core
    alice: FakeMember
    boss: FakeMember


@pytest.fixture
async def discord_env(core: Core) -> AsyncIterator[DiscordHarness]:
    async with FakeDiscord() as fake:
        alice = fake.add_member("alice")
        boss = fake.add_member("boss", manager=True)
        bot = StudyBot(core, guild_ready_timeout=0.05)
        async with fake.run_bot(bot):
            yield DiscordHarness(fake=fake, bot=bot, core=core, alice=alice, boss=boss)
        assert not fake.unknown_requests, fake.describe()
