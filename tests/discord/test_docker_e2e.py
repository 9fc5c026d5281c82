"""``!docker`` and ``/docker`` through the real discord.py client and the real engine: a member runs a detached
container, lists it, reads its logs and removes it; a refusal, and the lab's help by slash."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.sandbox.lab.port import LabOwner
from tests.discord.conftest import DiscordHarness

pytestmark = pytest.mark.docker


async def test_a_member_runs_lists_reads_and_removes_a_container(discord_env: DiscordHarness) -> None:
    fake, alice, core = discord_env.fake, discord_env.alice, discord_env.core
    assert core.lab is not None  # a running bot has its lab from the start (the quiz's exercises read it)
    owner = LabOwner(member=str(alice.id), server=f"discord:{fake.guild.id}")
    try:
        asked = await fake.send_message(
            fake.channel, alice, "!docker run -d --name web alpine sh -c 'echo tick; sleep 60'"
        )
        started = await fake.wait_for(lambda m: "$ docker run -d --name web" in m.text, timeout=30)
        assert int(started.message_reference["message_id"]) == asked.id  # type: ignore[index]
        container_id = re.findall(r"\b[0-9a-f]{64}\b", started.embeds[0]["description"])
        assert container_id, started.text

        interaction = await fake.slash(fake.channel, alice, "docker", {"command": "ps"})
        listed = await fake.wait_for(lambda m: m.interaction_token == interaction.token and "NAMES" in m.text, 30)
        assert listed.embeds[0]["title"] == "$ docker ps"
        row = next(line for line in listed.embeds[0]["description"].splitlines() if line.endswith("web"))
        assert row.startswith(container_id[0][:12]) and "Up " in row

        for _ in range(50):  # the container may not have printed yet
            await fake.send_message(fake.channel, alice, "!docker logs web")
            logs = await fake.wait_for(lambda m, after=asked.id: "$ docker logs web" in m.text and m.id > after, 30)
            if "tick" in logs.embeds[0]["description"]:
                break
            asked = logs
            await asyncio.sleep(0.1)
        assert "```\ntick\n```" in logs.embeds[0]["description"]

        await fake.send_message(fake.channel, alice, "!도커 rm -f web")
        removed = await fake.wait_for(lambda m: "$ docker rm -f web" in m.text, timeout=30)
        assert "```\nweb\n```" in removed.embeds[0]["description"]
        assert (await core.lab.state(owner)).containers == ()
    finally:
        await core.lab.reset(owner)


async def test_a_refusal_and_help_in_discord(discord_env: DiscordHarness) -> None:
    fake, alice = discord_env.fake, discord_env.alice
    await fake.send_message(fake.channel, alice, "!docker run --privileged alpine")
    refused = await fake.wait_for(lambda m: "not allowed in the lab" in m.text, timeout=30)
    assert "`--privileged`" in refused.text
    interaction = await fake.slash(fake.channel, alice, "docker", {"command": "help run"})
    usage = await fake.wait_for(lambda m: m.interaction_token == interaction.token and "Usage:" in m.text)
    assert "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]" in usage.embeds[0]["description"]
