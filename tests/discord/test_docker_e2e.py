"""``!docker`` and ``/docker`` through the real discord.py client: a member runs a detached container, lists
it, reads its logs and removes it. The lab is a :class:`RecordingLab` answering as the CLI does, so this checks
the way in and out (owner, argv, code blocks in embeds, the slash form); the lab's engine side has its own tests."""

from __future__ import annotations

from bot.sandbox.lab.port import LabAnswer, LabOwner
from tests.discord.conftest import DiscordHarness
from tests.lab.recording import RecordingLab

CONTAINER_ID = "3f4e5d6c7b8a" + "0" * 52
PS = (
    "CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         PORTS     NAMES\n"
    "3f4e5d6c7b8a   alpine    \"sh -c 'while true; …\"   3 seconds ago   Up 2 seconds             web\n"
)


async def test_a_member_runs_lists_reads_and_removes_a_container(discord_env: DiscordHarness) -> None:
    fake, alice = discord_env.fake, discord_env.alice
    lab = RecordingLab(answers=[LabAnswer(0, CONTAINER_ID + "\n"), LabAnswer(0, PS), LabAnswer(0, "tick\ntick\n"),
                                LabAnswer(0, "web\n")])
    discord_env.core.lab = lab

    asked = await fake.send_message(
        fake.channel, alice, "!docker run -d --name web alpine sh -c 'while true; do echo tick; sleep 1; done'"
    )
    started = await fake.wait_for(lambda m: CONTAINER_ID in m.text)
    assert int(started.message_reference["message_id"]) == asked.id  # type: ignore[index]
    assert "$ docker run -d --name web alpine sh -c" in started.embeds[0]["title"]
    assert f"```\n{CONTAINER_ID}\n```" in started.embeds[0]["description"]

    interaction = await fake.slash(fake.channel, alice, "docker", {"command": "ps"})
    listed = await fake.wait_for(lambda m: m.interaction_token == interaction.token and "NAMES" in m.text)
    assert "Up 2 seconds" in listed.embeds[0]["description"] and listed.embeds[0]["title"] == "$ docker ps"

    await fake.send_message(fake.channel, alice, "!docker logs web")
    logs = await fake.wait_for(lambda m: "$ docker logs web" in m.text)
    assert "tick\ntick" in logs.embeds[0]["description"]

    await fake.send_message(fake.channel, alice, "!도커 rm -f web")
    removed = await fake.wait_for(lambda m: "$ docker rm -f web" in m.text)
    assert "```\nweb\n```" in removed.embeds[0]["description"]

    owner = LabOwner(member=str(alice.id), server=f"discord:{fake.guild.id}")
    assert [(r.owner, r.argv) for r in lab.requests] == [
        (owner, ("run", "-d", "--name", "web", "alpine", "sh", "-c", "while true; do echo tick; sleep 1; done")),
        (owner, ("ps",)), (owner, ("logs", "web")), (owner, ("rm", "-f", "web")),
    ]


async def test_a_refusal_and_help_in_discord(discord_env: DiscordHarness) -> None:
    fake, alice = discord_env.fake, discord_env.alice
    discord_env.core.lab = RecordingLab(answers=[LabAnswer(125, "", refusal="flag", detail="--privileged")])
    await fake.send_message(fake.channel, alice, "!docker run --privileged alpine")
    refused = await fake.wait_for(lambda m: "not allowed in the lab" in m.text)
    assert "`--privileged`" in refused.text
    interaction = await fake.slash(fake.channel, alice, "docker", {"command": "help"})
    listing = await fake.wait_for(lambda m: m.interaction_token == interaction.token and "Docker lab" in m.text)
    assert "`build` — build an image from a Dockerfile in a code block" in listing.text
