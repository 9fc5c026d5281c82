"""The lab checker on constructed lab states: what passes, and what it says is still wrong."""

from __future__ import annotations

from bot.quiz.lab_check import (
    ContainerWanted,
    ImageWanted,
    KeepContainers,
    NetworkWanted,
    NoContainers,
    VolumeWanted,
    check,
)
from bot.quiz.lab_snapshot import dump_state, load_state
from bot.quiz.lab_spec import parse_task
from bot.quiz.lab_strings import problem_lines
from bot.sandbox.lab.port import LabContainer, LabImage, LabState


def box(name: str, status: str = "running", command: tuple[str, ...] = ("sleep", "300"), **kw: object) -> LabContainer:
    values: dict[str, object] = {
        "name": name, "id": (name * 64)[:64], "image": "alpine", "command": command, "status": status,
        "exit_code": 0, "created": 1.0,
    }
    values.update(kw)
    return LabContainer(**values)  # type: ignore[arg-type]


def lab(*containers: LabContainer, **kw: object) -> LabState:
    return LabState(containers=containers, **kw)  # type: ignore[arg-type]


def words(conditions: tuple, state: LabState, before: LabState | None = None) -> list[str]:
    return problem_lines(check(conditions, state, before).problems, "en")


WEB = (ContainerWanted(name="web", image="alpine", status=("running",), command="sleep 300"),)


def test_a_detached_web_container_passes_and_each_difference_is_named() -> None:
    assert check(WEB, lab(box("web"))).ok
    assert check(WEB, lab(box("web", image="alpine:latest", command=("sh", "-c", "sleep 300")))).ok
    assert words(WEB, lab()) == ["• there is no container named `web`"]
    assert words(WEB, lab(box("web", status="exited", command=("sleep", "3000"), image="busybox"))) == [
        "• `web` was made from `busybox`, not `alpine`",
        "• `web` is `exited`; it should be `running`",
        "• `web` runs `sleep 3000`; its command should contain `sleep 300`",
    ]
    assert not check(WEB, lab(box("web2"))).ok  # another name is not web


def test_env_ports_network_volume_and_exit_code() -> None:
    want = (ContainerWanted(name="db", env=("MODE=dev",), ports=("8080:80",), network="backend", volume="data:/data"),)
    good = box("db", env=("PATH=/bin", "MODE=dev"), ports=("8080:80/tcp",), networks=("backend",),
               volumes=("data:/data:ro",))
    assert check(want, lab(good)).ok
    assert words(want, lab(box("db", env=("MODE=prod",), volumes=("data:/srv",)))) == [
        "• `db` does not have the environment variable `MODE=dev`",
        "• `db` has no port mapping `8080:80` (`-p`)",
        "• `db` is not on the network `backend`",
        "• `db` does not mount the volume `data:/data`",
    ]
    once = (ContainerWanted(name="once", status=("exited",), exit_code=0, command="echo done"),)
    assert check(once, lab(box("once", "exited", ("echo", "done")))).ok
    assert words(once, lab(box("once", "exited", ("echo", "done"), exit_code=1))) == [
        "• `once` exited with code 1, not 0"
    ]


def test_unnamed_containers_are_counted() -> None:
    two = (ContainerWanted(image="alpine", status=("running",), count=2),)
    assert check(two, lab(box("a"), box("b"))).ok
    assert words(two, lab(box("a"), box("b", "exited"))) == [
        "• 1 of the 2 container(s) wanted with `image=alpine status=running`"
    ]


def test_removing_the_stopped_containers_keeps_the_running_ones() -> None:
    task = (NoContainers(status=("created", "exited", "dead")), KeepContainers(status=("running",)))
    before = lab(box("keep"), box("old", "exited"), box("new", "created"))
    assert check(task, lab(box("keep")), before).ok
    assert words(task, lab(box("keep"), box("old", "exited")), before) == [
        "• these containers should be gone: `old (exited)`"
    ]
    assert words(task, lab(), before) == ["• `keep` was `running` when the exercise started and should still be"]
    assert words(task, lab(box("keep", "exited")), before)[-1].startswith("• `keep` was `running`")


def test_a_replaced_container_must_be_new() -> None:
    task = (ContainerWanted(name="app", status=("running",), new=True),)
    old = box("app")
    assert words(task, lab(old), lab(old)) == [
        "• `app` is still the container that was there when the exercise started: replace it with a new one"
    ]
    assert check(task, lab(box("app", id="f" * 64)), lab(old)).ok


def test_images_volumes_and_networks() -> None:
    hello = (ImageWanted(name="hello", cmd="echo hi", built=True),)
    built = LabImage(name="hello:latest", id="sha256:1", size=1, created=1.0, cmd=("/bin/sh", "-c", "echo \"hi\""),
                     built=True)
    assert check(hello, LabState(images=(built,))).ok
    assert check(hello, LabState(images=(LabImage("hello:latest", "x", 1, 1.0, cmd=("echo", "hi"), built=True),))).ok
    tagged = LabImage(name="hello:latest", id="sha256:2", size=1, created=1.0, cmd=("sh",))
    assert problem_lines(check(hello, LabState(images=(tagged,))).problems, "en") == [
        "• `hello` was not made by `docker build`",
        "• the CMD of `hello` is `sh`; it should contain `echo hi`",
    ]
    assert problem_lines(check(hello, LabState()).problems, "ko") == ["• 이미지 `hello` 이(가) 없습니다"]
    tool = (ImageWanted(name="tool", workdir="/app", env=("GREETING=hello",)),)
    assert problem_lines(check(tool, LabState(images=(LabImage("tool:latest", "x", 1, 1.0),))).problems, "en") == [
        "• `tool` does not set `ENV GREETING=hello`",
        "• the working directory of `tool` is `/`, not `/app`",
    ]
    assert check((ImageWanted(name="myalpine:1"),), LabState(images=(LabImage("myalpine:1", "x", 1, 1.0),))).ok
    parts = (VolumeWanted("data"), NetworkWanted("backend"))
    assert check(parts, LabState(volumes=("data",), networks=("backend",))).ok
    assert words(parts, LabState(volumes=("other",))) == [
        "• there is no volume `data`", "• there is no network `backend`"
    ]


def test_what_a_member_named_is_shown_safely() -> None:
    sneaky = box("web", command=("echo", "`@everyone`"))
    line = words(WEB, lab(sneaky))[0]
    assert "@everyone" not in line and "`@" not in line
    assert line.startswith("• `web` runs `echo ˋ@")


def test_a_snapshot_survives_the_round_trip_through_json() -> None:
    state = lab(box("web", env=("A=1",), ports=("80",), networks=("n",), volumes=("v:/v",)),
                images=(LabImage("hello:latest", "i", 5, 2.0, cmd=("echo", "hi"), workdir="/app", built=True),),
                volumes=("v",), networks=("n",))
    assert load_state(dump_state(state)) == state


def test_the_checker_reads_the_specs_a_bank_gives() -> None:
    task, errors = parse_task(
        [{"container": {"name": "web", "status": "running"}}, {"volume": "data"}],
        [{"container": {"status": "stopped"}}],
    )
    assert errors == [] and task is not None and task.needs_before
    assert task.setup == (ContainerWanted(status=("created", "exited", "dead")),)
    assert check(task.check, LabState(containers=(box("web"),), volumes=("data",))).ok
