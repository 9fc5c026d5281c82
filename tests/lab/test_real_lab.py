"""``!docker`` on the real engine, in-process and through a runner service (the same words either way): a member
runs a detached container, lists it, reads its logs, execs in it and removes it; builds from code blocks with the
output shown as it comes; a refusal; status and reset. Each test's member and server are its own, and their
lab is reset at the end (``tests/test_zz_leftovers.py`` checks that nothing is left)."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from bot.config import Settings
from bot.core import Core
from bot.help import command as help_command
from bot.lab import command as lab_command
from bot.replies import Code, Reply, Tone
from bot.sandbox.server import RunnerServer
from bot.storage import Database
from tests.invocations import CollectingResponder, invocation
from tests.sandbox.sbx import BASE, TOKEN

pytestmark = [pytest.mark.docker, pytest.mark.parametrize("mode", ["local", "remote"])]


@dataclass
class Member:
    core: Core
    user_id: str
    scope: str

    async def say(self, args: str, lang: str = "en") -> list[Reply]:
        inv = invocation("alice", user_id=self.user_id, scope=self.scope, lang=lang)
        await self.core.invoke(inv, "docker", args)
        assert isinstance(inv.responder, CollectingResponder)
        return inv.responder.sent

    async def reply(self, args: str, lang: str = "en") -> Reply:
        replies = await self.say(args, lang)
        assert replies, "the bot did not answer"
        return replies[-1]


def output(reply: Reply) -> str:
    [code] = [block.text for block in reply.blocks if isinstance(block, Code)]
    return code


@pytest.fixture
async def member(make_settings: Callable[..., Settings], mode: str, docker_client: object) -> AsyncIterator[Member]:
    settings = make_settings(**BASE)
    server: RunnerServer | None = None
    if mode == "remote":
        server = RunnerServer(settings.sandbox, TOKEN)
        port = await server.start("127.0.0.1", 0)
        settings = make_settings(**BASE, sandbox_url=f"http://127.0.0.1:{port}", sandbox_token=TOKEN)
    core = Core(settings=settings, db=await Database.open(settings.db_path), notes=None)  # type: ignore[arg-type]
    await help_command.install(core)
    await lab_command.install(core)
    found = Member(core, f"u-{uuid.uuid4().hex[:10]}", f"guild-{uuid.uuid4().hex[:10]}")
    try:
        yield found
    finally:
        await found.say("reset")
        await core.close()
        if server is not None:
            await server.stop()


async def test_run_detached_list_read_exec_and_remove(member: Member) -> None:
    started = await member.reply("run -d --name web alpine sh -c 'echo hello from web; sleep 60'")
    assert started.tone is Tone.SUCCESS, started.plain_text()
    container_id = output(started).splitlines()[-1]
    assert re.fullmatch(r"[0-9a-f]{64}", container_id), started.plain_text()

    listed = await member.reply("ps")
    table = output(listed).splitlines()
    assert table[0].split() == ["CONTAINER", "ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
    assert table[1].startswith(container_id[:12]) and table[1].endswith("web") and "Up " in table[1]

    for _ in range(50):  # the container may not have printed yet (as with the real CLI)
        logs = await member.reply("logs web")
        if "Done (no output)" not in logs.plain_text():
            break
        await asyncio.sleep(0.1)
    assert output(logs) == "hello from web"
    assert output(await member.reply("exec web echo inside")) == "inside"

    removed = await member.reply("rm -f web")
    assert output(removed) == "web"
    assert len(output(await member.reply("ps -a")).splitlines()) == 1  # the header alone

    missing = await member.reply("logs web")
    assert missing.tone is Tone.ERROR and "No such container: web" in output(missing)
    assert "exit code 1" in missing.plain_text()


async def test_a_build_from_code_blocks_then_its_image_runs(member: Member) -> None:
    replies = await member.say(
        "build -t hello .\n```dockerfile\nFROM alpine\nCOPY greet.sh /greet.sh\nRUN chmod +x /greet.sh\n"
        'CMD ["/greet.sh"]\n```\n```greet.sh\n#!/bin/sh\necho hello from the build\n```'
    )
    answer = replies[-1]
    assert answer.tone is Tone.SUCCESS, answer.plain_text()
    assert "Successfully tagged hello:latest" in answer.plain_text()
    if len(replies) == 2:  # the build took long enough to show progress: that message says it is done
        assert replies[0].plain_text() == "🔨 The build finished; its answer is below."
    ran = await member.reply("run --rm hello")
    assert output(ran) == "hello from the build"
    images = output(await member.reply("images")).splitlines()
    assert images[0].split()[:2] == ["REPOSITORY", "TAG"] and images[1].split()[:2] == ["hello", "latest"]


async def test_refusals_and_notes_are_worded(member: Member) -> None:
    refused = await member.reply("run --privileged alpine true")
    assert refused.tone is Tone.ERROR and "`--privileged` is not allowed in the lab" in refused.plain_text()
    tty = await member.reply("run --rm -it -p 8080:80 alpine echo hi")
    assert output(tty).splitlines()[-1] == "hi"  # after the implicit pull's lines, as the CLI prints them
    assert "Chat has no terminal" in tty.plain_text() and "nothing is published" in tty.plain_text()
    korean = await member.reply("run --cap-add ALL alpine true", lang="ko")
    assert "실습실에서는 `--cap-add` 을(를) 쓸 수 없습니다" in korean.plain_text()


async def test_status_and_reset(member: Member) -> None:
    assert "Your lab is empty" in (await member.reply("status")).plain_text()
    await member.say("volume create data")
    await member.say("run -d --name web alpine sleep 60")
    status = (await member.reply("status")).plain_text()
    assert "Containers: 1 of 10 (1 running of 3)" in status and "Volumes: 1 of 3" in status
    assert "containers: web (running)" in status and "removed in about 30 min" in status
    reset = await member.reply("reset")
    assert reset.tone is Tone.SUCCESS and "objects removed" in reset.plain_text()
    assert "Your lab is empty" in (await member.reply("status")).plain_text()
