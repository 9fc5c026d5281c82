"""The lab's engine side on the real engine: each command's output next to what the docker CLI prints for the
same command on a scratch container, the policy, two members' labs, quotas, idle expiry and reset."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import docker
import pytest

from bot.sandbox.lab.names import LABEL_LAB, LabNames
from bot.sandbox.lab.port import LabAnswer, LabOwner, LabRequest
from bot.sandbox.service import Sandbox
from tests.sandbox.lab.labs import lab_objects, owner
from tests.sandbox.sbx import TEST_OWNER

pytestmark = pytest.mark.docker

HEX64 = re.compile(r"[0-9a-f]{64}\n")
Docker = Callable[..., Awaitable[LabAnswer]]


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """The real docker CLI, for the shapes to compare with (only on scratch objects this test names)."""
    return subprocess.run(["docker", *argv], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
async def sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox()


@pytest.fixture
async def labs(sandbox: Sandbox, docker_client: docker.DockerClient) -> AsyncIterator[Callable[[LabOwner], Docker]]:
    """``labs(owner)`` → ``docker(*argv)`` in that owner's lab; every lab used is reset after the test, and
    nothing of it may be left on the engine."""
    used: list[tuple[Sandbox, LabOwner]] = []

    def make(lab_owner: LabOwner, on: Sandbox | None = None) -> Docker:
        target = on or sandbox
        used.append((target, lab_owner))

        async def run(*argv: str) -> LabAnswer:
            return await target.lab.docker(LabRequest(lab_owner, argv))

        return run

    yield make  # type: ignore[misc]
    for target, lab_owner in used:
        await target.lab.reset(lab_owner)
        names = LabNames.of(lab_owner, TEST_OWNER)
        assert await asyncio.to_thread(lab_objects, docker_client, names) == []


@pytest.fixture
def scratch() -> AsyncIterator[str]:
    """A name for the CLI's scratch objects; removed after the test by that name only."""
    name = f"studybot-test-scratch-{uuid.uuid4().hex[:8]}"
    yield name  # type: ignore[misc]
    cli("rm", "-f", name)


def columns(line: str) -> list[str]:
    return re.split(r" {3,}", line.strip())


# run, ps --------------------------------------------------------------------------------------------


async def test_run_detached_prints_the_id_and_ps_shows_it_as_the_cli_does(labs, scratch: str) -> None:
    docker_ = labs(owner())
    answer = await docker_("run", "-d", "--name", "web", "alpine", "sleep", "300")
    assert answer.exit_code == 0
    assert answer.output.startswith("Unable to find image 'alpine:latest' locally\n")
    container_id = answer.output.splitlines()[-1]
    assert HEX64.fullmatch(container_id + "\n")

    assert cli("run", "-d", "--name", scratch, "alpine", "sleep", "300").returncode == 0
    await asyncio.sleep(1.2)
    theirs = cli("ps", "--filter", f"name={scratch}").stdout.splitlines()
    ours = (await docker_("ps")).output.splitlines()
    assert columns(theirs[0]) == columns(ours[0])
    mine, cli_row = columns(ours[1]), columns(theirs[1])
    assert mine[0] == container_id[:12]
    assert mine[1:3] == cli_row[1:3] == ["alpine", '"sleep 300"']
    assert mine[3].endswith(" ago") and mine[4].startswith("Up ") and cli_row[4].startswith("Up ")
    assert mine[-1] == "web"
    assert ours[0].index("COMMAND") == theirs[0].index("COMMAND")  # same cells before it, same padding
    quiet = await docker_("ps", "-q")
    assert quiet.output == container_id[:12] + "\n"


async def test_foreground_run_prints_the_output_and_exits_with_the_containers_code(labs, scratch: str) -> None:
    docker_ = labs(owner())
    # (a pause between the two streams: lines written to stdout and stderr within a moment may come in either order,
    # from the docker CLI too)
    script = "echo hi; sleep 0.2; echo oops >&2; exit 3"
    answer = await docker_("run", "alpine", "sh", "-c", script)
    theirs = cli("run", "--name", scratch, "alpine", "sh", "-c", script)
    assert (answer.exit_code, theirs.returncode) == (3, 3)
    assert answer.output.endswith("hi\noops\n")
    listed = (await docker_("ps", "-a")).output.splitlines()
    assert len(listed) == 2 and "Exited (3) " in listed[1]
    assert (await docker_("run", "--rm", "alpine", "true")).exit_code == 0
    assert len((await docker_("ps", "-aq")).output.splitlines()) == 1  # --rm left nothing


async def test_a_run_still_going_at_the_time_limit_is_left_running(make_sandbox, labs) -> None:
    docker_ = labs(owner(), make_sandbox(timeout=1))
    answer = await docker_("run", "--name", "slow", "alpine", "sh", "-c", "echo started; sleep 60")
    assert answer.exit_code == 0 and "still_running" in answer.notes and "started\n" in answer.output
    assert "Up " in (await docker_("ps")).output


async def test_name_conflict_reads_like_the_cli(labs, scratch: str) -> None:
    docker_ = labs(owner())
    first = await docker_("run", "-d", "--name", "web", "alpine", "sleep", "300")
    container_id = first.output.splitlines()[-1]
    again = await docker_("run", "--name", "web", "alpine", "true")
    cli("create", "--name", scratch, "alpine", "true")
    theirs = cli("run", "--name", scratch, "alpine", "true")
    assert again.exit_code == theirs.returncode == 125
    expected = theirs.stderr.replace(scratch, "web")
    expected = re.sub(r'by container "[0-9a-f]{64}"', f'by container "{container_id}"', expected)
    assert again.output == expected


async def test_a_missing_command_exits_127(labs) -> None:
    answer = await labs(owner())("run", "alpine", "nosuchcommand")
    assert answer.exit_code == 127


# logs, exec, stop, start, restart, rm ------------------------------------------------------------


async def test_logs_exec_stop_start_restart_rm(labs, scratch: str) -> None:
    docker_ = labs(owner())
    await docker_("run", "-d", "--name", "talker", "alpine", "sh", "-c", "echo one; echo two; echo three; sleep 300")
    await asyncio.sleep(1)
    assert (await docker_("logs", "talker")).output == "one\ntwo\nthree\n"
    tail = await docker_("logs", "--tail", "1", "-t", "talker")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z three\n", tail.output)

    exec_ = await docker_("exec", "talker", "sh", "-c", "id -u; exit 4")
    assert (exec_.exit_code, exec_.output) == (4, "65534\n")
    assert "no_tty" in (await docker_("exec", "-it", "talker", "true")).notes

    running_rm = await docker_("rm", "talker")
    cli("run", "-d", "--name", scratch, "alpine", "sleep", "300")
    theirs = cli("rm", scratch)
    assert running_rm.exit_code == theirs.returncode == 1
    assert re.sub("[0-9a-f]{64}", "ID", running_rm.output) == re.sub("[0-9a-f]{64}", "ID", theirs.stderr)

    assert (await docker_("stop", "-t", "1", "talker")).output == "talker\n"
    assert "Exited (" in (await docker_("ps", "-a")).output
    exec_stopped = await docker_("exec", "talker", "true")
    assert exec_stopped.exit_code != 0 and "is not running" in exec_stopped.output
    assert (await docker_("start", "talker")).output == "talker\n"
    assert (await docker_("restart", "-t", "1", "talker")).output == "talker\n"
    assert "Up " in (await docker_("ps")).output
    assert (await docker_("rm", "-f", "talker")).output == "talker\n"
    assert (await docker_("ps", "-aq")).output == ""

    for command in ("logs", "stop", "rm"):
        mine, theirs = await docker_(command, "ghost"), cli(command, "ghost")
        assert (mine.exit_code, mine.output) == (theirs.returncode, theirs.stderr), command
    mine, theirs = await docker_("start", "ghost"), cli("start", "ghost")
    assert (mine.exit_code, mine.output) == (theirs.returncode, theirs.stderr)


# images, pull, tag, rmi, inspect ------------------------------------------------------------------


async def test_images_pull_tag_rmi(labs) -> None:
    docker_ = labs(owner())
    assert (await docker_("images")).output == "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
    pulled = await docker_("pull", "alpine")
    assert pulled.exit_code == 0
    assert pulled.output.startswith("Using default tag: latest\nlatest: Pulling from library/alpine\n")
    assert pulled.output.endswith("Status: Downloaded newer image for alpine:latest\ndocker.io/library/alpine:latest\n")
    assert "Image is up to date for alpine:latest" in (await docker_("pull", "alpine:latest")).output
    denied = await docker_("pull", "nginx")
    assert (denied.refusal, denied.detail, denied.exit_code) == ("image_not_allowed", "nginx", 1)
    assert denied.output.startswith("Error response from daemon: pull access denied for nginx,")

    assert (await docker_("tag", "alpine", "mine:1")).output == ""
    listed = (await docker_("images")).output.splitlines()
    theirs = cli("images", "alpine").stdout.splitlines()
    assert columns(listed[0]) == columns(theirs[0]) == ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
    rows = sorted(columns(line)[:2] for line in listed[1:])
    assert rows == [["alpine", "latest"], ["mine", "1"]]
    assert columns(listed[1])[2:] == columns(theirs[1])[2:]  # the same id, age and size as the CLI's
    assert len(set((await docker_("images", "-q")).output.split())) == 1

    assert (await docker_("rmi", "mine:1")).output == "Untagged: mine:1\n"
    image_id = columns(listed[1])[2]
    forced = await docker_("tag", "alpine", "again:1"), await docker_("rmi", image_id)
    assert forced[1].exit_code == 1 and "image is referenced in multiple repositories" in forced[1].output
    missing = await docker_("rmi", "ghost")
    assert missing.output == cli("rmi", "ghost").stderr
    assert cli("images", "-q", "alpine:latest").stdout.strip()  # the shared base image stays


async def test_inspect_shows_the_members_names_only(labs) -> None:
    docker_ = labs(owner())
    await docker_("volume", "create", "data")
    await docker_("network", "create", "backend")
    await docker_("run", "-d", "--name", "web", "-v", "data:/data", "--network", "backend", "-e", "A=1",
                  "alpine", "sleep", "300")
    answer = await docker_("inspect", "web")
    assert "lab-" not in answer.output
    (found,) = json.loads(answer.output)
    assert found["Name"] == "/web" and found["Config"]["Image"] == "alpine"
    assert "A=1" in found["Config"]["Env"] and found["Config"]["Labels"] == {}
    assert found["Mounts"] == [{"Type": "volume", "Name": "data", "Destination": "/data", "RW": True}]
    assert found["HostConfig"]["NetworkMode"] == "backend"
    for ref in ("alpine", "data", "backend"):
        shown = await docker_("inspect", ref)
        assert shown.exit_code == 0 and "lab-" not in shown.output, ref
    mine, theirs = await docker_("inspect", "ghost"), cli("inspect", "ghost")
    assert (mine.exit_code, mine.output) == (theirs.returncode, theirs.stdout + theirs.stderr)


# volumes and networks --------------------------------------------------------------------------


async def test_volumes_and_networks(labs, scratch: str) -> None:
    docker_ = labs(owner())
    assert (await docker_("volume", "create", "data")).output == "data\n"
    theirs = cli("volume", "ls", "--filter", "name=nothing-like-this")
    assert (await docker_("volume", "ls")).output.splitlines()[0] == theirs.stdout.splitlines()[0]
    assert (await docker_("volume", "ls")).output == "DRIVER    VOLUME NAME\nlocal     data\n"
    made = await docker_("network", "create", "backend")
    assert HEX64.fullmatch(made.output)
    listed = (await docker_("network", "ls")).output
    assert listed == f"NETWORK ID     NAME      DRIVER    SCOPE\n{made.output[:12]}   backend   bridge    local\n"

    write = await docker_("run", "--rm", "-u", "0", "-v", "data:/data", "alpine", "sh", "-c", "echo kept > /data/f")
    assert write.exit_code == 0, write.output
    read = await docker_("run", "--rm", "-v", "data:/data:ro", "--network", "backend", "alpine", "cat", "/data/f")
    assert (read.exit_code, read.output) == (0, "kept\n")

    await docker_("run", "-d", "--name", "user", "-v", "data:/data", "alpine", "sleep", "300")
    in_use = await docker_("volume", "rm", "data")
    assert in_use.exit_code == 1 and "volume is in use" in in_use.output and "lab-" not in in_use.output
    await docker_("rm", "-f", "user")
    assert (await docker_("volume", "rm", "data")).output == "data\n"
    assert (await docker_("network", "rm", "backend")).output == "backend\n"
    for argv in (("volume", "rm", "ghost"), ("network", "rm", "ghost")):
        mine, theirs = await docker_(*argv), cli(*argv)
        assert (mine.exit_code, mine.output) == (theirs.returncode, theirs.stderr), argv


# the policy ---------------------------------------------------------------------------------------

REFUSED = [
    (("--privileged",), "--privileged"),
    (("--cap-add", "SYS_ADMIN"), "--cap-add"),
    (("--device", "/dev/kmsg"), "--device"),
    (("-v", "/:/host"), "-v /:/host"),
    (("--volume", "/etc:/etc:ro"), "--volume /etc:/etc:ro"),
    (("-v", "./x:/x"), "-v ./x:/x"),
    (("-v", "/anonymous"), "-v /anonymous"),
    (("--mount", "type=bind,src=/,dst=/h"), "--mount"),
    (("--network", "host"), "--network host"),
    (("--network", "bridge"), "--network bridge"),
    (("--network", "someone-elses"), "--network someone-elses"),
    (("--pid", "host"), "--pid"),
    (("--ipc", "host"), "--ipc"),
    (("--uts", "host"), "--uts"),
    (("--userns", "host"), "--userns"),
    (("--security-opt", "seccomp=unconfined"), "--security-opt"),
    (("--runtime", "runc"), "--runtime"),
    (("--sysctl", "net.ipv4.ip_forward=1"), "--sysctl"),
    (("--ulimit", "nofile=100000"), "--ulimit nofile=100000"),
    (("-m", "4g"), "-m 4g"),
    (("--cpus", "8"), "--cpus 8"),
    (("--pids-limit", "100000"), "--pids-limit 100000"),
    (("--env-file", "/etc/passwd"), "--env-file"),
    (("--tmpfs", "/run"), "--tmpfs"),
    (("--label", "studybot.lab=someone"), "--label studybot.lab=someone"),
]


@pytest.mark.parametrize(("flags", "detail"), REFUSED)
async def test_refused_flags(labs, docker_client: docker.DockerClient, flags: tuple[str, ...], detail: str) -> None:
    lab_owner = owner()
    answer = await labs(lab_owner)("run", *flags, "alpine", "true")
    assert (answer.refusal, answer.detail, answer.exit_code) == ("flag", detail, 125)
    assert lab_objects(docker_client, LabNames.of(lab_owner, TEST_OWNER)) == []  # nothing was made


@pytest.mark.parametrize("argv", [("-H", "tcp://10.0.0.1:2375", "ps"), ("--context", "other", "ps")])
async def test_global_flags_that_point_elsewhere_are_refused(labs, argv: tuple[str, ...]) -> None:
    answer = await labs(owner())(*argv)
    assert (answer.refusal, answer.detail) == ("flag", argv[0])


async def test_root_only_in_gvisor_and_limits_within_policy(make_sandbox, labs) -> None:
    gvisor = labs(owner(), make_sandbox(runtime="runsc"))
    assert (await gvisor("run", "--rm", "-u", "0", "alpine", "id", "-u")).output.endswith("alpine:latest\n0\n")
    runc = labs(owner(), make_sandbox(runtime="runc"))
    refused = await runc("run", "--rm", "-u", "root", "alpine", "id", "-u")
    assert (refused.refusal, refused.detail) == ("flag", "-u root")
    assert (await runc("run", "--rm", "-u", "1000", "alpine", "id", "-u")).output.endswith("alpine:latest\n1000\n")
    lower = await runc("run", "--rm", "-m", "64m", "--cpus", "0.25", "--pids-limit", "32", "alpine", "true")
    assert lower.exit_code == 0
    none = await runc("run", "--rm", "--network", "none", "alpine", "true")
    assert none.exit_code == 0


async def test_tty_and_ports_are_notes(labs) -> None:
    docker_ = labs(owner())
    answer = await docker_("run", "-it", "-d", "--name", "web", "-p", "8080:80", "alpine", "sleep", "300")
    assert answer.notes == ("no_tty", "ports_not_published")
    assert "8080->80/tcp" in (await docker_("ps")).output


async def test_unimplemented_flags_are_refused_not_ignored(labs) -> None:
    docker_ = labs(owner())
    answer = await docker_("ps", "--format", "{{.ID}}")
    assert (answer.refusal, answer.detail) == ("unsupported", "--format")
    assert (await docker_("run", "--dns", "1.1.1.1", "alpine", "true")).refusal == "unsupported"


# two members ----------------------------------------------------------------------------------------


async def test_two_members_with_the_same_names_never_meet(labs, docker_client: docker.DockerClient) -> None:
    server = f"server-{uuid.uuid4().hex[:8]}"
    alice, bob = labs(LabOwner("alice", server)), labs(LabOwner("bob", server))
    alice_id = (await alice("run", "-d", "--name", "web", "alpine", "sleep", "300")).output.splitlines()[-1]
    bob_id = (await bob("run", "-d", "--name", "web", "alpine", "sleep", "300")).output.splitlines()[-1]
    assert alice_id != bob_id
    assert (await alice("ps", "-q")).output == alice_id[:12] + "\n"
    assert (await bob("ps", "-q")).output == bob_id[:12] + "\n"
    await alice("volume", "create", "data")
    await bob("volume", "create", "data")
    assert (await bob("volume", "ls")).output == "DRIVER    VOLUME NAME\nlocal     data\n"

    for prefix in (alice_id[:4], alice_id[:12], alice_id):
        for command in (("logs",), ("stop",), ("rm", "-f"), ("exec",)):
            argv = (*command, prefix, "true") if command == ("exec",) else (*command, prefix)
            answer = await bob(*argv)
            assert answer.exit_code == 1, argv
            assert answer.output == f"Error response from daemon: No such container: {prefix}\n", argv
        inspected = await bob("inspect", prefix)
        assert inspected.output == f"[]\nError: No such object: {prefix}\n"
    assert (await alice("ps", "-q")).output == alice_id[:12] + "\n"  # untouched
    await bob("rm", "-f", "web")
    assert "web" in (await alice("ps")).output


# quotas ---------------------------------------------------------------------------------------------


async def test_quotas(make_sandbox, labs) -> None:
    sandbox = make_sandbox(lab_running=1, lab_containers=2, lab_volumes=1, lab_networks=1, lab_images=2)
    docker_ = labs(owner(), sandbox)
    assert (await docker_("run", "-d", "alpine", "sleep", "300")).exit_code == 0
    running = await docker_("run", "-d", "alpine", "sleep", "300")
    assert (running.refusal, running.detail) == ("quota", "running:1")
    assert (await docker_("run", "--name", "done", "alpine", "true")).refusal == "quota"  # a run starts it
    await docker_("rm", "-f", (await docker_("ps", "-q")).output.strip())
    await docker_("run", "--name", "one", "alpine", "true")
    await docker_("run", "--name", "two", "alpine", "true")
    third = await docker_("run", "--name", "three", "alpine", "true")
    assert (third.refusal, third.detail) == ("quota", "containers:2")
    await docker_("start", "one")
    assert "quota" in ((await docker_("start", "two")).refusal or "")
    await docker_("volume", "create", "one")
    assert (await docker_("volume", "create", "two")).detail == "volumes:1"
    await docker_("network", "create", "one")
    assert (await docker_("network", "create", "two")).detail == "networks:1"
    await docker_("tag", "alpine", "second:1")
    assert (await docker_("tag", "alpine", "third:1")).detail == "images:2"
    assert (await docker_("pull", "busybox")).detail == "images:2"


async def test_labs_per_server(make_sandbox, labs) -> None:
    sandbox = make_sandbox(labs_per_server=1)
    server = f"server-{uuid.uuid4().hex[:8]}"
    first, second = labs(LabOwner("a", server), sandbox), labs(LabOwner("b", server), sandbox)
    assert (await first("volume", "create", "vol")).exit_code == 0
    answer = await second("volume", "create", "vol")
    assert (answer.refusal, answer.detail) == ("quota", "labs:1")
    assert (await labs(owner(), sandbox)("volume", "create", "vol")).exit_code == 0  # another server


# idle expiry, reset, state -----------------------------------------------------------------------


async def test_idle_labs_of_this_deployment_are_swept(make_sandbox, labs, docker_client) -> None:
    # A deployment of this test's own: its sweeper, idle after 1.2 s, must not sweep other tests' labs on the engine.
    deployment = f"studybot-test-sweep-{uuid.uuid4().hex[:8]}"
    sandbox = make_sandbox(owner=deployment, lab_idle_minutes=0.02)
    other = make_sandbox(owner="studybot-test-other", lab_idle_minutes=0.02)
    lab_owner, other_owner = owner(), owner()
    docker_, theirs = labs(lab_owner, sandbox), labs(other_owner, other)
    await docker_("run", "-d", "--name", "web", "alpine", "sleep", "300")
    await docker_("volume", "create", "data")
    await theirs("volume", "create", "data")
    state = await sandbox.lab.state(lab_owner)
    assert state.expires_at is not None and len(state.containers) == 1
    assert await sandbox.lab_sweeper.sweep() == 0  # not idle yet
    await asyncio.sleep(2.5)
    assert await sandbox.lab_sweeper.sweep() >= 3  # the container, the tag, the volume
    assert lab_objects(docker_client, LabNames.of(lab_owner, deployment)) == []
    assert (await theirs("volume", "ls", "-q")).output == "data\n"  # another deployment's: untouched
    assert (await sandbox.lab.state(lab_owner)).expires_at is None


async def test_state_and_reset(sandbox: Sandbox, labs, docker_client) -> None:
    lab_owner = owner()
    docker_ = labs(lab_owner)
    await docker_("network", "create", "backend")
    await docker_("run", "-d", "--name", "web", "-p", "80", "-e", "A=1", "--network", "backend", "alpine",
                  "sleep", "300")
    state = await sandbox.lab.state(lab_owner)
    (web,) = state.containers
    assert (web.name, web.image, web.command, web.status) == ("web", "alpine", ("sleep", "300"), "running")
    assert web.ports == ("80",) and web.networks == ("backend",) and "A=1" in web.env
    assert [i.name for i in state.images] == ["alpine:latest"] and state.networks == ("backend",)
    assert state.quotas is not None and state.quotas.running == 3
    assert await sandbox.lab.reset(lab_owner) == 3
    assert lab_objects(docker_client, LabNames.of(lab_owner, TEST_OWNER)) == []
    assert await sandbox.lab.state(lab_owner) == type(state)(quotas=state.quotas, runtime=state.runtime)


# build (the builder is bot.sandbox.lab.build's; here: the lab's side of it) ----------------------------


async def test_build_tags_the_image_in_the_lab_and_runs_it(sandbox: Sandbox, labs) -> None:
    lab_owner = owner()
    docker_ = labs(lab_owner)
    files = {"Dockerfile": 'FROM alpine\nCMD ["echo", "hi"]\n'}
    built = await sandbox.lab.docker(LabRequest(lab_owner, ("build", "-t", "hello", "."), files))
    assert built.exit_code == 0, built.output
    assert built.output.rstrip().endswith("Successfully tagged hello:latest") and "lab-" not in built.output
    assert "hello" in (await docker_("images")).output
    assert (await docker_("run", "--rm", "hello")).output == "hi\n"
    state = await sandbox.lab.state(lab_owner)
    assert [i.name for i in state.images if i.built] == ["hello:latest"]
    refused = await sandbox.lab.docker(LabRequest(lab_owner, ("build", "-t", "x", "."), {"Dockerfile": "FROM nginx\n"}))
    assert (refused.refusal, refused.detail) == ("build_from", "nginx")


async def test_reset_removes_an_image_a_rebuild_left_untagged(sandbox: Sandbox, labs, docker_client) -> None:
    lab_owner = owner()
    labs(lab_owner)  # reset and checked for leftovers after the test
    for greeting in ("hi", "hello"):
        files = {"Dockerfile": f'FROM alpine\nRUN echo {greeting} > /greeting\nCMD ["cat", "/greeting"]\n'}
        built = await sandbox.lab.docker(LabRequest(lab_owner, ("build", "-t", "hello", "."), files))
        assert built.exit_code == 0, built.output
    names = LabNames.of(lab_owner, TEST_OWNER)
    labelled = {"label": f"{LABEL_LAB}={names.id}"}
    assert len(docker_client.images.list(filters={**labelled, "dangling": True})) == 1  # the first build's
    await sandbox.lab.reset(lab_owner)
    assert docker_client.images.list(all=True, filters=labelled) == []


async def test_a_restarted_runner_finds_the_lab_as_it_was(make_sandbox, labs, docker_client) -> None:
    """Everything a lab holds is on the engine: a new process (a restarted bot or runner) sees it whole."""
    before, after = make_sandbox(), make_sandbox()
    lab_owner = owner()
    again = labs(lab_owner, after)  # reset (and checked) through the process that is still up
    for argv in (("volume", "create", "data"), ("run", "-d", "--name", "web", "-v", "data:/data", "alpine", "sleep",
                                                 "300"), ("tag", "alpine", "mine:1")):
        assert (await before.lab.docker(LabRequest(lab_owner, argv))).exit_code == 0
    await before.close()

    assert "web" in (await again("ps")).output
    assert (await again("volume", "ls", "-q")).output == "data\n"
    assert "mine" in (await again("images")).output
    state = await after.lab.state(lab_owner)
    assert [c.name for c in state.containers] == ["web"] and state.containers[0].status == "running"
    assert state.expires_at is not None
