"""Lab exercises: what a task asks of the member's lab, and the pure check of a :class:`LabState` against it.

A task is a list of conditions read from a bank's ``check`` (see :mod:`bot.quiz.lab_spec`). The state comes
from the engine (labels and inspect), never from what the member says. Some conditions compare with
``before``, the lab as it was when the exercise started: ``keep_containers`` (those still there) and
``container`` with ``new`` (not the one that was there already). :func:`check` returns what is still
wrong as :class:`Problem` codes; :mod:`bot.quiz.lab_strings` words them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.sandbox.lab.port import LabContainer, LabImage, LabState

STATUSES = ("created", "running", "paused", "restarting", "exited", "dead")
STOPPED = ("created", "exited", "dead")  # what `docker container prune` removes
_QUOTES = "\"'"


@dataclass(frozen=True, slots=True)
class ContainerWanted:
    """At least ``count`` containers with all the given properties (only the ones set are checked).

    ``command``: words that appear, in order, in the container's entrypoint + cmd (``sleep 300`` matches
    ``sh -c "sleep 300"``, not ``sleep 3000``). ``env``: ``KEY=value`` items it has. ``volume``: ``name`` or
    ``name:/path``. ``new``: it was not in the lab when the exercise started."""

    name: str = ""
    image: str = ""
    status: tuple[str, ...] = ()
    command: str = ""
    env: tuple[str, ...] = ()
    ports: tuple[str, ...] = ()
    network: str = ""
    volume: str = ""
    exit_code: int | None = None
    count: int = 1
    new: bool = False


@dataclass(frozen=True, slots=True)
class NoContainers:
    """No container with these properties (none set: no container at all)."""

    name: str = ""
    image: str = ""
    status: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KeepContainers:
    """Every container that was in one of ``status`` when the exercise started is still there, still so."""

    status: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImageWanted:
    """An image ``name`` (``hello`` = ``hello:latest``) with these properties; ``cmd``/``entrypoint`` are
    words in order, as for a container's command."""

    name: str
    cmd: str = ""
    entrypoint: str = ""
    env: tuple[str, ...] = ()
    workdir: str = ""
    built: bool = False


@dataclass(frozen=True, slots=True)
class VolumeWanted:
    name: str


@dataclass(frozen=True, slots=True)
class NetworkWanted:
    name: str


Condition = ContainerWanted | NoContainers | KeepContainers | ImageWanted | VolumeWanted | NetworkWanted


@dataclass(frozen=True, slots=True)
class LabTask:
    """``check``: what a finished exercise looks like. ``setup``: what the lab must hold before the exercise
    can start (checked on the snapshot taken then; e.g. a stopped container to remove)."""

    check: tuple[Condition, ...]
    setup: tuple[Condition, ...] = ()

    @property
    def needs_before(self) -> bool:
        return bool(self.setup) or any(
            isinstance(c, KeepContainers) or (isinstance(c, ContainerWanted) and c.new) for c in self.check
        )


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing still wrong: ``code`` names the sentence (``quiz.lab.problem.<code>``), ``values`` fill it."""

    code: str
    values: tuple[tuple[str, str], ...] = ()

    @property
    def params(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True, slots=True)
class CheckResult:
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(code: str, **values: str) -> Problem:
    return Problem(code, tuple(values.items()))


def image_ref(name: str) -> str:
    """``alpine`` → ``alpine:latest``; a name with a tag is kept."""
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else f"{name}:latest"


def words(parts: Iterable[str]) -> list[str]:
    """The words of a command line, each without surrounding quotes."""
    out = []
    for word in " ".join(parts).split():
        stripped = word.strip(_QUOTES)
        if stripped:
            out.append(stripped)
    return out


def has_words(parts: Iterable[str], wanted: str) -> bool:
    have, want = words(parts), words([wanted])
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))


def _port(port: str) -> str:
    return port.removesuffix("/tcp")


def _has_volume(container: LabContainer, wanted: str) -> bool:
    name, _, path = wanted.partition(":")
    for mount in container.volumes:
        m_name, _, rest = mount.partition(":")
        m_path = rest.split(":", 1)[0]
        if m_name == name and (not path or m_path.rstrip("/") == path.rstrip("/")):
            return True
    return False


def _container_problems(c: LabContainer, want: ContainerWanted, before_ids: set[str]) -> list[Problem]:
    """What of ``want`` the container ``c`` lacks."""
    name = c.name
    found: list[Problem] = []
    if want.image and image_ref(c.image) != image_ref(want.image):
        found.append(_problem("container_image", name=name, want=want.image, got=c.image))
    if want.status and c.status not in want.status:
        found.append(_problem("container_status", name=name, want=" / ".join(want.status), got=c.status))
    if want.command and not has_words(c.command, want.command):
        found.append(_problem("container_command", name=name, want=want.command, got=" ".join(c.command)))
    found += [_problem("container_env", name=name, want=e) for e in want.env if e not in c.env]
    have_ports = {_port(p) for p in c.ports}
    found += [_problem("container_port", name=name, want=p) for p in want.ports if _port(p) not in have_ports]
    if want.network and want.network not in c.networks:
        found.append(_problem("container_network", name=name, want=want.network))
    if want.volume and not _has_volume(c, want.volume):
        found.append(_problem("container_volume", name=name, want=want.volume))
    if want.exit_code is not None and c.status == "exited" and c.exit_code != want.exit_code:
        found.append(_problem("container_exit_code", name=name, want=str(want.exit_code), got=str(c.exit_code)))
    if want.new and c.id in before_ids:
        found.append(_problem("container_not_new", name=name))
    return found


def describe(want: ContainerWanted | NoContainers) -> str:
    """The properties asked for, as ``key=value`` words (shown in code, the same in every language)."""
    parts = []
    if want.image:
        parts.append(f"image={want.image}")
    if want.status:
        parts.append("status=" + "|".join(want.status))
    if isinstance(want, ContainerWanted):
        if want.command:
            parts.append(f"command={want.command!r}")
        parts += [f"env={e}" for e in want.env] + [f"port={p}" for p in want.ports]
        if want.network:
            parts.append(f"network={want.network}")
        if want.volume:
            parts.append(f"volume={want.volume}")
    return " ".join(parts)


def _check_container(want: ContainerWanted, state: LabState, before_ids: set[str]) -> list[Problem]:
    if want.name:
        named = next((c for c in state.containers if c.name == want.name), None)
        if named is None:
            return [_problem("container_missing", name=want.name)]
        return _container_problems(named, want, before_ids)
    matching = [c for c in state.containers if not _container_problems(c, want, before_ids)]
    if len(matching) >= want.count:
        return []
    return [_problem("containers_too_few", want=str(want.count), got=str(len(matching)), what=describe(want))]


def _check_none(want: NoContainers, state: LabState) -> list[Problem]:
    left = [
        c for c in state.containers
        if (not want.name or c.name == want.name)
        and (not want.image or image_ref(c.image) == image_ref(want.image))
        and (not want.status or c.status in want.status)
    ]
    if not left:
        return []
    shown = ", ".join(f"{c.name} ({c.status})" for c in left)
    return [_problem("containers_left", names=shown)]


def _check_kept(want: KeepContainers, state: LabState, before: LabState) -> list[Problem]:
    now = {c.id: c for c in state.containers}
    lost = [
        c.name for c in before.containers
        if c.status in want.status and (c.id not in now or now[c.id].status not in want.status)
    ]
    if not lost:
        return []
    return [_problem("containers_not_kept", names=", ".join(lost), status=" / ".join(want.status))]


def _image_problems(image: LabImage, want: ImageWanted) -> list[Problem]:
    name = want.name
    found: list[Problem] = []
    if want.built and not image.built:
        found.append(_problem("image_not_built", name=name))
    if want.cmd and not has_words(image.cmd, want.cmd):
        found.append(_problem("image_cmd", name=name, want=want.cmd, got=" ".join(image.cmd)))
    if want.entrypoint and not has_words(image.entrypoint, want.entrypoint):
        found.append(_problem("image_entrypoint", name=name, want=want.entrypoint, got=" ".join(image.entrypoint)))
    found += [_problem("image_env", name=name, want=e) for e in want.env if e not in image.env]
    if want.workdir and image.workdir.rstrip("/") != want.workdir.rstrip("/"):
        found.append(_problem("image_workdir", name=name, want=want.workdir, got=image.workdir or "/"))
    return found


def _check_image(want: ImageWanted, state: LabState) -> list[Problem]:
    image = next((i for i in state.images if image_ref(i.name) == image_ref(want.name)), None)
    if image is None:
        return [_problem("image_missing", name=want.name)]
    return _image_problems(image, want)


def _check_one(condition: Condition, state: LabState, before: LabState) -> list[Problem]:
    if isinstance(condition, ContainerWanted):
        return _check_container(condition, state, {c.id for c in before.containers})
    if isinstance(condition, NoContainers):
        return _check_none(condition, state)
    if isinstance(condition, KeepContainers):
        return _check_kept(condition, state, before)
    if isinstance(condition, ImageWanted):
        return _check_image(condition, state)
    if isinstance(condition, VolumeWanted):
        return [] if condition.name in state.volumes else [_problem("volume_missing", name=condition.name)]
    return [] if condition.name in state.networks else [_problem("network_missing", name=condition.name)]


def check(conditions: Iterable[Condition], state: LabState, before: LabState | None = None) -> CheckResult:
    """Every problem of ``state`` against ``conditions``; ``before`` (the lab when the exercise started)
    counts as an empty lab when not given."""
    base = before if before is not None else LabState()
    problems: list[Problem] = []
    for condition in conditions:
        problems += _check_one(condition, state, base)
    return CheckResult(tuple(problems))
