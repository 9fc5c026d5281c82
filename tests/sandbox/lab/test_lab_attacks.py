"""A hostile member against the lab, on the real engine: each test is an attack that once got through (a review of
issue 12), and what the lab answers now."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import docker
import pytest

from bot.config import SandboxSettings
from bot.sandbox.lab.names import LABEL_LAB, LabNames
from bot.sandbox.lab.port import MAX_LAB_OUTPUT_BYTES, LabAnswer, LabOwner, LabRequest
from bot.sandbox.service import Sandbox
from tests.sandbox.lab.labs import lab_objects, owner
from tests.sandbox.sbx import TEST_OWNER

pytestmark = pytest.mark.docker

BIG_STEP = "FROM alpine\nRUN head -c 12000000 /dev/urandom > /big\n"  # a 12 MB layer on the 2 MB base


def _remove_containers(client: docker.DockerClient, names: LabNames) -> None:
    for container in client.containers.list(all=True, filters={"label": f"{LABEL_LAB}={names.id}"}, sparse=True):
        container.remove(force=True)


@dataclass(frozen=True, slots=True)
class Mallory:
    """A hostile member's lab: ``await mallory(*argv, files=…)`` is ``!docker <argv…>``."""

    sandbox: Sandbox
    owner: LabOwner

    @property
    def names(self) -> LabNames:
        return LabNames.of(self.owner, TEST_OWNER)

    async def __call__(self, *argv: str, files: dict[str, str] | None = None) -> LabAnswer:
        return await self.sandbox.lab.docker(LabRequest(self.owner, argv, files or {}))


@pytest.fixture
async def lab(docker_client: docker.DockerClient) -> AsyncIterator[Callable[..., Mallory]]:
    """``lab(**settings)``: a fresh lab of a sandbox with those settings; the lab is reset after the test and
    nothing of it may be left (its containers go first, straight through the engine, so that a lab whose engine
    pool an attack exhausted is still cleaned up)."""
    made: list[Mallory] = []

    def make(**overrides: object) -> Mallory:
        values: dict[str, object] = {"images": "alpine, busybox", "prefetch": False, "owner": TEST_OWNER, "timeout": 5}
        sandbox = Sandbox(SandboxSettings(**{**values, **overrides}))  # type: ignore[arg-type]
        made.append(Mallory(sandbox, owner("mallory")))
        return made[-1]

    yield make
    for mallory in made:
        sandbox, lab_owner, names = mallory.sandbox, mallory.owner, mallory.names
        await asyncio.to_thread(_remove_containers, docker_client, names)
        await sandbox.lab.reset(lab_owner)
        await sandbox.close()
        assert await asyncio.to_thread(lab_objects, docker_client, names) == []
        assert docker_client.images.list(all=True, filters={"label": f"{LABEL_LAB}={names.id}"}) == []


async def test_exec_floods_and_endless_execs_cost_neither_memory_nor_the_engine_pool(lab) -> None:
    # One worker short of nothing: the sandbox's run pool is 2 * max_running + 8 threads.
    docker_ = lab(timeout=1, max_running=1)
    for name in ("a", "b"):
        assert (await docker_("run", "-d", "--name", name, "alpine", "sleep", "300")).exit_code == 0

    flood = await docker_("exec", "a", "yes")
    assert flood.truncated and "still_running" in flood.notes
    assert flood.output.startswith("y\ny\n") and len(flood.output.encode()) <= MAX_LAB_OUTPUT_BYTES

    endless = ("sh", "-c", "while true; do echo tick; sleep 0.3; done")
    for number in range(10):
        answer = await docker_("exec", "ab"[number % 2], *endless)
        assert "still_running" in answer.notes and answer.output.startswith("tick\n")
    started = time.monotonic()
    answer = await asyncio.wait_for(docker_("exec", "a", "sh", "-c", "echo hi; exit 3"), 15)
    assert (answer.exit_code, answer.output) == (3, "hi\n")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("user", ["00", "+0", "000:65534", "", ":"])
async def test_root_in_any_spelling_is_refused_under_runc(lab, user: str) -> None:
    docker_ = lab(runtime="runc")
    run = await docker_("run", "--rm", "-u", user, "alpine", "id", "-u")
    assert (run.exit_code, run.refusal, run.detail, run.output) == (125, "flag", f"-u {user}", "")
    assert (await docker_("run", "-d", "--name", "web", "alpine", "sleep", "60")).exit_code == 0
    exec_ = await docker_("exec", "--user", user, "web", "id", "-u")
    assert (exec_.refusal, exec_.detail) == ("flag", f"--user {user}")
    assert (await docker_("run", "--rm", "-u", "1000", "alpine", "id", "-u")).output == "1000\n"


async def test_engine_messages_name_no_host_path(lab) -> None:
    docker_ = lab()
    await docker_("pull", "alpine")
    onto_a_file = await docker_("run", "--rm", "-v", "data:/etc/hostname", "alpine", "true")
    assert onto_a_file.exit_code == 125
    assert onto_a_file.output.startswith("docker: Error response from daemon: source /etc/hostname is not directory\n")
    for argv in (("--cpus", "0.001"), ("-m", "6m")):
        answer = await docker_("run", "--rm", *argv, "alpine", "true")
        assert answer.exit_code == 125 and answer.output.startswith("docker: Error response from daemon: ")
        assert "/var/lib/docker" not in answer.output and "/sys/fs/cgroup" not in answer.output
        assert "[host path]" in answer.output


async def test_rebuilds_never_pile_up_images_past_the_size_cap(lab, docker_client: docker.DockerClient) -> None:
    docker_ = lab(lab_image_mib=40, timeout=20)
    files = {"Dockerfile": BIG_STEP}

    async def build() -> LabAnswer:
        return await docker_("build", "-t", "big", ".", files=files)

    for _ in range(3):  # the same tag over and over: the images it leaves untagged go
        assert (await build()).exit_code == 0
    held = docker_client.images.list(filters={"label": f"{LABEL_LAB}={docker_.names.id}"})
    assert len(held) <= 2  # the tagged one, and the one the last rebuild replaced (until the next build)

    # Untagged images a container still uses stay on the disk, so they count: a fourth 14 MB image no longer fits
    # in 40 MB once two of them are held by containers (the image a rebuild replaces does not count).
    assert (await docker_("run", "-d", "--name", "c1", "big", "sleep", "300")).exit_code == 0
    assert (await build()).exit_code == 0
    assert (await docker_("run", "-d", "--name", "c2", "big", "sleep", "300")).exit_code == 0
    assert (await build()).exit_code == 0
    too_big = await build()
    assert (too_big.exit_code, too_big.refusal) == (125, "build_too_big")


async def test_a_deep_repository_name_is_the_labs_like_any_other(lab) -> None:
    # Once invisible to the lab (the engine's reference filter matched two path components at most): out of
    # `images`, out of the quota, and left on the engine by reset, keeping a built image alive for good.
    docker_ = lab(lab_images=2)
    await docker_("pull", "alpine")
    assert (await docker_("tag", "alpine", "a/b/c/d:1")).exit_code == 0
    rows = [line.split()[:2] for line in (await docker_("images")).output.splitlines()[1:]]
    assert sorted(rows) == [["a/b/c/d", "1"], ["alpine", "latest"]]
    refused = await docker_("tag", "alpine", "x/y/z")
    assert (refused.exit_code, refused.refusal, refused.detail) == (125, "quota", "images:2")
    assert (await docker_("rmi", "a/b/c/d:1")).output == "Untagged: a/b/c/d:1\n"
