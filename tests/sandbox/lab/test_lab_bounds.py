"""The lab's two bounds on the real engine: a lab's volumes cannot fill the disk (the watcher kills the writers and
refuses to run them again until the lab is under its limit), and lab networks take their addresses from the lab's
own pool, never from the engine's default pools. Each test uses a deployment of its own, so its watcher never
acts on another test's labs."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import docker
import pytest

from bot.config import SandboxSettings
from bot.sandbox.lab import subnets
from bot.sandbox.lab.names import LABEL_OWNER, lab_id
from bot.sandbox.lab.port import LabAnswer, LabOwner, LabRequest
from bot.sandbox.service import Sandbox

pytestmark = pytest.mark.docker

Docker = Callable[..., Awaitable[LabAnswer]]
WRITER = "while :; do head -c 1000000 /dev/zero > /data/$RANDOM; done"
DEFAULT_POOLS = [ipaddress.ip_network("172.16.0.0/12"), ipaddress.ip_network("192.168.0.0/16")]


def deployment(kind: str) -> str:
    return f"studybot-test-{kind}-{uuid.uuid4().hex[:8]}"


def labelled(client: docker.DockerClient, owner: str) -> list[str]:
    """Everything of a deployment left on the engine (containers, volumes, networks)."""
    wanted = {"label": f"{LABEL_OWNER}={owner}"}
    return ([c.name for c in client.containers.list(all=True, filters=wanted, sparse=True)]
            + [v.name for v in client.volumes.list(filters=wanted)]
            + [n.name for n in client.networks.list(filters=wanted)])


@pytest.fixture
async def lab_of(docker_client: docker.DockerClient) -> AsyncIterator[Callable[..., Docker]]:
    """``lab_of(sandbox, owner)`` → ``docker(*argv, files=None)`` in that lab; every lab is reset and every
    sandbox closed after the test, and nothing of their deployments may be left."""
    used: list[tuple[Sandbox, LabOwner]] = []

    def make(sandbox: Sandbox, owner: LabOwner) -> Docker:
        used.append((sandbox, owner))

        async def run(*argv: str, files: dict[str, str] | None = None) -> LabAnswer:
            return await sandbox.lab.docker(LabRequest(owner, argv, files or {}))

        return run

    yield make  # type: ignore[misc]
    for sandbox, owner in used:
        await sandbox.lab.reset(owner)
    for sandbox in {id(s): s for s, _ in used}.values():
        await sandbox.close()
        assert await asyncio.to_thread(labelled, docker_client, sandbox.settings.owner) == []


def member(server: str = "server") -> LabOwner:
    return LabOwner(f"member-{uuid.uuid4().hex[:8]}", server)


def sandbox_for(owner: str, **overrides: object) -> Sandbox:
    values: dict[str, object] = {"images": "alpine, busybox", "prefetch": False, "owner": owner, "timeout": 5}
    return Sandbox(SandboxSettings(**{**values, **overrides}))  # type: ignore[arg-type]


async def state_of(docker_: Docker, name: str) -> str:
    """The STATUS cell of a container in ``ps -a``."""
    for line in (await docker_("ps", "-a")).output.splitlines()[1:]:
        if line.rstrip().endswith(name):
            return line
    return ""


# volumes --------------------------------------------------------------------------------------------


async def test_a_lab_filling_its_volumes_is_stopped_and_cannot_mount_them_until_under_its_limit(
    lab_of: Callable[..., Docker], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.sandbox.lab.volume_usage")
    small = sandbox_for(deployment("volume"), lab_volume_mib=2, lab_volume_check_seconds=2)
    other = sandbox_for(deployment("volume-other"))  # another deployment on the engine: 200 MiB
    alice = member()
    docker_, neighbour = lab_of(small, alice), lab_of(other, member())

    # The neighbour's container holds 3 MiB (over the small deployment's limit, under its own) and keeps running.
    kept = await neighbour("run", "-d", "-u", "0", "--name", "keep", "-v", "data:/data", "alpine", "sh", "-c",
                           "head -c 3000000 /dev/zero > /data/f; sleep 120")
    assert kept.exit_code == 0, kept
    idle = await docker_("run", "-d", "--name", "idle", "alpine", "sleep", "120")  # mounts no volume
    writer = await docker_("run", "-d", "-u", "0", "--name", "writer", "-v", "data:/data", "alpine", "sh", "-c",
                           WRITER)
    assert writer.exit_code == 0, writer
    started = time.monotonic()
    while "Exited (137)" not in await state_of(docker_, "writer"):
        assert time.monotonic() - started < 8, "the writer was not stopped"
        await asyncio.sleep(0.25)
    assert idle.exit_code == 0 and " Up " in await state_of(docker_, "idle")  # mounts no volume: left alone
    assert " Up " in await state_of(neighbour, "keep")  # another deployment's lab: never touched

    for argv in (("run", "--rm", "-v", "data:/data", "alpine", "true"), ("start", "writer")):
        refused = await docker_(*argv)
        assert (refused.refusal, refused.detail, refused.exit_code) == ("quota", "volume_mib:2", 125), argv
    assert (await docker_("run", "--rm", "alpine", "echo", "free")).output == "free\n"  # no volume: allowed
    stops = [r.getMessage() for r in caplog.records if "volume watcher stopped" in r.getMessage()]
    assert len(stops) == 1 and stops[0].startswith(f"lab volume watcher stopped lab {lab_id(alice)}: ")
    state = await small.lab.state(alice)
    assert state.quotas is not None and state.quotas.volume_bytes == 2 * 2**20
    assert state.volume_bytes > 2 * 2**20

    # The member's way out: remove the container and the volume; a fresh one mounts again.
    assert (await docker_("rm", "writer")).exit_code == 0
    assert (await docker_("volume", "rm", "data")).output == "data\n"
    again = await docker_("run", "--rm", "-v", "data:/data", "alpine", "ls", "/data")
    assert (again.exit_code, again.refusal, again.output) == (0, None, "")



# networks -------------------------------------------------------------------------------------------


def subnet_of(client: docker.DockerClient, name: str) -> ipaddress.IPv4Network:
    (config,) = client.networks.get(name).attrs["IPAM"]["Config"]
    subnet = ipaddress.ip_network(config["Subnet"])
    assert isinstance(subnet, ipaddress.IPv4Network)
    return subnet


async def test_forty_lab_networks_take_their_subnets_from_the_lab_pool(
    lab_of: Callable[..., Docker], docker_client: docker.DockerClient
) -> None:
    """20 labs of one server with 2 networks each (the quotas' most), created at once."""
    sandbox = sandbox_for(deployment("networks"))
    labs = [lab_of(sandbox, member()) for _ in range(20)]

    async def two(docker_: Docker) -> list[LabAnswer]:
        return [await docker_("network", "create", name) for name in ("front", "back")]

    made = [a for answers in await asyncio.gather(*(two(d) for d in labs)) for a in answers]
    assert [a.exit_code for a in made] == [0] * 40, [a.output for a in made if a.exit_code]
    names = [n.name for n in docker_client.networks.list(filters={"label": f"{LABEL_OWNER}={sandbox.settings.owner}"})]
    found = [subnet_of(docker_client, n) for n in names]
    pool = ipaddress.ip_network("10.213.0.0/16")
    assert len(found) == len(set(found)) == 40
    assert all(s.prefixlen == 28 and s.subnet_of(pool) for s in found)  # type: ignore[arg-type]
    assert not any(s.overlaps(p) for s in found for p in DEFAULT_POOLS)


async def test_a_subnet_taken_meanwhile_is_skipped_and_a_full_pool_is_a_quota_refusal(
    lab_of: Callable[..., Docker], docker_client: docker.DockerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pool of its own, four /28s, so the test knows what is free (nothing else on this engine uses 10.214.77.x).
    sandbox = sandbox_for(deployment("pool"), lab_network_pool="10.214.77.0/26", lab_networks=3)
    alice, bob = member(), member()
    first, second = lab_of(sandbox, alice), lab_of(sandbox, bob)
    assert (await first("network", "create", "one")).exit_code == 0
    taken = subnet_of(docker_client, f"lab-{lab_id(alice)}-one")
    assert taken == ipaddress.ip_network("10.214.77.0/28")

    # Another runner made `one` between our listing and our create: the engine refuses the overlap, the next goes.
    listed = subnets.used_subnets
    monkeypatch.setattr(subnets, "used_subnets", lambda networks: [s for s in listed(networks) if s != taken])
    assert (await first("network", "create", "two")).exit_code == 0
    monkeypatch.undo()
    assert subnet_of(docker_client, f"lab-{lab_id(alice)}-two") == ipaddress.ip_network("10.214.77.16/28")

    # compose's networks go through the same function
    up = await second("compose", "up", "-d", files={
        "compose.yaml": "name: demo\nservices:\n  web:\n    image: alpine\n    command: sleep 60\n"
    })
    assert up.exit_code == 0, up.output
    assert subnet_of(docker_client, f"lab-{lab_id(bob)}-demo_default") == ipaddress.ip_network(
        "10.214.77.32/28"
    )
    assert (await second("network", "create", "more")).exit_code == 0  # the last /28
    full = await first("network", "create", "three")
    assert (full.refusal, full.detail, full.exit_code) == ("quota", "network_pool", 125)
    assert "three" not in (await first("network", "ls")).output
