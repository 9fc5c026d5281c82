"""The bot spreading runs over several runners (issue 13): the least busy healthy runner first, runners
that fail their health check skipped, a runner that vanishes mid-run answered clearly with no other run
lost, the per-member rules and the queue held by the bot across runners, static and DNS runner lists, and
``!run -v`` showing managers where a run happened.

The runners here are small fakes on loopback addresses (:mod:`fake_runner`) that speak the runner's
protocol; the last test uses two real runner services on one engine."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from bot.config import ConfigError, Settings
from bot.replies import Code, Reply, Tone
from bot.sandbox.client import RemoteSandbox
from bot.sandbox.server import RunnerServer
from tests.invocations import CollectingResponder
from tests.sandbox.fake_runner import FakeRunner
from tests.sandbox.sbx import BASE, TOKEN, Bot, MakeBot, wait_until

Runners = Callable[..., Awaitable[list[FakeRunner]]]


@pytest.fixture
async def runners() -> AsyncIterator[Runners]:
    started: list[FakeRunner] = []

    async def start(count: int, limit: int = 2, host: str = "127.0.0.1", port: int = 0) -> list[FakeRunner]:
        made = [await FakeRunner(f"r{len(started) + n}", limit, host).start(port) for n in range(count)]
        started.extend(made)
        return made

    yield start
    for runner in started:
        await runner.stop()


async def spread_bot(make_bot: MakeBot, fakes: list[FakeRunner], **overrides: Any) -> Bot:
    bot = await make_bot(sandbox_url=",".join(f.url for f in fakes), sandbox_token=TOKEN, **overrides)
    remote(bot).pool.interval = 0.2  # look at the runners often: the tests wait for what the bot notices
    return bot


def remote(bot: Bot) -> RemoteSandbox:
    sandbox = bot.core.sandbox
    assert isinstance(sandbox, RemoteSandbox)
    return sandbox


def output(reply: Reply) -> str:
    return next(block.text for block in reply.blocks if isinstance(block, Code))


async def as_manager(bot: Bot, args: str, user: str = "boss") -> list[Reply]:
    return await bot.run(args, user, manager=True)


# choosing a runner -------------------------------------------------------------------------------


async def test_runs_go_to_the_least_busy_runner_and_the_queue_is_the_bots(
    make_bot: MakeBot, runners: Runners
) -> None:
    fakes = await runners(3, limit=2)
    bot = await spread_bot(make_bot, fakes)
    for fake in fakes:
        fake.gate.clear()
    first = [asyncio.create_task(bot.run(f"alpine echo {n}", user=f"m{n}")) for n in range(6)]
    assert await wait_until(lambda: sum(f.running for f in fakes) == 6, timeout=5)
    assert [f.running for f in fakes] == [2, 2, 2]  # never 3 on one while another has 1
    # Every runner is full: the 7th waits in the bot's own queue and is told its place in it.
    inv = bot.inv("m6")
    assert isinstance(inv.responder, CollectingResponder)
    replies = inv.responder.sent
    seventh = asyncio.create_task(bot.core.invoke(inv, "run", "alpine echo 6"))
    assert await wait_until(lambda: bool(replies), timeout=3)
    assert "you are number 1 in the queue" in replies[0].plain_text()
    assert sum(f.running for f in fakes) == 6
    fakes[1].gate.set()
    await seventh
    assert "Your turn came after" in replies[0].plain_text()  # the notice, edited in place
    assert output(replies[-1]).startswith("r1:")  # the runner that had room
    for fake in fakes:
        fake.gate.set()
    assert all(replies[-1].tone is Tone.SUCCESS for replies in await asyncio.gather(*first))


async def test_a_runner_failing_its_health_check_gets_no_runs(make_bot: MakeBot, runners: Runners) -> None:
    healthy, stopping, no_engine = await runners(3)
    stopping.health = "shutting_down"
    no_engine.health = "engine_unreachable"
    bot = await spread_bot(make_bot, [healthy, stopping, no_engine])
    replies = await asyncio.gather(*(bot.result(f"alpine echo {n}", user=f"m{n}") for n in range(6)))
    assert all(output(reply).startswith("r0:") for reply in replies)
    assert stopping.members == no_engine.members == []
    # When it is well again, the next look at it brings it back.
    no_engine.health = "ok"
    assert await wait_until(lambda: remote(bot).pool.capacity() == 4, timeout=3)


async def test_when_no_runner_is_healthy_the_member_hears_why(make_bot: MakeBot, runners: Runners) -> None:
    (fake,) = await runners(1)
    fake.health = "engine_unreachable"
    bot = await spread_bot(make_bot, [fake])
    reply = await bot.result("alpine echo hi")
    assert reply.tone is Tone.ERROR
    assert "The Docker engine is not reachable right now" in reply.plain_text()


async def test_a_dead_runner_in_the_list_is_skipped_and_a_refused_connection_is_tried_elsewhere(
    make_bot: MakeBot, runners: Runners
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    live, dies = await runners(2)
    bot = await make_bot(sandbox_url=f"http://127.0.0.1:{closed},{live.url},{dies.url}", sandbox_token=TOKEN)
    assert (await bot.result("alpine echo warm-up")).tone is Tone.SUCCESS  # every runner looked at once
    await dies.kill()  # healthy at the last look; refuses connections now
    replies = await asyncio.gather(*(bot.result(f"alpine echo {n}", user=f"m{n}") for n in range(4)))
    assert [output(r) for r in replies] == [f"r0: echo {n}" for n in range(4)]


# a runner that vanishes ------------------------------------------------------------------------------


async def test_a_runner_killed_mid_run_answers_its_runs_clearly_and_loses_no_other(
    make_bot: MakeBot, runners: Runners
) -> None:
    doomed, survivor = await runners(2)
    bot = await spread_bot(make_bot, [doomed, survivor])
    for fake in (doomed, survivor):
        fake.gate.clear()
    runs = [asyncio.create_task(as_manager(bot, f"-v alpine echo {n}", user=f"m{n}")) for n in range(4)]
    assert await wait_until(lambda: doomed.running == 2 and survivor.running == 2, timeout=5)
    await doomed.kill()
    lost = [await runs[n] for n in range(4) if f"u-m{n}" in doomed.members]
    assert len(lost) == 2
    for replies in lost:
        text = replies[-1].plain_text()
        assert replies[-1].tone is Tone.ERROR
        assert "The sandbox runner stopped answering during the run" in text
        assert f"It was on runner 127.0.0.1:{doomed.port}." in text  # managers with -v see which
    # The runs already on the other runner finish; new runs go there (the first ones to pick the dead
    # runner before the bot's next look at it are tried again there).
    survivor.gate.set()
    later = await asyncio.gather(*(bot.result(f"alpine echo later {n}", user=f"l{n}") for n in range(2)))
    assert [output(r) for r in later] == ["r1: echo later 0", "r1: echo later 1"]
    for n in range(4):
        if f"u-m{n}" in survivor.members:
            assert output((await runs[n])[-1]) == f"r1: echo {n}"


async def test_a_runner_that_goes_silent_mid_run_is_given_up(make_bot: MakeBot, runners: Runners) -> None:
    silent, other = await runners(2, limit=1)
    bot = await spread_bot(make_bot, [silent, other])
    silent.gate.clear()
    stuck = asyncio.create_task(bot.run("alpine sleep 1000", user="a"))
    assert await wait_until(lambda: silent.running == 1, timeout=5)
    await silent.vanish()  # its connection stays open and mute: only failed health checks tell
    replies = await asyncio.wait_for(stuck, timeout=10)
    assert "The sandbox runner stopped answering during the run" in replies[-1].plain_text()
    assert output(await bot.result("alpine echo next", user="a")) == "r1: echo next"


# the per-member rules hold across runners ---------------------------------------------------------


async def test_one_job_per_member_and_the_cooldown_hold_across_runners(make_bot: MakeBot, runners: Runners) -> None:
    fakes = await runners(3)
    bot = await spread_bot(make_bot, fakes, sandbox_cooldown=30)
    fakes[0].gate.clear()
    first = asyncio.create_task(bot.run("alpine echo one", user="a"))
    assert await wait_until(lambda: fakes[0].running == 1, timeout=5)
    # Two idle runners could take it, but the bot keeps one job per member.
    assert "You already have a run waiting or running" in (await bot.result("alpine echo two", user="a")).plain_text()
    fakes[0].gate.set()
    assert (await first)[-1].tone is Tone.SUCCESS
    assert "Slow down: you can run again in" in (await bot.result("alpine echo three", user="a")).plain_text()
    assert (await bot.result("alpine echo hi", user="b")).tone is Tone.SUCCESS
    assert fakes[0].members == ["u-a"] and "u-a" not in fakes[1].members + fakes[2].members


# runner lists ------------------------------------------------------------------------------------


def test_a_static_list_of_urls(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(sandbox_url=" http://runner-a:8080/ , https://runner-b.example ,http://10.0.0.7:9000")
    assert settings.sandbox.urls == ["http://runner-a:8080", "https://runner-b.example", "http://10.0.0.7:9000"]
    for bad, words in [("http://a:1,ftp://b", "'ftp://b' is not an http:// or https:// URL"),
                       ("http://a:1, http://a:1/", "names the same URL twice"),
                       ("http://runner:port", "'http://runner:port' is not")]:
        with pytest.raises(ConfigError, match=words):
            make_settings(sandbox_url=bad)


async def test_a_name_counts_for_every_address_and_is_looked_up_again(
    make_bot: MakeBot, runners: Runners, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runners on one port of three loopback addresses, behind one name, as Swarm's tasks.runner lists them.
    (first,) = await runners(1, host="127.0.0.2")
    port = first.port
    (second,) = await runners(1, host="127.0.0.3", port=port)
    (third,) = await runners(1, host="127.0.0.4", port=port)
    answer = ["127.0.0.2", "127.0.0.3"]
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def getaddrinfo(host: str, port: int, **kwargs: Any) -> list[Any]:
        if host != "tasks.runner":
            return await real(host, port, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answer]

    async def four_runs(held: list[FakeRunner], tag: str) -> list[list[Reply]]:
        for fake in held:
            fake.gate.clear()
        runs = [asyncio.create_task(as_manager(bot, f"-v alpine echo {n}", user=f"{tag}{n}")) for n in range(4)]
        assert await wait_until(lambda: [f.running for f in held] == [2, 2], timeout=5)
        for fake in held:
            fake.gate.set()
        return list(await asyncio.gather(*runs))

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
    bot = await make_bot(sandbox_url=f"http://tasks.runner:{port}", sandbox_token=TOKEN)
    pool = remote(bot).pool
    pool.interval = 0.2
    replies = await four_runs([first, second], "m")
    assert any(f"Ran by runner `r1` at 127.0.0.3:{port} on node `node-r1`." in r[-1].plain_text() for r in replies)
    # The name now lists a new runner and no longer the first one.
    answer[:] = ["127.0.0.3", "127.0.0.4"]
    expected = [f"127.0.0.3:{port}", f"127.0.0.4:{port}"]
    # (and the new one answered its health check: until then, runs go to the others)
    assert await wait_until(
        lambda: sorted(e.address for e in pool.endpoints.values() if e.usable) == expected, timeout=3
    )
    await four_runs([second, third], "x")
    assert (len(first.members), len(second.members), len(third.members)) == (2, 4, 2)


# what members and managers see ----------------------------------------------------------------------


async def test_only_managers_see_where_a_run_happened(make_bot: MakeBot, runners: Runners) -> None:
    (fake,) = await runners(1)
    bot = await spread_bot(make_bot, [fake])
    shown = (await as_manager(bot, "-v alpine echo hi"))[-1].plain_text()
    assert f"Ran by runner `r0` at 127.0.0.1:{fake.port} on node `node-r0`." in shown
    assert "Ran by" not in (await as_manager(bot, "alpine echo hi", user="boss2"))[-1].plain_text()
    member = (await bot.result("-v alpine echo hi", user="someone")).plain_text()
    assert "Options are not accepted (`-v`)" in member
    assert "`!run -v` (which runner ran it) is for server managers." in member
    assert fake.members == ["u-boss", "u-boss2"]


def test_the_remote_bot_never_imports_the_docker_sdk() -> None:
    code = (
        "import sys\n"
        "from bot.config import load_settings\n"
        "from bot.sandbox.port import sandbox_from_settings\n"
        "import bot.core, bot.features, bot.run.replies\n"
        "sandbox = sandbox_from_settings(load_settings(sandbox_url='http://127.0.0.1:9').sandbox)\n"
        "print(type(sandbox).__name__, 'docker' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["RemoteSandbox", "False"]


# real runners -------------------------------------------------------------------------------------


@pytest.mark.docker
async def test_two_real_runners_share_the_runs(
    make_bot: MakeBot, make_settings: Callable[..., Settings], docker_client: object
) -> None:
    servers = [RunnerServer(make_settings(**{**BASE, "sandbox_max_running": 1}).sandbox, TOKEN) for _ in range(2)]
    try:
        ports = [await server.start("127.0.0.1", 0) for server in servers]
        bot = await make_bot(sandbox_url=",".join(f"http://127.0.0.1:{p}" for p in ports), sandbox_token=TOKEN)
        replies = await asyncio.gather(
            *(as_manager(bot, f"-v alpine sh -c 'sleep 0.5; echo {n}'", user=f"m{n}") for n in range(4))
        )
        texts = [r[-1].plain_text() for r in replies]
        assert all(r[-1].tone is Tone.SUCCESS for r in replies), texts
        used = {port for port in ports if any(f"at 127.0.0.1:{port} on node" in text for text in texts)}
        assert used == set(ports)  # one run at once each: both ran some
        assert any("Your turn came after" in reply.plain_text() for r in replies for reply in r)
    finally:
        for server in servers:
            await server.stop()


@pytest.mark.docker
async def test_a_bot_that_runs_sandboxes_itself_says_so_to_managers(make_bot: MakeBot, docker_client: Any) -> None:
    bot = await make_bot()
    node = docker_client.info()["Name"]
    shown = (await as_manager(bot, "-v alpine echo hi"))[-1].plain_text()
    assert f"Ran by the bot's own process on node `{node}`." in shown
