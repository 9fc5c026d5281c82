"""The lab's builder on the real engine: what a member sees (the legacy builder's output), what the image then
does, what the build may not do (network, fork bomb, time, size), and that no build leaves anything behind."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import docker
import pytest

from bot.sandbox.engine import Engine
from bot.sandbox.lab.build import BuildRefused, build_image
from bot.sandbox.lab.port import LabAnswer
from bot.sandbox.policy import RUNSC, Limits
from tests.sandbox.sbx import TEST_OWNER, wait_until

pytestmark = pytest.mark.docker

ALLOWED = {"alpine": "alpine:latest", "alpine:latest": "alpine:latest", "busybox": "busybox:latest"}
HEX12 = r"[0-9a-f]{12}"


class Events:
    def __init__(self) -> None:
        self.texts: list[str] = []

    async def output(self, text: str) -> None:
        self.texts.append(text)


@dataclass
class Lab:
    """One test's lab: its own id in the labels, so the leftover check sees only what this test made."""

    engine: Engine
    client: docker.DockerClient
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    targets: list[str] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        return {"studybot.lab": self.id, "studybot.lab.owner": TEST_OWNER, "studybot.lab.server": "0123456789"}

    async def build(
        self, dockerfile: str, files: dict[str, str] | None = None, *, name: str = "hello:latest", **options: Any
    ) -> LabAnswer:
        target = f"lab-{self.id}/{name}"
        self.targets.append(target)
        kwargs: dict[str, Any] = {
            "limits": Limits(memory_mib=128, cpus=0.5, pids=64), "runtime": RUNSC, "step_timeout": 20.0,
            "max_bytes": 64 * 1024 * 1024, **options,
        }
        return await build_image(
            self.engine, dockerfile=dockerfile, files=files or {}, target=target, shown_target=name,
            labels=self.labels, resolve_base=resolve_base, **kwargs,
        )

    def run(self, name: str = "hello:latest", *argv: str) -> str:
        output = self.client.containers.run(
            f"lab-{self.id}/{name}", list(argv) or None, runtime=RUNSC, network_mode="none", remove=True,
            labels=self.labels,
        )
        return output.decode()

    def leftovers(self) -> list[str]:
        selector = {"label": f"studybot.lab={self.id}"}
        containers = [c.id for c in self.client.containers.list(all=True, filters=selector, sparse=True)]
        images = [i.id for i in self.client.images.list(all=True, filters=selector)]
        return containers + images


async def resolve_base(name: str) -> str:
    if name not in ALLOWED:
        raise BuildRefused("build_from", name)
    return ALLOWED[name]


@pytest.fixture
async def lab(docker_client: docker.DockerClient) -> AsyncIterator[Lab]:
    engine = Engine()
    made = Lab(engine, docker_client)
    yield made
    for target in made.targets:  # a member's `docker rmi hello`: the image and its untagged parents go
        with contextlib.suppress(docker.errors.ImageNotFound):
            docker_client.images.remove(target)
    engine.close()
    assert await wait_until(lambda: made.leftovers() == [], timeout=15), made.leftovers()


def lines(answer: LabAnswer) -> list[str]:
    return answer.output.splitlines()


def matches(pattern: str) -> Callable[[str], bool]:
    return lambda line: re.fullmatch(pattern, line) is not None


async def test_a_build_prints_the_legacy_builders_output_and_its_image_runs(lab: Lab) -> None:
    events = Events()
    dockerfile = (
        "FROM alpine\n"
        "ENV GREETING=hi\n"
        "WORKDIR /app\n"
        "COPY hello.txt .\n"
        "RUN echo building && sleep 1 && cat hello.txt > copy.txt && echo oops >&2\n"
        "USER nobody\n"
        'CMD ["sh", "-c", "echo $GREETING; cat copy.txt; pwd; id -u"]\n'
    )
    answer = await lab.build(dockerfile, {"hello.txt": "hello from a file\n"}, events=events)
    assert answer.exit_code == 0, answer.output
    assert answer.refusal is None
    out = lines(answer)
    assert out[:2] == ["Step 1/7 : FROM alpine", out[1]] and matches(f" ---> {HEX12}")(out[1])
    assert out[2] == "Step 2/7 : ENV GREETING=hi"
    assert matches(f" ---> Running in {HEX12}")(out[3])
    assert out[4] == f"Removing intermediate container {out[3][-12:]}"
    copy = out.index("Step 4/7 : COPY hello.txt .")
    assert matches(f" ---> {HEX12}")(out[copy + 1]) and out[copy + 2].startswith("Step 5/7 : RUN echo building")
    run = copy + 2
    assert matches(f" ---> Running in {HEX12}")(out[run + 1])
    assert sorted(out[run + 2 : run + 4]) == ["building", "oops"]  # stdout and stderr, as the step wrote them
    assert out[run + 4] == f"Removing intermediate container {out[run + 1][-12:]}"
    assert matches(f"Successfully built {HEX12}")(out[-2])
    assert out[-1] == "Successfully tagged hello:latest"
    built = out[-2].removeprefix("Successfully built ")
    assert out[-3] == f" ---> {built}"
    assert lab.client.images.get(f"lab-{lab.id}/hello:latest").id.removeprefix("sha256:")[:12] == built
    # The output was streamed while it grew.
    assert events.texts and all(answer.output.startswith(text) for text in events.texts)
    # The image does what the Dockerfile says, and carries the lab's labels.
    assert lab.run() == "hi\nhello from a file\n/app\n65534\n"
    config = lab.client.images.get(f"lab-{lab.id}/hello:latest").attrs["Config"]
    assert config["User"] == "nobody" and config["WorkingDir"] == "/app"
    assert "GREETING=hi" in config["Env"]
    assert config["Labels"] == lab.labels
    # Step containers are gone as soon as the build answered.
    assert lab.client.containers.list(all=True, filters={"label": f"studybot.lab={lab.id}"}) == []


async def test_entrypoint_expose_label_and_args(lab: Lab) -> None:
    answer = await lab.build(
        "ARG WHO=world\nFROM alpine\nARG WHO\nLABEL purpose=practice\nEXPOSE 8080\n"
        'RUN echo "hello $WHO" > /greeting\nENTRYPOINT ["cat"]\nCMD ["/greeting"]\n',
        name="greeter:v1",
    )
    assert answer.exit_code == 0, answer.output
    assert lines(answer)[0] == "Step 1/8 : ARG WHO=world" and lines(answer)[1] == "Step 2/8 : FROM alpine"
    assert lines(answer)[-1] == "Successfully tagged greeter:v1"
    assert lab.run("greeter:v1") == "hello world\n"
    config = lab.client.images.get(f"lab-{lab.id}/greeter:v1").attrs["Config"]
    assert config["ExposedPorts"] == {"8080/tcp": {}}
    assert config["Labels"] == {"purpose": "practice", **lab.labels}
    assert not any(item.startswith("WHO=") for item in config["Env"])  # an ARG is not kept in the image


async def test_copy_into_new_and_existing_directories(lab: Lab) -> None:
    answer = await lab.build(
        "FROM alpine\nCOPY app.py /opt/app/src/\nCOPY conf /etc\nCOPY conf /etc/renamed.conf\n"
        'CMD ["sh", "-c", "cat /opt/app/src/app.py /etc/conf /etc/renamed.conf; ls -ld /etc | cut -c1-10"]\n',
        {"app.py": "print('hi')\n", "conf": "key=value\n"},
    )
    assert answer.exit_code == 0, answer.output
    assert lab.run() == "print('hi')\nkey=value\nkey=value\ndrwxr-xr-x\n"


async def test_a_base_image_not_allowed_is_refused_before_anything_runs(lab: Lab) -> None:
    answer = await lab.build("FROM ubuntu:22.04\nRUN echo hi\n")
    assert (answer.exit_code, answer.refusal, answer.detail, answer.output) == (125, "build_from", "ubuntu:22.04", "")


async def test_add_of_a_url_is_refused(lab: Lab) -> None:
    answer = await lab.build("FROM alpine\nRUN echo hi\nADD https://example.com/tool.tar.gz /opt/\n")
    assert (answer.exit_code, answer.refusal, answer.detail) == (125, "build_add_url", "https://example.com/tool.tar.gz")


async def test_builds_need_gvisor(lab: Lab) -> None:
    answer = await lab.build("FROM alpine\n", runtime="runc")
    assert (answer.exit_code, answer.refusal) == (125, "build_needs_gvisor")


async def test_a_parse_error_is_the_daemons_text(lab: Lab) -> None:
    answer = await lab.build("FROM alpine\nFOO bar\n")
    assert (answer.exit_code, answer.output) == (
        1, "Error response from daemon: dockerfile parse error line 2: unknown instruction: FOO\n",
    )


async def test_a_failing_run_gives_the_builders_text_and_leaves_nothing(lab: Lab) -> None:
    answer = await lab.build("FROM alpine\nENV A=1\nRUN echo before && false\nRUN echo never\n")
    out = lines(answer)
    assert answer.exit_code == 1
    assert out[-4] == "Step 3/4 : RUN echo before && false"
    assert re.fullmatch(f" ---> Running in {HEX12}", out[-3])
    assert out[-2:] == ["before", "The command '/bin/sh -c echo before && false' returned a non-zero code: 1"]
    assert "never" not in answer.output
    with pytest.raises(docker.errors.ImageNotFound):
        lab.client.images.get(f"lab-{lab.id}/hello:latest")
    # The ENV step's image is gone too (the fixture checks every labelled object).


async def test_the_exit_code_is_the_steps_like_the_cli(lab: Lab) -> None:
    answer = await lab.build('FROM alpine\nRUN ["sh", "-c", "exit 3"]\n')
    assert answer.exit_code == 3
    assert lines(answer)[-1] == "The command 'sh -c exit 3' returned a non-zero code: 3"


async def test_copy_of_a_file_not_given_fails_at_its_step(lab: Lab) -> None:
    answer = await lab.build("FROM alpine\nCOPY nope.txt /x\n", {"other.txt": "x"})
    assert answer.exit_code == 1
    assert lines(answer)[-2:] == [
        "Step 2/2 : COPY nope.txt /x",
        "COPY failed: file not found in build context or excluded by .dockerignore: stat nope.txt: file does not exist",
    ]


async def test_a_run_step_has_no_network(lab: Lab) -> None:
    answer = await lab.build("FROM alpine\nRUN tail -n +3 /proc/net/dev | cut -d: -f1; wget -q -T 3 -O- http://1.1.1.1/\n")
    assert answer.exit_code != 0, answer.output
    out = lines(answer)
    assert out[-1].startswith("The command '/bin/sh -c tail -n +3 /proc/net/dev")
    running = next(i for i, line in enumerate(out) if line.startswith(" ---> Running in"))
    assert out[running + 1].strip() == "lo"  # the only interface inside: nothing to reach anything with
    assert not any(line.strip().startswith(("eth", "en")) for line in out)


async def test_an_unknown_user_fails_the_run_step_with_the_engines_reason(lab: Lab) -> None:
    answer = await lab.build("FROM alpine\nUSER ghost\nRUN id\n")
    assert answer.exit_code == 1
    assert lines(answer)[-1] == "unable to find user ghost: no matching entries in passwd file"


async def test_a_fork_bomb_ends_within_the_limits_and_the_build_fails_cleanly(lab: Lab) -> None:
    started = time.monotonic()
    answer = await lab.build("FROM alpine\nRUN bomb() { bomb | bomb & }; bomb; sleep 30\n", step_timeout=6.0)
    assert time.monotonic() - started < 25
    assert answer.exit_code != 0
    assert "Successfully built" not in answer.output
    # The engine is fine afterwards: another build works at once.
    assert (await lab.build("FROM alpine\nRUN echo still here\n", name="after:latest")).exit_code == 0


async def test_a_step_over_its_time_limit_is_stopped(lab: Lab) -> None:
    started = time.monotonic()
    answer = await lab.build("FROM alpine\nRUN echo start && sleep 60\n", step_timeout=2.0)
    assert time.monotonic() - started < 12
    assert answer.exit_code == 1
    assert answer.notes == ("step_timeout",)
    assert lines(answer)[-2:] == [
        "start",
        "The command '/bin/sh -c echo start && sleep 60' did not finish within 2 seconds "
        "(the lab's time limit for a build step)",
    ]


async def test_an_image_over_the_size_cap_is_refused_and_removed(lab: Lab) -> None:
    base = lab.client.images.get("alpine:latest").attrs["Size"]
    cap = base + 3 * 1024 * 1024
    answer = await lab.build(
        "FROM alpine\nRUN dd if=/dev/zero of=/a bs=1M count=2 && dd if=/dev/zero of=/b bs=1M count=2\n",
        max_bytes=cap,
    )
    assert (answer.exit_code, answer.refusal) == (125, "build_too_big")
    size, limit = map(int, answer.detail.split(":"))
    assert size > limit == cap
    assert "Successfully" not in answer.output
    with pytest.raises(docker.errors.ImageNotFound):
        lab.client.images.get(f"lab-{lab.id}/hello:latest")


async def test_a_cancelled_build_leaves_nothing(lab: Lab) -> None:
    build = asyncio.ensure_future(lab.build("FROM alpine\nENV A=1\nRUN sleep 30\n"))
    assert await wait_until(lambda: bool(lab.client.containers.list(filters={"label": f"studybot.lab={lab.id}"})))
    build.cancel()
    with pytest.raises(asyncio.CancelledError):
        await build
    # The fixture waits for the step container and the ENV step's image to be removed.


async def test_a_run_step_runs_as_root_under_gvisor_with_the_labs_limits(lab: Lab) -> None:
    build = asyncio.ensure_future(
        lab.build("FROM alpine\nRUN id -u && touch /owned && chown 65534 /owned && ls -n /owned && sleep 30\n",
                  step_timeout=8.0)
    )
    selector = {"label": f"studybot.lab={lab.id}"}
    assert await wait_until(lambda: bool(lab.client.containers.list(filters=selector)))
    attrs = lab.client.containers.list(filters=selector)[0].attrs
    host = attrs["HostConfig"]
    assert host["Runtime"] == RUNSC
    assert host["NetworkMode"] == "none" and attrs["Config"].get("NetworkDisabled") is True
    assert host["CapDrop"] == ["ALL"] and set(host["CapAdd"]) <= {
        "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "SETUID", "SETGID", "KILL",
    }
    assert host["SecurityOpt"] == ["no-new-privileges"] and host["Privileged"] is False
    assert (host["Memory"], host["MemorySwap"], host["NanoCpus"]) == (128 * 1024 * 1024, 128 * 1024 * 1024, 5 * 10**8)
    assert host["PidsLimit"] > 0 and {"Name": "nproc", "Soft": 64, "Hard": 64} in host["Ulimits"]
    assert host["Binds"] in (None, []) and host["Devices"] in (None, [])
    assert attrs["Config"]["Labels"] == lab.labels
    answer = await build
    out = lines(answer)
    assert out[4] == "0"  # root inside gVisor: a build step may own files
    assert out[5].split()[2] == "65534"
    assert answer.notes == ("step_timeout",), answer.output
