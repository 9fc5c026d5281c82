"""Many people at once: the global limit, the queue and its positions, one job per member, cooldowns."""

from __future__ import annotations

import asyncio

import docker
import pytest

from bot.replies import Code, Tone
from tests.sandbox.sbx import BOTH_PATHS, MakeBot, labelled, wait_until

pytestmark = pytest.mark.docker


async def test_twenty_runs_at_once_with_a_limit_of_four(make_bot: MakeBot, docker_client: docker.DockerClient) -> None:
    bot = await make_bot(sandbox_max_running=4, sandbox_max_queue=20, sandbox_runtime="runc")
    sandbox = bot.core.sandbox
    peak = 0

    async def watch() -> None:
        nonlocal peak
        while True:
            peak = max(peak, sandbox.queue.running)
            await asyncio.sleep(0.01)

    watcher = asyncio.create_task(watch())
    results = await asyncio.gather(
        *(bot.run(f"alpine sh -c 'sleep 0.3; echo job-{i}'", user=f"m{i}") for i in range(20))
    )
    watcher.cancel()
    assert peak == 4
    for i, replies in enumerate(results):
        final = replies[-1]
        assert final.tone is Tone.SUCCESS, final.plain_text()
        assert next(b.text for b in final.blocks if isinstance(b, Code)) == f"job-{i}"
    queued = [r for replies in results for r in replies if "number" in r.plain_text() or "Your turn" in r.plain_text()]
    assert queued, "waiting members were told their place in the queue"
    assert any("Your turn came after" in r.plain_text() for r in queued)
    await sandbox.runner.settle()
    assert labelled(docker_client) == []


@BOTH_PATHS
async def test_queue_full_says_when_to_try_again(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_max_running=1, sandbox_max_queue=1)
    first = asyncio.create_task(bot.run("alpine sleep 1", user="a"))
    await asyncio.sleep(0.2)  # a holds the only place before b asks
    second = asyncio.create_task(bot.run("alpine sleep 1", user="b"))
    await asyncio.sleep(0.3)
    third = await bot.result("alpine echo hi", user="c")
    assert third.tone is Tone.ERROR
    text = third.plain_text()
    assert "The sandbox is busy (1 runs waiting). Try again in" in text
    # The queue notice is edited in place once the wait is over.
    assert "Your turn came after" in (await second)[0].plain_text()
    await first


@BOTH_PATHS
async def test_one_job_per_member(make_bot: MakeBot, docker_client: docker.DockerClient) -> None:
    bot = await make_bot()
    running = asyncio.create_task(bot.run("alpine sleep 2", user="a"))
    assert await wait_until(lambda: bool(labelled(docker_client)), every=0.02)  # the first run is going
    reply = await bot.result("alpine echo hi", user="a")
    assert "You already have a run waiting or running" in reply.plain_text()
    other = await bot.result("alpine echo hi", user="b")
    assert other.tone is Tone.SUCCESS
    await running


@BOTH_PATHS
async def test_cooldown_per_member(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_cooldown=30)
    assert (await bot.result("alpine true", user="a")).tone is Tone.SUCCESS
    again = (await bot.result("alpine true", user="a")).plain_text()
    assert "Slow down: you can run again in" in again
    assert (await bot.result("alpine true", user="b")).tone is Tone.SUCCESS


async def test_cancelled_run_leaves_nothing(bot: object, make_bot: MakeBot, docker_client: docker.DockerClient) -> None:
    bot = await make_bot(sandbox_timeout=30)
    task = asyncio.create_task(bot.run("alpine sleep 100"))
    assert await wait_until(lambda: len(labelled(docker_client)) == 1, timeout=5)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert await wait_until(lambda: labelled(docker_client) == [], timeout=10)
