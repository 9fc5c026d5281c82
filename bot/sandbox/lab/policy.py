"""The lab policy: which of the CLI's flags a member may use, within which limits.

Every flag of ``run`` (and ``exec``) the grammar parsed is either applied within the sandbox's limits, refused
(:class:`Refused` with ``"flag"`` and the flag as typed), or, when the lab does not implement it, refused as
``"unsupported"``. Nothing is passed through unchecked: a flag this module does not name is never applied.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from bot.sandbox.lab.names import RESERVED_LABEL_PREFIX
from bot.sandbox.policy import RUNSC, Limits

# Refused whatever their value: each would hand the member a piece of the host or of the engine.
ALWAYS_REFUSED = frozenset({
    "privileged", "cap-add", "device", "mount", "pid", "ipc", "uts", "userns", "security-opt", "runtime",
    "sysctl", "env-file", "tmpfs", "volumes-from", "cgroup-parent", "cgroupns", "device-cgroup-rule",
    "add-host", "dns", "dns-option", "dns-search", "gpus", "oom-kill-disable", "storage-opt", "link", "ip", "ip6",
    "mac-address", "volume-driver", "isolation",
})
# Global flags that would point the CLI at another engine, or at the host's files.
GLOBAL_REFUSED = frozenset({"host", "context", "config", "tls", "tlsverify", "tlscacert", "tlscert", "tlskey"})
# Applied, within the policy where they have a value.
RUN_ALLOWED = frozenset({
    "detach", "rm", "name", "env", "workdir", "entrypoint", "user", "volume", "network", "net", "publish",
    "interactive", "tty", "memory", "cpus", "pids-limit", "ulimit", "label", "hostname", "init", "read-only",
    "cap-drop",  # --init, --read-only and --cap-drop are what the lab does anyway
})
EXEC_ALLOWED = frozenset({"detach", "env", "workdir", "user", "interactive", "tty"})
# Global flags that change nothing the lab shows.
GLOBAL_HARMLESS = frozenset({"debug", "log-level"})
SHORT_FLAGS = {
    "detach": "d", "env": "e", "interactive": "i", "tty": "t", "publish": "p", "volume": "v", "user": "u",
    "workdir": "w", "memory": "m", "label": "l", "host": "H", "context": "c", "hostname": "h", "publish-all": "P",
    "attach": "a", "debug": "D",
}
ROOT_USERS = frozenset({"0", "root"})
_VOLUME_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")
PORT_SPEC = re.compile(
    r"(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:\d{1,5}(?:-\d{1,5})?:)?\d{1,5}(?:-\d{1,5})?"
    r"(?:/(?:tcp|udp|sctp))?"
)
_MEMORY = re.compile(r"(\d+(?:\.\d+)?)([bkmg]?)b?", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
WRITE_MODES = frozenset({"ro", "rw"})
RUN_HELP = "Run 'docker run --help' for more information"


class ParsedCommand(Protocol):
    """What this module reads of :class:`bot.sandbox.lab.grammar.Parsed`."""

    @property
    def options(self) -> Mapping[str, object]: ...

    @property
    def given(self) -> tuple[str, ...]: ...

    @property
    def args(self) -> tuple[str, ...]: ...


class Refused(Exception):
    """The policy said no: ``code`` (``"flag"``, ``"unsupported"``, ``"quota"`` …) and what it was about."""

    def __init__(self, code: str, detail: str = "", exit_code: int = 125, output: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.exit_code = exit_code
        self.output = output


class CliFailure(Exception):
    """A command that fails the way the CLI fails: ``output`` is the CLI's text, ``exit_code`` its status."""

    def __init__(self, output: str, exit_code: int = 1) -> None:
        super().__init__(output)
        self.output = output if output.endswith("\n") else output + "\n"
        self.exit_code = exit_code


def typed(parsed: ParsedCommand, key: str) -> str:
    """The flag ``key`` as the member typed it (``-v``, ``--volume``), for a refusal to quote."""
    short = SHORT_FLAGS.get(key)
    for flag in parsed.given:
        name = flag.split("=", 1)[0]
        if name == f"--{key}" or (short and name.startswith("-") and not name.startswith("--") and short in name[1:]):
            return name
    return f"--{key}"


def values(parsed: ParsedCommand, key: str) -> tuple[str, ...]:
    value = parsed.options.get(key)
    if value is None or isinstance(value, bool):
        return ()
    return (value,) if isinstance(value, str) else tuple(str(item) for item in value)  # type: ignore[attr-defined]


def value(parsed: ParsedCommand, key: str) -> str | None:
    found = values(parsed, key)
    return found[-1] if found else None


def check_globals(parsed: ParsedCommand) -> None:
    for key in parsed.options:
        if key in GLOBAL_REFUSED:
            raise Refused("flag", typed(parsed, key))


def is_root(user: str) -> bool:
    """``user[:group]`` that runs as root: ``root``, uid 0 in any spelling the engine reads as 0 (``00``, ``+0``:
    it parses ids as integers), or no user at all (``-u ""``, ``-u :``: the image's own user, root in most)."""
    name = user.partition(":")[0].strip()
    digits = name.removeprefix("+")
    return not name or name in ROOT_USERS or (digits.isdigit() and int(digits) == 0)


def check_user(parsed: ParsedCommand, runtime: str, root_in_gvisor: bool) -> str | None:
    user = value(parsed, "user")
    if user is not None and is_root(user) and not (runtime == RUNSC and root_in_gvisor):
        raise Refused("flag", f"{typed(parsed, 'user')} {user}")
    return user


def tty_notes(parsed: ParsedCommand) -> tuple[str, ...]:
    return ("no_tty",) if parsed.options.get("interactive") or parsed.options.get("tty") else ()


def memory_bytes(text: str) -> int | None:
    match = _MEMORY.fullmatch(text.strip())
    if match is None:
        return None
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


@dataclass(frozen=True, slots=True)
class VolumeUse:
    name: str  # the member's volume name
    path: str
    read_only: bool


@dataclass(frozen=True, slots=True)
class RunSpec:
    """A ``run``'s flags, checked: what the service applies."""

    limits: Limits
    user: str | None = None
    env: tuple[str, ...] = ()
    workdir: str | None = None
    entrypoint: str | None = None
    volumes: tuple[VolumeUse, ...] = ()
    network: str | None = None  # a lab network (the member's name), or None: no network
    ports: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    ulimits: Mapping[str, int] = field(default_factory=dict)
    hostname: str | None = None
    notes: tuple[str, ...] = ()


def _check_known(parsed: ParsedCommand, allowed: Collection[str]) -> None:
    for key in parsed.options:
        if key in ALWAYS_REFUSED:
            raise Refused("flag", typed(parsed, key))
    for key in parsed.options:
        if key not in allowed and key not in GLOBAL_HARMLESS:
            raise Refused("unsupported", typed(parsed, key))


def _volume(parsed: ParsedCommand, spec: str) -> VolumeUse:
    flag = typed(parsed, "volume")
    parts = spec.split(":")
    if len(parts) not in (2, 3) or not _VOLUME_NAME.fullmatch(parts[0]) or not parts[1].startswith("/"):
        raise Refused("flag", f"{flag} {spec}")
    if len(parts) == 3 and parts[2] not in WRITE_MODES:
        raise Refused("flag", f"{flag} {spec}")
    return VolumeUse(parts[0], parts[1], len(parts) == 3 and parts[2] == "ro")


def _limits(parsed: ParsedCommand, limits: Limits) -> Limits:
    memory = value(parsed, "memory")
    if memory is not None:
        wanted = memory_bytes(memory)
        if wanted is None or wanted > limits.memory_mib * 1024 * 1024 or wanted < 6 * 1024 * 1024:
            raise Refused("flag", f"{typed(parsed, 'memory')} {memory}")
        limits = replace(limits, memory_mib=max(6, wanted // (1024 * 1024)))
    cpus = value(parsed, "cpus")
    if cpus is not None:
        try:
            wanted_cpus = float(cpus)
        except ValueError:
            wanted_cpus = -1.0
        if not 0 < wanted_cpus <= limits.cpus:
            raise Refused("flag", f"--cpus {cpus}")
        limits = replace(limits, cpus=wanted_cpus)
    pids = value(parsed, "pids-limit")
    if pids is not None:
        if not pids.isdigit() or not 0 < int(pids) <= limits.pids:
            raise Refused("flag", f"--pids-limit {pids}")
        limits = replace(limits, pids=int(pids))
    return limits


def _ulimits(parsed: ParsedCommand, limits: Limits) -> dict[str, int]:
    ceilings = {"nofile": limits.nofile, "nproc": limits.pids, "fsize": limits.tmp_mib * 1024 * 1024, "core": 0}
    chosen: dict[str, int] = {}
    for spec in values(parsed, "ulimit"):
        name, _, amounts = spec.partition("=")
        numbers = amounts.split(":")
        if name not in ceilings or not all(n.isdigit() for n in numbers) or len(numbers) > 2:
            raise Refused("flag", f"--ulimit {spec}")
        highest = max(int(n) for n in numbers)
        if highest > ceilings[name]:
            raise Refused("flag", f"--ulimit {spec}")
        chosen[name] = highest
    return chosen


def run_spec(
    parsed: ParsedCommand, limits: Limits, runtime: str, *, root_in_gvisor: bool, networks: Collection[str]
) -> RunSpec:
    """Check a ``run``'s flags against the policy (raises :class:`Refused`) and gather what to apply.
    ``networks``: the lab's own networks, by the member's names."""
    _check_known(parsed, RUN_ALLOWED)
    user = check_user(parsed, runtime, root_in_gvisor)
    network = value(parsed, "network") or value(parsed, "net")
    if network == "none":
        network = None
    elif network is not None and network not in networks:
        raise Refused("flag", f"{typed(parsed, 'network')} {network}")
    for spec in values(parsed, "label"):
        if spec.startswith(RESERVED_LABEL_PREFIX):
            raise Refused("flag", f"{typed(parsed, 'label')} {spec}")
    for spec in values(parsed, "publish"):
        if not PORT_SPEC.fullmatch(spec):
            raise CliFailure(f"docker: invalid containerPort: {spec}\n\n{RUN_HELP}", 125)
    labels = {}
    for spec in values(parsed, "label"):
        key, _, text = spec.partition("=")
        labels[key] = text
    notes = tty_notes(parsed)
    ports = values(parsed, "publish")
    if ports:
        notes += ("ports_not_published",)
    return RunSpec(
        limits=_limits(parsed, limits),
        user=user,
        env=values(parsed, "env"),
        workdir=value(parsed, "workdir"),
        entrypoint=value(parsed, "entrypoint"),
        volumes=tuple(_volume(parsed, spec) for spec in values(parsed, "volume")),
        network=network,
        ports=ports,
        labels=labels,
        ulimits=_ulimits(parsed, limits),
        hostname=value(parsed, "hostname"),
        notes=notes,
    )


def check_exec(parsed: ParsedCommand, runtime: str, *, root_in_gvisor: bool) -> str | None:
    """Check an ``exec``'s flags; the user to run as (None: the container's)."""
    _check_known(parsed, EXEC_ALLOWED)
    return check_user(parsed, runtime, root_in_gvisor)
