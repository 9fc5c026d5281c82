"""``!docker`` and ``/docker`` through the real discord.py client and the real engine: a member runs a detached
container, lists it, reads its logs and removes it; a refusal, and the lab's help by slash; a practical quiz
question answered by doing it in the lab, scored and counted in the member's stats."""

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
        # The id is the last line (a first run in the lab may print the CLI's pull lines, a digest among them).
        container_id = re.findall(r"\b[0-9a-f]{64}\b", started.embeds[0]["description"])[-1:]
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


async def test_a_practical_question_is_answered_by_doing_it(discord_env: DiscordHarness) -> None:
    fake, alice, core = discord_env.fake, discord_env.alice, discord_env.core
    assert core.lab is not None
    owner = LabOwner(member=str(alice.id), server=f"discord:{fake.guild.id}")
    try:
        await fake.send_message(fake.channel, alice, "!quiz lab registry")  # the tag exercise: one of its kind
        posed = await fake.wait_for(lambda m: m.text.startswith("🧪 Lab exercise") and bool(m.buttons()), 30)
        assert "tag it as `myalpine:1`" in posed.text
        check = next(str(b["custom_id"]) for b in posed.buttons() if "Check my lab" in str(b.get("label")))

        await fake.click(posed, check, alice)  # nothing done yet: what is missing, privately, and no score
        missing = await fake.wait_for(lambda m: m.ephemeral and "Not yet" in m.text, 30)
        assert "there is no image `myalpine:1`" in missing.text

        await fake.send_message(fake.channel, alice, "!docker pull alpine")
        await fake.wait_for(lambda m: "$ docker pull alpine" in m.text, 30)
        await fake.send_message(fake.channel, alice, "!docker tag alpine myalpine:1")
        await fake.wait_for(lambda m: "$ docker tag alpine myalpine:1" in m.text, 30)

        await fake.click(posed, check, alice)
        passed = await fake.wait_for(lambda m: "✅ Done!" in m.text, 30)
        assert "docker tag alpine myalpine:1" in passed.text  # the solution, and where the notes say more
        await fake.send_message(fake.channel, alice, "!stats")
        stats = await fake.wait_for(lambda m: m.text.startswith("Quiz stats"), 30)
        assert "Answered **1**, correct **1**" in stats.text and "🔥 Streak: **1**" in stats.text
    finally:
        await core.lab.reset(owner)
