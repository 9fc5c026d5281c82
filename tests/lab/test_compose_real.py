"""``!docker compose`` on the real engine, in-process and through a runner service: a member brings a two-service
project up from a code block, lists it, reads its logs and takes it down; a refused key is worded. The member's
lab is reset at the end (the ``member`` fixture of ``test_real_lab``)."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.replies import Tone
from tests.lab.test_real_lab import Member, member, output  # noqa: F401  (member: the fixture)

pytestmark = [pytest.mark.docker, pytest.mark.parametrize("mode", ["local", "remote"])]

FENCE = "```"
PROJECT = (
    f"compose up -d\n{FENCE}yaml\nservices:\n  web:\n    image: alpine\n"
    "    command: sh -c 'echo hello from web; sleep 60'\n    depends_on: [db]\n    ports: ['8080:80']\n"
    f"  db:\n    image: busybox\n    command: sleep 60\n{FENCE}"
)


async def test_up_ps_logs_down_from_a_code_block(member: Member) -> None:  # noqa: F811
    up = await member.reply(PROJECT)
    assert up.tone is Tone.SUCCESS, up.plain_text()
    shown = output(up)
    assert "[+] Running 3/3" in shown
    assert re.search(r" ✔ Container lab-web-1  Started +\d+\.\ds", shown), shown
    assert "nothing is published" in up.plain_text()  # the -p note, for ports:

    table = output(await member.reply("compose ps")).splitlines()
    assert table[0].split() == ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    assert [row.split()[0] for row in table[1:]] == ["lab-db-1", "lab-web-1"]

    for _ in range(50):
        logs = await member.reply("compose logs web")
        if "hello" in logs.plain_text():
            break
        await asyncio.sleep(0.1)
    assert output(logs) == "web-1  | hello from web"

    down = output(await member.reply("docker compose down"))
    assert down.splitlines()[0] == "[+] Running 3/3" and "Network lab_default  Removed" in down
    assert len(output(await member.reply("ps -a")).splitlines()) == 1


async def test_a_refused_key_is_worded(member: Member) -> None:  # noqa: F811
    reply = await member.reply(f"compose up\n{FENCE}yaml\nservices:\n  web:\n    image: alpine\n"
                               f"    privileged: true\n{FENCE}")
    assert reply.tone is Tone.ERROR
    assert "`services.web.privileged` is not allowed in the lab" in reply.plain_text()
