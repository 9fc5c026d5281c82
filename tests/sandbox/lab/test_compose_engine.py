"""``docker compose`` in a lab, on the real engine: up (detached and attached), ps, logs, down, builds, names and
labels, the run profile on every service's container, refusals, file errors and quotas. Every lab used is reset
at the end and nothing of it may be left on the engine."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import docker
import pytest

from bot.sandbox.lab.compose import LABEL_PROJECT, LABEL_SERVICE
from bot.sandbox.lab.names import LABEL_LAB, LabNames
from bot.sandbox.lab.port import LabAnswer, LabOwner, LabRequest
from bot.sandbox.service import Sandbox
from tests.sandbox.lab.labs import lab_objects, owner
from tests.sandbox.sbx import TEST_OWNER

pytestmark = pytest.mark.docker

Docker = Callable[..., Awaitable[LabAnswer]]
TIMER = r"\d+\.\ds"

TWO_SERVICES = """
services:
  web:
    image: alpine
    command: sh -c 'echo hello from web; echo "A=$$A B=$$B"; sleep 300'
    environment:
      A: "1"
      B: ${UNSET:-fallback}
    depends_on: [db]
    ports: ["8080:80"]
    volumes: ["data:/data"]
    working_dir: /data
  db:
    image: busybox
    command: ["sh", "-c", "echo db ready; sleep 300"]
volumes:
  data:
"""


@pytest.fixture
async def labs(
    make_sandbox: Callable[..., Sandbox], docker_client: docker.DockerClient
) -> AsyncIterator[Callable[..., Docker]]:
    """``labs()`` → ``docker(*argv, compose=None, files=None)`` in a new lab; each is reset after the test and
    must leave nothing on the engine."""
    used: list[tuple[Sandbox, LabOwner]] = []
    default: list[Sandbox] = []

    def make(lab_owner: LabOwner | None = None, on: Sandbox | None = None) -> Docker:
        if on is None:
            if not default:
                default.append(make_sandbox())
            on = default[0]
        target, who = on, lab_owner or owner()
        used.append((target, who))

        async def run(*argv: str, compose: str | None = None, files: dict[str, str] | None = None) -> LabAnswer:
            given = dict(files or {})
            if compose is not None:
                given["compose.yaml"] = compose
            return await target.lab.docker(LabRequest(who, argv, given))

        return run

    yield make  # type: ignore[misc]
    for target, who in used:
        await target.lab.reset(who)
        assert await asyncio.to_thread(lab_objects, docker_client, LabNames.of(who, TEST_OWNER)) == []


def engine_containers(client: docker.DockerClient, lab_owner: LabOwner) -> dict[str, dict]:
    """The lab's containers as the engine has them, by the member's name."""
    names = LabNames.of(lab_owner, TEST_OWNER)
    found = client.containers.list(all=True, filters={"label": f"{LABEL_LAB}={names.id}"})
    return {names.shown(c.name): c.attrs for c in found}


def progress_lines(output: str) -> list[tuple[str, str]]:
    """``[+] Running`` block lines as (task, status), checking each line's shape on the way."""
    rows = []
    for line in output.splitlines():
        match = re.fullmatch(rf" ✔ (\S+ \S+) +(\w+) +{TIMER}", line)
        if match:
            rows.append((match.group(1), match.group(2)))
    return rows


# up -d, ps, logs, down --------------------------------------------------------------------------------


async def test_up_detached_then_ps_logs_and_down(labs, docker_client: docker.DockerClient) -> None:
    lab_owner = owner()
    docker_ = labs(lab_owner)
    started = time.monotonic()
    up = await docker_("compose", "up", "-d", compose=TWO_SERVICES)
    took = time.monotonic() - started
    assert up.exit_code == 0, up.output
    assert "[+] Running 4/4\n" in up.output
    assert progress_lines(up.output) == [
        ("Network lab_default", "Created"),
        ("Volume lab_data", "Created"),
        ("Container lab-db-1", "Started"),
        ("Container lab-web-1", "Started"),
    ]
    running = [line for line in up.output.splitlines() if line.startswith(" ✔ Container")]
    assert running[0].index("Started") == running[1].index("Started")  # ids padded to one width
    assert up.notes == ("ports_not_published",)
    assert took < 20

    ps = (await docker_("compose", "ps")).output.splitlines()
    assert re.split(r" {3,}", ps[0]) == ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    db, web = (re.split(r" {3,}", row.strip()) for row in ps[1:])
    assert db[:4] == ["lab-db-1", "busybox", '"sh -c \'echo db read…"', "db"]
    assert web[:4] == ["lab-web-1", "alpine", '"sh -c \'echo hello f…"', "web"]
    assert web[5].startswith("Up ") and web[6] == "8080->80/tcp"
    assert (await docker_("compose", "ps", "--services")).output == "db\nweb\n"
    ids = (await docker_("compose", "ps", "-q")).output.split()
    assert len(ids) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", i) for i in ids)

    for _ in range(50):
        logs = (await docker_("compose", "logs")).output
        if "A=1" in logs and "db ready" in logs:
            break
        await asyncio.sleep(0.1)
    assert sorted(logs.splitlines()) == ["db-1   | db ready", "web-1  | A=1 B=fallback", "web-1  | hello from web"]
    assert (await docker_("compose", "logs", "--no-log-prefix", "db")).output == "db ready\n"
    missing = await docker_("compose", "logs", "nope")
    assert (missing.exit_code, missing.output) == (1, "no such service: nope\n")

    # the member's own docker commands see the project's objects by the names Compose gives them
    assert "lab-web-1" in (await docker_("ps")).output
    assert "lab_default" in (await docker_("network", "ls")).output
    assert "lab_data" in (await docker_("volume", "ls")).output

    again = await docker_("compose", "up", "-d", compose=TWO_SERVICES)
    assert progress_lines(again.output) == [("Container lab-db-1", "Running"), ("Container lab-web-1", "Running")]

    down = await docker_("compose", "down")
    assert down.exit_code == 0
    assert down.output.startswith("[+] Running 3/3\n")
    assert progress_lines(down.output) == [
        ("Container lab-web-1", "Removed"), ("Container lab-db-1", "Removed"), ("Network lab_default", "Removed"),
    ]
    assert "lab_data" in (await docker_("volume", "ls")).output  # down keeps volumes without -v
    assert progress_lines((await docker_("compose", "down", "-v")).output) == [("Volume lab_data", "Removed")]
    nothing = await docker_("compose", "down")
    assert nothing.output == 'WARN[0000] Warning: No resource found to remove for project "lab".\n'
    assert engine_containers(docker_client, lab_owner) == {}


async def test_every_service_gets_the_run_profile_and_the_labels(labs, docker_client: docker.DockerClient) -> None:
    lab_owner = owner()
    docker_ = labs(lab_owner)
    assert (await docker_("run", "-d", "--name", "plain", "alpine", "sleep", "300")).exit_code == 0
    up = await docker_("compose", "up", "-d", compose="services:\n  web:\n    image: alpine\n    command: sleep 300\n")
    assert up.exit_code == 0, up.output
    found = engine_containers(docker_client, lab_owner)
    plain, web = found["plain"], found["lab-web-1"]
    for key in ("CapDrop", "CapAdd", "SecurityOpt", "ReadonlyRootfs", "Memory", "NanoCpus", "PidsLimit", "Tmpfs",
                "Runtime", "Privileged", "Ulimits", "LogConfig", "Init"):
        assert web["HostConfig"][key] == plain["HostConfig"][key], key
    assert web["Config"]["User"] == plain["Config"]["User"]
    labels = web["Config"]["Labels"]
    names = LabNames.of(lab_owner, TEST_OWNER)
    assert labels[LABEL_LAB] == names.id and labels["studybot.lab.owner"] == TEST_OWNER
    assert (labels[LABEL_PROJECT], labels[LABEL_SERVICE]) == ("lab", "web")
    assert "studybot.sandbox" not in labels
    network = docker_client.networks.get(names.engine("lab_default"))
    assert network.attrs["Internal"] is True and network.attrs["Labels"][LABEL_PROJECT] == "lab"
    endpoint = web["NetworkSettings"]["Networks"][names.engine("lab_default")]
    assert "web" in (endpoint.get("Aliases") or endpoint.get("DNSNames") or [])


async def test_up_attached_prints_each_services_output_and_exit(labs) -> None:
    docker_ = labs()
    compose = (
        "services:\n  one:\n    image: alpine\n    command: echo first\n"
        "  two:\n    image: alpine\n    entrypoint: [sh, -c]\n    command: [\"echo second; exit 3\"]\n"
    )
    up = await docker_("compose", "up", compose=compose)
    assert up.exit_code == 0, up.output
    assert progress_lines(up.output) == [
        ("Network lab_default", "Created"), ("Container lab-one-1", "Created"), ("Container lab-two-1", "Created"),
    ]
    tail = up.output[up.output.index("Attaching to"):].splitlines()
    assert tail[0] == "Attaching to one-1, two-1"
    assert sorted(tail[1:3]) == ["one-1  | first", "two-1  | second"]
    assert tail[3:] == ["one-1 exited with code 0", "two-1 exited with code 3"]
    listed = (await docker_("compose", "ps", "-a")).output
    assert "Exited (3)" in listed and '"sh -c \'echo second;…"' in listed


async def test_a_service_still_running_at_the_time_limit_is_left_running(make_sandbox, labs) -> None:
    docker_ = labs(on=make_sandbox(timeout=1))
    up = await docker_("compose", "up", compose="services:\n  web:\n    image: alpine\n    command: sleep 300\n")
    assert up.notes == ("still_running",)
    assert "Up " in (await docker_("compose", "ps")).output


async def test_a_changed_service_is_recreated_and_a_project_name_separates_projects(labs) -> None:
    docker_ = labs()
    first = "services:\n  web:\n    image: alpine\n    command: sleep 300\n"
    assert (await docker_("compose", "up", "-d", compose=first)).exit_code == 0
    changed = await docker_("compose", "up", "-d", compose=first.replace("300", "301"))
    assert progress_lines(changed.output) == [("Container lab-web-1", "Started")]
    assert '"sleep 301"' in (await docker_("compose", "ps")).output

    other = await docker_("compose", "-p", "demo", "up", "-d", compose=first)
    assert progress_lines(other.output) == [("Network demo_default", "Created"), ("Container demo-web-1", "Started")]
    assert "demo-web-1" not in (await docker_("compose", "ps")).output
    assert "demo-web-1" in (await docker_("compose", "ps", "-p", "demo")).output
    full = await docker_("compose", "up", "-d", compose="name: third\n" + first)
    assert (full.refusal, full.detail) == ("quota", "networks:2")  # lab and demo hold the lab's two networks
    assert (await docker_("compose", "-p", "demo", "down")).exit_code == 0
    named = await docker_("compose", "up", "-d", compose="name: third\n" + first)
    assert "third-web-1" in named.output
    bad = await docker_("compose", "-p", "Bad!", "ps")
    assert bad.exit_code == 1 and 'invalid project name "Bad!"' in bad.output


async def test_build_a_service_from_the_code_blocks(labs) -> None:
    docker_ = labs()
    compose = (
        "services:\n  app:\n    build: .\n  tool:\n    build:\n      context: .\n      dockerfile: tool.Dockerfile\n"
        "    image: mytool\n"
    )
    files = {
        "Dockerfile": "FROM alpine\nCOPY greet.sh /greet.sh\nCMD [\"sh\", \"/greet.sh\"]\n",
        "greet.sh": "echo built by compose\n",
        "tool.Dockerfile": "FROM busybox\nCMD [\"echo\", \"the tool\"]\n",
    }
    up = await docker_("compose", "up", compose=compose, files=files)
    assert up.exit_code == 0, up.output
    assert "Successfully tagged lab-app:latest" in up.output and "Successfully tagged mytool:latest" in up.output
    assert "app-1   | built by compose" in up.output and "tool-1  | the tool" in up.output
    images = (await docker_("images")).output
    assert "lab-app " in images and "mytool " in images
    again = await docker_("compose", "up", "-d", compose=compose, files=files)
    assert "Successfully" not in again.output  # built images are reused without --build
    broken = await docker_("compose", "up", "--build", compose=compose,
                           files={**files, "Dockerfile": "FROM alpine\nRUN exit 7\n"})
    assert broken.exit_code != 0 and "returned a non-zero code: 7" in broken.output


# refusals -----------------------------------------------------------------------------------------------

SERVICE = "services:\n  web:\n    image: alpine\n"
REFUSED = [
    (SERVICE + "    privileged: true\n", "flag", "services.web.privileged"),
    (SERVICE + "    cap_add: [SYS_ADMIN]\n", "flag", "services.web.cap_add"),
    (SERVICE + "    devices: ['/dev/sda:/dev/sda']\n", "flag", "services.web.devices"),
    (SERVICE + "    network_mode: host\n", "flag", "services.web.network_mode"),
    (SERVICE + "    pid: host\n", "flag", "services.web.pid"),
    (SERVICE + "    ipc: host\n", "flag", "services.web.ipc"),
    (SERVICE + "    security_opt: [seccomp=unconfined]\n", "flag", "services.web.security_opt"),
    (SERVICE + "    runtime: runc\n", "flag", "services.web.runtime"),
    (SERVICE + "    sysctls: {net.ipv4.ip_forward: 1}\n", "flag", "services.web.sysctls"),
    (SERVICE + "    env_file: .env\n", "flag", "services.web.env_file"),
    (SERVICE + "    volumes: ['/etc:/host']\n", "flag", "services.web.volumes: /etc:/host"),
    (SERVICE + "    volumes: ['./src:/src']\n", "flag", "services.web.volumes: ./src:/src"),
    (SERVICE + "    volumes: [{type: bind, source: /, target: /host}]\n", "flag", "services.web.volumes: type bind"),
    (SERVICE + "    ulimits: {nofile: 1000000}\n", "flag", "services.web.ulimits: nofile=1000000"),
    (SERVICE + "    mem_limit: 64g\n", "flag", "services.web.mem_limit: 64g"),
    (SERVICE + "    labels: {studybot.lab: someone}\n", "flag", "services.web.labels: studybot.lab"),
    (SERVICE + "networks:\n  out:\n    external: true\n", "flag", "networks.out.external"),
    (SERVICE + "networks:\n  out:\n    driver: host\n", "flag", "networks.out.driver: host"),
    (SERVICE + "networks:\n  out:\n    internal: false\n", "flag", "networks.out.internal: false"),
    (SERVICE + "volumes:\n  data:\n    driver_opts: {type: none, o: bind, device: /etc}\n", "flag",
     "volumes.data.driver_opts"),
    (SERVICE + "    build:\n      context: .\n      network: host\n", "flag", "services.web.build.network"),
    (SERVICE + "    extends: {service: other}\n", "unsupported", "services.web.extends"),
    (SERVICE + "    healthcheck: {test: [CMD, 'true']}\n", "unsupported", "services.web.healthcheck"),
    (SERVICE + "    secrets: [token]\n", "unsupported", "services.web.secrets"),
    (SERVICE + "    volumes: [/data]\n", "unsupported", "services.web.volumes: /data (an anonymous volume; name it)"),
    ("secrets:\n  token:\n    file: ./token\n" + SERVICE, "unsupported", "secrets"),
    ("configs: {}\n" + SERVICE, "unsupported", "configs"),
]


@pytest.mark.parametrize(("compose", "code", "detail"), REFUSED)
async def test_refused_keys(labs, docker_client, compose: str, code: str, detail: str) -> None:
    lab_owner = owner()
    answer = await labs(lab_owner)("compose", "up", "-d", compose=compose)
    assert (answer.refusal, answer.detail, answer.exit_code) == (code, detail, 125)
    assert lab_objects(docker_client, LabNames.of(lab_owner, TEST_OWNER)) == []  # nothing was made


async def test_root_as_in_run_and_refused_flags(make_sandbox, labs) -> None:
    compose = SERVICE + "    user: '0'\n    command: id -u\n"
    runc = labs(on=make_sandbox(runtime="runc"))
    refused = await runc("compose", "up", compose=compose)
    assert (refused.refusal, refused.detail) == ("flag", "services.web.user: 0")
    gvisor = labs(on=make_sandbox(runtime="runsc"))
    assert "web-1  | 0" in (await gvisor("compose", "up", compose=compose)).output
    env_file = await runc("compose", "--env-file", ".env", "up", compose=compose)
    assert (env_file.refusal, env_file.detail) == ("flag", "--env-file")
    other = await runc("compose", "up", "--wait", compose=compose)
    assert (other.refusal, other.detail) == ("unsupported", "--wait")
    assert (await runc("compose", "-f", "x.yml", "ps")).refusal == "unsupported"


FILE_ERRORS = [
    (None, "no configuration file provided: not found"),
    ("services: [\n", "yaml: line 2: "),
    ("services:\n  web:\n    image: alpine\n    colour: red\n",
     "validating compose.yaml: services.web additional properties 'colour' not allowed"),
    ("services:\n  web:\n    image: alpine\n    volumes: ['data:/data']\n",
     'service "web" refers to undefined volume data: invalid compose project'),
    ("services:\n  web:\n    image: alpine\n    networks: [back]\n",
     'service "web" refers to undefined network back: invalid compose project'),
    ("services:\n  a:\n    image: alpine\n    depends_on: [b]\n  b:\n    image: alpine\n    depends_on: [a]\n",
     "dependency cycle detected: a -> b -> a"),
    ("services:\n  a:\n    image: alpine\n    depends_on: [c]\n",
     'service "a" depends on undefined service "c": invalid compose project'),
    ("services:\n  web:\n    command: true\n",
     'service "web" has neither an image nor a build context specified: invalid compose project'),
    ("services:\n  web:\n    image: alpine\n    environment: {A: \"${NEEDED:?set it}\"}\n",
     "required variable NEEDED is missing a value: set it"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
     "compose.yaml: the file is too large once its anchors are expanded"),
    ("x-deep: " + "[" * 2000 + "]" * 2000 + "\n" + SERVICE, "compose.yaml: the file is nested too deeply"),
]


@pytest.mark.parametrize(("compose", "message"), FILE_ERRORS)
async def test_file_errors_read_like_compose(labs, compose: str | None, message: str) -> None:
    answer = await labs()("compose", "up", "-d", compose=compose)
    assert answer.exit_code == 1 and answer.refusal is None
    assert answer.output.startswith(message), answer.output


async def test_warnings_and_subsets_of_services(labs) -> None:
    docker_ = labs()
    compose = (
        "version: '3.8'\nservices:\n  web:\n    image: alpine\n    command: sh -c 'echo $HOME; sleep 300'\n"
        "    depends_on: [db]\n  db:\n    image: alpine\n    command: sleep 300\n  extra:\n    image: alpine\n"
    )
    up = await docker_("compose", "up", "-d", "web", compose=compose)
    assert up.output.startswith(
        "WARN[0000] The \"HOME\" variable is not set. Defaulting to a blank string.\n"
        "WARN[0000] compose.yaml: the attribute `version` is obsolete"
    )
    assert [task for task, _ in progress_lines(up.output)] == [
        "Network lab_default", "Container lab-db-1", "Container lab-web-1",
    ]
    assert (await docker_("compose", "ps", "nope", compose=compose)).output == "no such service: nope\n"
    down = await docker_("compose", "down", "db")
    assert progress_lines(down.output) == [("Container lab-db-1", "Removed")]  # the network stays
    assert "lab_default" in (await docker_("network", "ls")).output


async def test_quotas_are_checked_before_anything_is_made(make_sandbox, labs, docker_client) -> None:
    lab_owner = owner()
    docker_ = labs(lab_owner, make_sandbox(lab_running=1))
    answer = await docker_("compose", "up", "-d", compose=TWO_SERVICES)
    assert (answer.refusal, answer.detail) == ("quota", "running:1")
    assert lab_objects(docker_client, LabNames.of(lab_owner, TEST_OWNER)) == []
    networks = labs(on=make_sandbox(lab_networks=1))
    two_networks = SERVICE + "    networks: [a, b]\nnetworks:\n  a:\n  b:\n"
    assert (await networks("compose", "up", "-d", compose=two_networks)).detail == "networks:1"


async def test_two_members_with_the_same_project_never_meet(labs) -> None:
    alice, bob = labs(), labs()
    compose = "services:\n  web:\n    image: alpine\n    command: sh -c 'echo {}; sleep 300'\n"
    assert (await alice("compose", "up", "-d", compose=compose.format("alice"))).exit_code == 0
    assert (await bob("compose", "up", "-d", compose=compose.format("bob"))).exit_code == 0
    await asyncio.sleep(0.5)
    assert (await alice("compose", "logs")).output == "web-1  | alice\n"
    assert (await bob("compose", "logs")).output == "web-1  | bob\n"
    assert progress_lines((await alice("compose", "down")).output)[0] == ("Container lab-web-1", "Removed")
    assert "lab-web-1" in (await bob("compose", "ps")).output
