"""Issue 10, the chaos test: three runners and a bot sharing one engine, 60 runs from 20 members while
every instance sweeps again and again. No run is lost, every reply says what happened (the output,
the exit code, the time limit), nothing is logged as an error, and no container is left.

Each runner and the bot has its own :class:`~bot.sandbox.service.Sandbox` (its own instance id, queue
and sweeper) on the same engine with the same owner label, as with ``docker compose --scale runner=3``
next to a bot that runs sandboxes itself. Members talk to the bot (embedded) or to a bot whose
``STUDYBOT_SANDBOX_URL`` points at one of the runners.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import docker
import pytest

from bot.config import Settings
from bot.replies import Code, Reply, Tone
from bot.sandbox.policy import LABEL, LABEL_DEADLINE, LABEL_INSTANCE
from bot.sandbox.server import RunnerServer
from bot.sandbox.service import Sandbox
from tests.sandbox.sbx import BASE, TEST_OWNER, TOKEN, Bot, MakeBot, labelled, wait_until

pytestmark = pytest.mark.docker

MEMBERS = 20
RUNS_EACH = 3
TIMEOUT = 2.0


def command(member: int, round_: int) -> tuple[str, str]:
    """What member ``member`` runs in round ``round_``, and the kind of outcome that must be reported."""
    tag = f"m{member}-r{round_}"
    kind = ("echo", "exit", "timeout", "block")[(member + round_) % 4]
    if kind == "echo":
        return f"alpine echo {tag}", kind
    if kind == "exit":
        return f"alpine sh -c 'echo {tag}; exit 3'", kind
    if kind == "timeout":
        return f"alpine sh -c 'echo {tag}; sleep 30'", kind
    return f"alpine\n```sh\necho {tag}\n```", kind


def check(reply: Reply, member: int, round_: int, kind: str) -> None:
    """The reply is the run's result and names its cause: nothing lost, nothing unexplained."""
    text = reply.plain_text()
    tag = f"m{member}-r{round_}"
    codes = [block.text for block in reply.blocks if isinstance(block, Code)]
    assert codes and codes[0] == tag, text
    if kind in ("echo", "block"):
        assert reply.tone is Tone.SUCCESS and "exit 0" in text, text
    elif kind == "exit":
        assert reply.tone is Tone.ERROR and "exit 3" in text, text
    else:
        assert reply.tone is Tone.WARNING and f"timed out: stopped after {TIMEOUT:g} s" in text, text


async def test_three_runners_and_a_bot_on_one_engine(
    make_bot: MakeBot, make_settings: Callable[..., Settings], docker_client: docker.DockerClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    limits = {"sandbox_timeout": TIMEOUT, "sandbox_max_running": 2, "sandbox_max_queue": 32}
    servers = [RunnerServer(make_settings(**{**BASE, **limits}).sandbox, TOKEN) for _ in range(3)]
    bots: list[Bot] = []
    try:
        for server in servers:
            port = await server.start("127.0.0.1", 0)
            bots.append(await make_bot(sandbox_url=f"http://127.0.0.1:{port}", sandbox_token=TOKEN))
        embedded = await make_bot(**limits)
        bots.append(embedded)
        sandboxes: list[Sandbox] = [server.service.sandbox for server in servers]
        assert embedded.engine_side is not None
        sandboxes.append(embedded.engine_side)
        assert len({sandbox.instance for sandbox in sandboxes}) == 4

        # Leftovers of a crashed instance (past their deadline): the sweeps must remove these, and only these.
        crashed = [
            docker_client.containers.create(
                "alpine", ["sleep", "1000"], network_mode="none",
                labels={LABEL: TEST_OWNER, LABEL_INSTANCE: "crashed", LABEL_DEADLINE: "1"},
            )
            for _ in range(3)
        ]
        crashed[0].start()

        stop = asyncio.Event()
        sweeps = removed = 0

        async def sweeping() -> None:
            nonlocal sweeps, removed
            while not stop.is_set():
                for count in await asyncio.gather(*(sandbox.sweeper.sweep() for sandbox in sandboxes)):
                    removed += count
                sweeps += 1
                await asyncio.sleep(0.05)

        async def member(n: int) -> list[tuple[Reply, int, str]]:
            bot = bots[n % len(bots)]
            results = []
            for round_ in range(RUNS_EACH):
                args, kind = command(n, round_)
                replies = await bot.run(args, user=f"chaos{n}")
                assert replies, f"member {n} round {round_}: no reply"
                results.append((replies[-1], round_, kind))
            return results

        sweeper = asyncio.create_task(sweeping())
        started = time.monotonic()
        try:
            outcomes = await asyncio.gather(*(member(n) for n in range(MEMBERS)))
        finally:
            stop.set()
            await sweeper
        elapsed = time.monotonic() - started

        runs = [(reply, n, round_, kind) for n, results in enumerate(outcomes) for reply, round_, kind in results]
        assert len(runs) == MEMBERS * RUNS_EACH == 60
        for reply, n, round_, kind in runs:
            check(reply, n, round_, kind)
        assert sweeps >= 10, sweeps
        left = {c.id for c in docker_client.containers.list(all=True, filters={"label": f"{LABEL}={TEST_OWNER}"},
                                                             sparse=True)}
        assert not left & {c.id for c in crashed}, "a crashed instance's leftovers were not swept"
        assert removed >= 1
        problems = [r for r in caplog.records if r.levelno >= logging.ERROR or "could not remove" in r.getMessage()]
        assert not problems, [r.getMessage() for r in problems]
        print(f"chaos: 60 runs from {MEMBERS} members on 4 instances in {elapsed:.1f} s, {sweeps} sweep rounds, "
              f"{removed} leftovers swept")
        for sandbox in sandboxes:
            await sandbox.runner.settle()  # removals run in the background after each reply
    finally:
        for server in servers:  # the bots are closed by the make_bot fixture
            await server.stop()
    assert await wait_until(lambda: labelled(docker_client) == [], timeout=15), labelled(docker_client)
