"""The lab's docker grammar: what a command line means, and the CLI's own answer when it means nothing.

The tables below are what docker 28 does with the same words; the tests marked ``docker`` run the real CLI
on command lines it refuses before it talks to the engine and compare its stderr and exit code with ours,
and compare each command's flag list with ``docker <command> --help``.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from bot.sandbox.lab.grammar import CliError, Parsed, parse, usage
from bot.sandbox.lab.usage import ROOT, Command, Group, Role

OK: list[tuple[str, tuple[str, ...], dict[str, object], tuple[str, ...], tuple[str, ...]]] = [
    # argv, command, options, args, given
    ("run alpine", ("run",), {}, ("alpine",), ()),
    (
        "run -dit --name=web -e A=1 -eB=2 -e=C=3 alpine sleep 300",
        ("run",),
        {"detach": True, "interactive": True, "tty": True, "name": "web", "env": ("A=1", "B=2", "C=3")},
        ("alpine", "sleep", "300"),
        ("-dit", "--name=web", "-e", "-eB=2", "-e=C=3"),
    ),
    # flags after the image belong to the command
    ("run alpine ls -l", ("run",), {}, ("alpine", "ls", "-l"), ()),
    ("run -d alpine --name x", ("run",), {"detach": True}, ("alpine", "--name", "x"), ("-d",)),
    ("run --rm=false --name web alpine", ("run",), {"rm": False, "name": "web"}, ("alpine",), ("--rm=false", "--name")),
    ("run -d=false alpine", ("run",), {"detach": False}, ("alpine",), ("-d=false",)),
    ("run -- alpine echo hi", ("run",), {}, ("alpine", "echo", "hi"), ()),
    ("run --name -x alpine", ("run",), {"name": "-x"}, ("alpine",), ("--name",)),  # a value may start with -
    (
        "run -p 8080:80 -p 443:443 -v data:/data --network labnet -w /app -u 1000 alpine",
        ("run",),
        {
            "publish": ("8080:80", "443:443"),
            "volume": ("data:/data",),
            "network": ("labnet",),
            "workdir": "/app",
            "user": "1000",
        },
        ("alpine",),
        ("-p", "-p", "-v", "--network", "-w", "-u"),
    ),
    ("run --net none alpine", ("run",), {"network": ("none",)}, ("alpine",), ("--net",)),
    (
        "run -h box -m 64m --cpus 0.5 --pids-limit 50 alpine",
        ("run",),
        {"hostname": "box", "memory": "64m", "cpus": "0.5", "pids-limit": "50"},
        ("alpine",),
        ("-h", "-m", "--cpus", "--pids-limit"),
    ),
    (
        "run --privileged --cap-add ALL alpine",
        ("run",),
        {"privileged": True, "cap-add": ("ALL",)},
        ("alpine",),
        ("--privileged", "--cap-add"),
    ),
    (
        "run --entrypoint sh alpine -c 'echo hi'",
        ("run",),
        {"entrypoint": "sh"},
        ("alpine", "-c", "'echo", "hi'"),
        ("--entrypoint",),
    ),
    ("container run -q alpine", ("run",), {"quiet": True}, ("alpine",), ("-q",)),
    ("create --name web alpine", ("create",), {"name": "web"}, ("alpine",), ("--name",)),
    ("ps", ("ps",), {}, (), ()),
    ("ps -aq", ("ps",), {"all": True, "quiet": True}, (), ("-aq",)),
    ("ps -an5", ("ps",), {"all": True, "last": "5"}, (), ("-an5",)),
    (
        "ps --filter status=exited -f name=web --format {{.Names}}",
        ("ps",),
        {"filter": ("status=exited", "name=web"), "format": "{{.Names}}"},
        (),
        ("--filter", "-f", "--format"),
    ),
    ("container ls -a", ("ps",), {"all": True}, (), ("-a",)),
    ("container ps", ("ps",), {}, (), ()),
    ("container list --no-trunc", ("ps",), {"no-trunc": True}, (), ("--no-trunc",)),
    ("logs web --tail 5 -t", ("logs",), {"tail": "5", "timestamps": True}, ("web",), ("--tail", "-t")),
    ("logs -n5 -f web", ("logs",), {"tail": "5", "follow": True}, ("web",), ("-n5", "-f")),
    ("exec -it web sh -c ls", ("exec",), {"interactive": True, "tty": True}, ("web", "sh", "-c", "ls"), ("-it",)),
    (
        "exec -u nobody -w /tmp -e A=1 web env",
        ("exec",),
        {"user": "nobody", "workdir": "/tmp", "env": ("A=1",)},
        ("web", "env"),
        ("-u", "-w", "-e"),
    ),
    ("stop -t 3 web db", ("stop",), {"timeout": "3"}, ("web", "db"), ("-t",)),
    ("stop --time 3 web", ("stop",), {"timeout": "3"}, ("web",), ("--time",)),
    ("restart -s SIGKILL web", ("restart",), {"signal": "SIGKILL"}, ("web",), ("-s",)),
    ("start web", ("start",), {}, ("web",), ()),
    ("rm web -f", ("rm",), {"force": True}, ("web",), ("-f",)),  # interspersed
    ("container remove -fv web", ("rm",), {"force": True, "volumes": True}, ("web",), ("-fv",)),
    ("images -a -q", ("images",), {"all": True, "quiet": True}, (), ("-a", "-q")),
    ("image ls alpine", ("images",), {}, ("alpine",), ()),
    ("image list", ("images",), {}, (), ()),
    ("rmi -f hello", ("rmi",), {"force": True}, ("hello",), ("-f",)),
    ("image rm hello", ("rmi",), {}, ("hello",), ()),
    ("image remove hello", ("rmi",), {}, ("hello",), ()),
    ("pull -q alpine", ("pull",), {"quiet": True}, ("alpine",), ("-q",)),
    ("image pull busybox", ("pull",), {}, ("busybox",), ()),
    ("tag alpine mine:1", ("tag",), {}, ("alpine", "mine:1"), ()),
    (
        "inspect -f {{.State.Status}} --type container web",
        ("inspect",),
        {"format": "{{.State.Status}}", "type": "container"},
        ("web",),
        ("-f", "--type"),
    ),
    ("container inspect web", ("inspect",), {"type": "container"}, ("web",), ()),
    ("image inspect alpine", ("inspect",), {"type": "image"}, ("alpine",), ()),
    (
        "build -t hello:1 -t hello -f Dockerfile --build-arg V=1 --no-cache -q --pull --network none .",
        ("build",),
        {
            "tag": ("hello:1", "hello"),
            "file": "Dockerfile",
            "build-arg": ("V=1",),
            "no-cache": True,
            "quiet": True,
            "pull": True,
            "network": "none",
        },
        (".",),
        ("-t", "-t", "-f", "--build-arg", "--no-cache", "-q", "--pull", "--network"),
    ),
    ("builder build -t x .", ("build",), {"tag": ("x",)}, (".",), ("-t",)),
    ("image build .", ("build",), {}, (".",), ()),
    ("volume create data", ("volume", "create"), {}, ("data",), ()),
    ("volume create", ("volume", "create"), {}, (), ()),
    ("volume ls -q", ("volume", "ls"), {"quiet": True}, (), ("-q",)),
    ("volume list", ("volume", "ls"), {}, (), ()),
    ("volume rm -f a b", ("volume", "rm"), {"force": True}, ("a", "b"), ("-f",)),
    ("volume remove a", ("volume", "rm"), {}, ("a",), ()),
    ("volume inspect a", ("volume", "inspect"), {}, ("a",), ()),
    (
        "network create --internal -d bridge net1",
        ("network", "create"),
        {"internal": True, "driver": "bridge"},
        ("net1",),
        ("--internal", "-d"),
    ),
    ("network ls", ("network", "ls"), {}, (), ()),
    ("network list -q", ("network", "ls"), {"quiet": True}, (), ("-q",)),
    ("network rm net1", ("network", "rm"), {}, ("net1",), ()),
    ("network inspect net1", ("network", "inspect"), {}, ("net1",), ()),
    ("version", ("version",), {}, (), ()),
    ("status", ("status",), {}, (), ()),
    ("reset", ("reset",), {}, (), ()),
    # global flags before the command
    ("-D ps", ("ps",), {"debug": True}, (), ("-D",)),
    (
        "--log-level debug -H tcp://x:2375 --context c ps",
        ("ps",),
        {"log-level": "debug", "host": ("tcp://x:2375",), "context": "c"},
        (),
        ("--log-level", "-H", "--context"),
    ),
    ("--tlsverify --config /tmp ps", ("ps",), {"tlsverify": True, "config": "/tmp"}, (), ("--tlsverify", "--config")),
    ("--version", ("version",), {"version": True}, (), ("--version",)),
    ("-v ps", ("version",), {"version": True}, (), ("-v",)),
]


@pytest.mark.parametrize(("line", "command", "options", "args", "given"), OK, ids=[case[0] for case in OK])
def test_parses_like_the_cli(
    line: str, command: tuple[str, ...], options: dict[str, object], args: tuple[str, ...], given: tuple[str, ...]
) -> None:
    parsed = parse(line.split())
    assert (parsed.command, dict(parsed.options), parsed.args, parsed.given) == (command, options, args, given)
    assert not parsed.help


HELP = [
    ("", ()),
    ("--help", ()),
    ("-h", ()),
    ("help", ()),
    ("help run", ("run",)),
    ("help container ls", ("ps",)),
    ("help volume", ("volume",)),
    ("help volume ls", ("volume", "ls")),
    ("run --help", ("run",)),
    ("run --help alpine", ("run",)),
    ("ps -h", ("ps",)),
    ("ps -ah x", ("ps",)),  # help wins over the operand count, as in cobra
    ("container ls --help", ("ps",)),
    ("logs --help", ("logs",)),
    ("volume", ("volume",)),
    ("volume --help", ("volume",)),
    ("container", ("container",)),
    ("network ls -h", ("network", "ls")),
]


@pytest.mark.parametrize(("line", "command"), HELP, ids=[case[0] or "(nothing)" for case in HELP])
def test_help_requests(line: str, command: tuple[str, ...]) -> None:
    parsed = parse(line.split())
    assert parsed.help
    assert parsed.command == command


def test_help_false_is_no_help() -> None:
    assert not parse(["ps", "--help=false"]).help
    with pytest.raises(CliError, match="'docker ps' accepts no arguments"):
        parse(["ps", "--help=false", "x"])


def test_run_h_is_the_hostname_not_help() -> None:
    parsed = parse(["run", "-h", "box", "alpine"])
    assert not parsed.help
    assert parsed.options == {"hostname": "box"}


def test_unsupported_lists_flags_the_lab_does_not_know() -> None:
    parsed = parse(["run", "--dns", "1.1.1.1", "--add-host=a:1.2.3.4", "--privileged", "-dP", "alpine"])
    assert parsed.unsupported == ("--dns", "--add-host=a:1.2.3.4", "-dP")  # -P: publish-all
    assert parsed.options["privileged"] is True  # refused by name by the policy, not "unsupported"
    assert parse(["run", "--privileged", "alpine"]).unsupported == ()


ERRORS = [
    # argv, the CLI's first line, exit code
    ("run --foo alpine", "unknown flag: --foo", 125),
    ("run --foo=bar alpine", "unknown flag: --foo", 125),
    ("run -x alpine", "unknown shorthand flag: 'x' in -x", 125),
    ("run -dxy alpine", "unknown shorthand flag: 'x' in -xy", 125),
    ("run ---foo", "bad flag syntax: ---foo", 125),
    ("run --name", "flag needs an argument: --name", 125),
    ("run -e", "flag needs an argument: 'e' in -e", 125),
    ("run -de", "flag needs an argument: 'e' in -e", 125),
    (
        "run --rm=maybe alpine",
        'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
        125,
    ),
    (
        "run -t=maybe alpine",
        'invalid argument "maybe" for "-t, --tty" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
        125,
    ),
    ("run --cpus x alpine", 'invalid argument "x" for "--cpus" flag: failed to parse x as a rational number', 125),
    ("run -m x alpine", 'invalid argument "x" for "-m, --memory" flag: invalid size: \'x\'', 125),
    (
        "run --pids-limit x alpine",
        'invalid argument "x" for "--pids-limit" flag: strconv.ParseInt: parsing "x": invalid syntax',
        125,
    ),
    ("run", "docker: 'docker run' requires at least 1 argument", 1),
    ("run -d", "docker: 'docker run' requires at least 1 argument", 1),
    ("create", "docker: 'docker create' requires at least 1 argument", 1),
    ("ps -x", "unknown shorthand flag: 'x' in -x", 125),
    ("ps x", "docker: 'docker ps' accepts no arguments", 1),
    ("ps -n x", 'invalid argument "x" for "-n, --last" flag: strconv.ParseInt: parsing "x": invalid syntax', 125),
    ("ps --format", "flag needs an argument: --format", 125),
    ("ps --log-level x", "unknown flag: --log-level", 125),  # global flags only before the command
    ("container ls x", "docker: 'docker container ls' accepts no arguments", 1),
    ("container list x", "docker: 'docker container ls' accepts no arguments", 1),
    ("logs", "docker: 'docker logs' requires 1 argument", 1),
    ("logs a b", "docker: 'docker logs' requires 1 argument", 1),
    ("logs --tail", "flag needs an argument: --tail", 125),
    ("exec", "docker: 'docker exec' requires at least 2 arguments", 1),
    ("exec web", "docker: 'docker exec' requires at least 2 arguments", 1),
    ("stop", "docker: 'docker stop' requires at least 1 argument", 1),
    (
        "stop -t x web",
        'invalid argument "x" for "-t, --timeout" flag: strconv.ParseInt: parsing "x": invalid syntax',
        125,
    ),
    ("start", "docker: 'docker start' requires at least 1 argument", 1),
    ("restart", "docker: 'docker restart' requires at least 1 argument", 1),
    ("rm", "docker: 'docker rm' requires at least 1 argument", 1),
    ("images a b", "docker: 'docker images' requires at most 1 argument", 1),
    ("image ls a b", "docker: 'docker image ls' requires at most 1 argument", 1),
    ("rmi", "docker: 'docker rmi' requires at least 1 argument", 1),
    ("pull", "docker: 'docker pull' requires 1 argument", 1),
    ("pull a b", "docker: 'docker pull' requires 1 argument", 1),
    ("tag a", "docker: 'docker tag' requires 2 arguments", 1),
    ("tag a b c", "docker: 'docker tag' requires 2 arguments", 1),
    ("inspect", "docker: 'docker inspect' requires at least 1 argument", 1),
    ("build", "docker: 'docker build' requires 1 argument", 1),
    ("build -t x a b", "docker: 'docker build' requires 1 argument", 1),
    ("volume create a b", "docker: 'docker volume create' requires at most 1 argument", 1),
    ("volume rm", "docker: 'docker volume rm' requires at least 1 argument", 1),
    ("volume ls x", "docker: 'docker volume ls' accepts no arguments", 1),
    ("volume inspect", "docker: 'docker volume inspect' requires at least 1 argument", 1),
    ("volume -x", "unknown shorthand flag: 'x' in -x", 125),
    ("network create", "docker: 'docker network create' requires 1 argument", 1),
    ("network rm", "docker: 'docker network rm' requires at least 1 argument", 1),
    ("network inspect", "docker: 'docker network inspect' requires at least 1 argument", 1),
    ("version x", "docker: 'docker version' accepts no arguments", 1),
    ("frob", "docker: unknown command: docker frob", 1),
    ("container frob", "docker: unknown command: docker container frob", 1),
    ("volume frob", "docker: unknown command: docker volume frob", 1),
    ("help frob", "unknown help topic: frob", 1),
    ("help container frob", "unknown help topic: frob", 1),
    ("--foo ps", "unknown flag: --foo", 125),
    ("-x ps", "unknown shorthand flag: 'x' in -x", 125),
    ("--log-level", "flag needs an argument: --log-level", 125),
    ("--log-level x ps -x", "Unable to parse logging level: x", 1),
    ("status x", "docker: 'docker status' accepts no arguments", 1),
]


@pytest.mark.parametrize(("line", "first", "code"), ERRORS, ids=[case[0] for case in ERRORS])
def test_errors_are_the_clis(line: str, first: str, code: int) -> None:
    with pytest.raises(CliError) as caught:
        parse(line.split())
    assert caught.value.message.splitlines()[0] == first
    assert caught.value.exit_code == code


def test_error_names_the_usage_and_the_help_to_read() -> None:
    with pytest.raises(CliError) as caught:
        parse(["run", "--foo", "alpine"])
    assert caught.value.message == (
        "unknown flag: --foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
        "Run 'docker run --help' for more information"
    )


def test_a_docker_command_the_lab_lacks_says_so() -> None:
    with pytest.raises(CliError) as caught:
        parse(["kill", "web"])
    assert caught.value.unsupported == "docker kill"
    assert caught.value.exit_code == 1
    assert "not part of this lab" in caught.value.message
    with pytest.raises(CliError) as caught:
        parse(["volume", "prune"])
    assert caught.value.unsupported == "docker volume prune"
    with pytest.raises(CliError) as caught:
        parse(["frob"])
    assert caught.value.unsupported == ""


def test_usage_texts() -> None:
    run = usage(("run",))
    assert run.splitlines()[0] == "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"
    assert "Create and run a new container from an image" in run
    assert re.search(r"^  -d, --detach +Run container in background and print container ID$", run, re.M)
    assert re.search(r"^      --name string +Assign a name to the container$", run, re.M)
    assert "--privileged" not in run  # refused flags are not advertised
    assert "--dns" not in run
    assert "docker container ls, docker container list, docker container ps, docker ps" not in run
    ps = usage(("ps",))
    assert ps.splitlines()[0] == "Usage:  docker ps [OPTIONS]"
    assert "docker container ls" in ps
    assert re.search(r"^  -q, --quiet +Only display container IDs$", ps, re.M)
    assert usage(("volume", "ls")).splitlines()[0] == "Usage:  docker volume ls [OPTIONS]"
    assert "\n  ls          List volumes" in usage(("volume",))
    top = usage(())
    assert top.splitlines()[0] == "Usage:  docker [OPTIONS] COMMAND"
    assert "\n  status " in top and "\n  run " in top and "\n  volume " in top
    assert usage(("status",)).splitlines()[0] == "Usage:  docker status"


def test_every_parsed_command_has_a_usage_text() -> None:
    for line in ("run x", "ps", "volume ls", "network create n", "inspect x", "images", "rmi x", "status", "tag a b"):
        parsed: Parsed = parse(line.split())
        assert usage(parsed.command).startswith("Usage:  docker ")


# ---- against the real docker CLI (it refuses these lines before talking to any engine) ----

REAL = [
    "run --foo alpine",
    "run -dxy alpine",
    "run",
    "run --name",
    "run -h",
    "run --rm=maybe alpine",
    "run --cpus x alpine",
    "run -m x alpine",
    "run ---foo",
    "ps -x",
    "ps x",
    "ps -n x",
    "ps --all=maybe",
    "container list x",
    "image ls a b",
    "logs a b",
    "logs --tail",
    "exec web",
    "stop -t x web",
    "stop --time",
    "tag a",
    "pull a b",
    "rmi",
    "volume create a b",
    "volume -x",
    "volume frob",
    "container frob",
    "network create",
    "network rm",
    "frob",
    "help frob",
    "--foo ps",
    "--log-level x ps",
    "version x",
]


def _docker(args: list[str]) -> subprocess.CompletedProcess[str]:
    docker = shutil.which("docker")
    assert docker, "the docker CLI is needed to compare with (.ci/setup-docker.sh installs it)"
    return subprocess.run([docker, *args], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


@pytest.mark.docker
@pytest.mark.parametrize("line", REAL)
def test_same_text_and_exit_code_as_the_real_cli(line: str) -> None:
    real = _docker(line.split())
    with pytest.raises(CliError) as caught:
        parse(line.split())
    # docker 28 prints "SRun 'docker images --help'" after "requires at most": its typo, not copied
    expected = real.stderr.rstrip("\n").replace("\nSRun '", "\nRun '")
    assert (caught.value.message, caught.value.exit_code) == (expected, real.returncode)


def _real_flags(path: tuple[str, ...]) -> set[str]:
    text = _docker([*path, "--help"]).stdout
    options = text.split("\nOptions:\n", 1)[1] if "\nOptions:\n" in text else ""
    return set(re.findall(r"^  (?:-\w, )?\s*--([\w-]+)", options, re.M)) - {"help"}


def _commands(group: Group, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Command]]:
    found: list[tuple[tuple[str, ...], Command]] = []
    for entry in group.entries:
        if isinstance(entry.node, Group):
            found += _commands(entry.node, (*path, entry.name))
        elif entry.node.canonical not in {("status",), ("reset",)}:
            found.append(((*path, entry.name), entry.node))
    return found


# Debian's docker.io has no Compose v2 plugin (`docker compose`), so compose's tables follow docker/compose's
# source instead and are checked by tests/sandbox/lab/test_compose_engine.py.
CLI_COMMANDS = [(p, c) for p, c in _commands(ROOT, ()) if p[0] != "compose"]


@pytest.mark.docker
@pytest.mark.parametrize(
    ("path", "command"), CLI_COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_flag_tables_match_the_real_cli(path: tuple[str, ...], command: Command) -> None:
    """Every flag docker lists is parsed (so no value is mistaken for an operand), and no flag is invented."""
    ours = {f.long for f in command.flags if not f.key}  # keyed flags are docker's hidden aliases
    assert ours == _real_flags(path)
    real_usage = _docker([*path, "--help"]).stdout.split("Usage:", 1)[1].splitlines()[0].strip()
    assert real_usage == f"docker {' '.join(path)} {command.operands}".rstrip()


@pytest.mark.docker
@pytest.mark.parametrize(
    ("path", "command"),
    [(p, c) for p, c in CLI_COMMANDS if len(p) == 1 or p[0] in {"volume", "network"}],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_shown_flags_read_like_the_cli_help(path: tuple[str, ...], command: Command) -> None:
    real = re.sub(r"\s+", " ", _docker([*path, "--help"]).stdout)
    assert command.summary in real
    for flag in command.flags:
        if flag.role is Role.SHOWN and not flag.key:
            assert flag.head.strip() in real
