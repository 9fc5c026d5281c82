"""`!run` and `/run` through the real discord.py client and a real Docker engine."""

from __future__ import annotations

import pytest

from tests.discord.conftest import DiscordHarness

pytestmark = pytest.mark.docker


async def test_prefix_run_replies_with_output_and_shows_typing(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    asked = await fake.send_message(fake.channel, discord_env.alice, "!run alpine echo hi from discord")
    reply = await fake.wait_for(lambda m: "exit 0" in m.text, timeout=30)
    assert int(reply.message_reference["message_id"]) == asked.id  # type: ignore[index]
    assert "hi from discord" in reply.text and "```" in reply.embeds[0]["description"]
    assert fake.channel.id in fake.typing


async def test_slash_run_defers_then_answers(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    interaction = await fake.slash(fake.channel, discord_env.alice, "run", {"image": "alpine", "command": "echo hi"})
    reply = await fake.wait_for(lambda m: m.interaction_token == interaction.token and "exit 0" in m.text, timeout=30)
    assert interaction.callbacks[0]["type"] == 5  # deferred ("thinking…") first: runs can outlast 3 s
    assert "\nhi" in reply.text


async def test_long_output_is_trimmed_with_the_full_output_attached(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    await fake.send_message(fake.channel, discord_env.alice, "!run alpine seq 1 3000")
    reply = await fake.wait_for(lambda m: "exit 0" in m.text, timeout=30)
    full = reply.attachments["output.txt"].decode()
    assert full.splitlines()[-1] == "3000" and len(full.splitlines()) == 3000
    assert "3000" not in reply.embeds[0]["description"].split("```")[1]
    assert len(reply.embeds[0]["description"]) <= 4096


async def test_options_and_mentions_are_refused_or_neutralised(discord_env: DiscordHarness) -> None:
    fake = discord_env.fake
    await fake.send_message(fake.channel, discord_env.alice, "!run --privileged alpine ls")
    refused = await fake.next_message(fake.channel)
    assert "not accepted" in refused.text
    await fake.send_message(fake.channel, discord_env.alice, "!run alpine echo @everyone ping")
    reply = await fake.wait_for(lambda m: "exit 0" in m.text, timeout=30)
    assert reply.allowed_mentions is not None and reply.allowed_mentions.get("parse") == []
    assert "@everyone" not in reply.text and "ping" in reply.text
