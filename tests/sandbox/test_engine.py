"""The engine side: unreachable engine, pulls from a real registry, runtimes, the sweeper, shutdown,
and an engine restart in the middle of a run."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import docker
import pytest

from bot.replies import Code, Tone
from bot.sandbox.policy import LABEL, LABEL_DEADLINE, LABEL_INSTANCE
from tests.invocations import CollectingResponder
from tests.sandbox.sbx import BOTH_PATHS, REGISTRY_IMAGE, TEST_OWNER, MakeBot, labelled, wait_until

pytestmark = pytest.mark.docker


@BOTH_PATHS
async def test_engine_unreachable_answers_fast_and_other_commands_work(
    make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-such-docker.sock")
    bot = await make_bot(sandbox_prefetch=True)  # the background pull must not break start-up
    started = time.monotonic()
    reply = await bot.result("alpine echo hi")
    assert time.monotonic() - started < 2
    assert reply.tone is Tone.ERROR
    assert "The Docker engine is not reachable right now" in reply.plain_text()
    inv = bot.inv()
    await bot.core.invoke(inv, "help", "")
    assert isinstance(inv.responder, CollectingResponder)
    assert "!run" in inv.responder.sent[0].plain_text()
    # The sweeper and the prefetch kept quiet; closing works with no engine.


@BOTH_PATHS
async def test_engine_at_a_closed_tcp_port_answers_fast(make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")
    bot = await make_bot()
    started = time.monotonic()
    text = (await bot.result("alpine echo hi")).plain_text()
    assert time.monotonic() - started < 2
    assert "not reachable" in text


def _remove_local(client: docker.DockerClient, name: str) -> None:
    with contextlib.suppress(docker.errors.ImageNotFound):
        client.images.remove(name, force=True)


@BOTH_PATHS
async def test_pull_from_the_local_registry_shared_by_two_members(
    make_bot: MakeBot, docker_client: docker.DockerClient
) -> None:
    _remove_local(docker_client, REGISTRY_IMAGE)
    bot = await make_bot()
    sandbox = bot.engine_side
    assert sandbox is not None
    first, second = await asyncio.gather(
        bot.run(f"{REGISTRY_IMAGE} echo pulled", user="a"), bot.run(f"{REGISTRY_IMAGE} echo pulled", user="b")
    )
    assert sandbox.puller.pulls_started == 1  # single flight
    for replies in (first, second):
        progress, result = replies[0], replies[-1]
        assert progress.plain_text().startswith(f"⬇️ Pulled `{REGISTRY_IMAGE}` in"), progress.plain_text()
        assert next(b.text for b in result.blocks if isinstance(b, Code)) == "pulled"
    # Present now: no pull, no progress message.
    assert len(await bot.run(f"{REGISTRY_IMAGE} true")) == 1


@BOTH_PATHS
async def test_pull_of_a_missing_image_fails_clearly(make_bot: MakeBot, docker_client: object) -> None:
    bot = await make_bot(sandbox_images="alpine, 127.0.0.1:5000/studybot/absent:1")
    replies = await bot.run("127.0.0.1:5000/studybot/absent:1 true")
    assert replies[0].plain_text().startswith("⬇️ Pulling `127.0.0.1:5000/studybot/absent:1` failed.")
    assert "Could not pull" in replies[-1].plain_text()


async def test_background_prefetch_pulls_allowed_images(make_bot: MakeBot, docker_client: docker.DockerClient) -> None:
    _remove_local(docker_client, REGISTRY_IMAGE)
    bot = await make_bot(sandbox_prefetch=True)
    assert bot.core.sandbox  # start-up returned before the pull finished
    assert await wait_until(lambda: bool(docker_client.images.list(name=REGISTRY_IMAGE)), timeout=20)


async def test_sweeper_removes_only_labelled_leftovers(make_bot: MakeBot, docker_client: docker.DockerClient) -> None:
    leftover = docker_client.containers.create(
        "alpine", ["sleep", "1000"], labels={LABEL: TEST_OWNER, LABEL_INSTANCE: "crashed", LABEL_DEADLINE: "0"},
        network_mode="none",
    )
    leftover.start()
    stopped = docker_client.containers.create(
        "alpine", ["true"], labels={LABEL: TEST_OWNER, LABEL_INSTANCE: "crashed", LABEL_DEADLINE: "1"},
        network_mode="none",
    )
    # Another instance's run between create and start (or exit and inspect): before its deadline, kept.
    live = docker_client.containers.create(
        "alpine", ["true"], labels={LABEL: TEST_OWNER, LABEL_INSTANCE: "other", LABEL_DEADLINE: "9999999999"},
        network_mode="none",
    )
    foreign = docker_client.containers.create("alpine", ["true"], labels={LABEL: "someone-else"}, network_mode="none")
    unlabelled = docker_client.containers.create("alpine", ["true"], network_mode="none")
    try:
        bot = await make_bot()
        assert bot.engine_side is not None
        assert await bot.engine_side.sweeper.sweep() == 2
        names = {c.id for c in docker_client.containers.list(all=True, sparse=True)}
        assert foreign.id in names and unlabelled.id in names and live.id in names
        assert leftover.id not in names and stopped.id not in names
    finally:
        for container in (foreign, unlabelled, live):
            container.remove(force=True)


async def test_shutdown_removes_running_containers(make_bot: MakeBot, docker_client: docker.DockerClient) -> None:
    bot = await make_bot(sandbox_timeout=60)
    task = asyncio.create_task(bot.run("alpine sleep 100"))
    assert await wait_until(lambda: len(labelled(docker_client)) == 1, timeout=5)
    await bot.core.close()
    assert labelled(docker_client) == []
    replies = await asyncio.wait_for(task, timeout=10)
    assert replies[-1].tone is Tone.ERROR  # the member hears the run did not finish


def _local_dockerd() -> tuple[int, list[str]]:
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    assert host.startswith("unix://"), "the restart test needs the local engine that .ci/setup-docker.sh starts"
    pid = int(subprocess.run(["pidof", "dockerd"], capture_output=True, text=True, check=True).stdout.split()[0])
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    return pid, [part.decode() for part in cmdline]


async def test_engine_restart_mid_run_reports_an_error_and_leaves_nothing(
    make_bot: MakeBot, docker_client: docker.DockerClient
) -> None:
    pid, cmdline = _local_dockerd()
    bot = await make_bot(sandbox_timeout=60)
    task = asyncio.create_task(bot.run("alpine sleep 100"))
    assert await wait_until(lambda: len(labelled(docker_client)) == 1, timeout=5)

    os.kill(pid, signal.SIGTERM)
    assert await wait_until(lambda: not Path(f"/proc/{pid}").exists(), timeout=20)
    log = Path("/var/lib/studybot-ci/dockerd.log")
    with open(log if log.parent.exists() else os.devnull, "ab") as out:
        subprocess.Popen(cmdline, stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True)

    replies = await asyncio.wait_for(task, timeout=30)
    text = replies[-1].plain_text()
    assert replies[-1].tone is Tone.ERROR
    assert "stopped answering during the run" in text or "not reachable" in text

    def engine_back() -> bool:
        try:
            return bool(docker_client.ping())
        except Exception:
            return False

    assert await wait_until(engine_back, timeout=60, every=0.5)
    assert await wait_until(lambda: labelled(docker_client) == [], timeout=20, every=0.5)
    assert (await bot.result("alpine echo back")).tone is Tone.SUCCESS
