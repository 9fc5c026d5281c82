"""A lab question's ``check`` and ``setup`` in a bank, read into :class:`~bot.quiz.lab_check.LabTask`.

Either a mapping (each kind once) or a list of one-key mappings::

    check:
      - container: {name: web, image: alpine, status: running, command: sleep 300}
      - image: {name: hello, cmd: echo hi, built: true}
      - volume: data
      - network: backend
      - no_containers: {status: stopped}     # stopped = created, exited or dead
      - keep_containers: {status: running}   # compared with the lab when the exercise started
    setup:                                   # the lab must hold this before the exercise starts
      - container: {status: stopped}

Every problem is reported as a short sentence naming the condition and its field, so a bank author sees
all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.quiz.lab_check import (
    STATUSES,
    STOPPED,
    Condition,
    ContainerWanted,
    ImageWanted,
    KeepContainers,
    LabTask,
    NetworkWanted,
    NoContainers,
    VolumeWanted,
)

_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$")  # the CLI's container/volume/network names
_IMAGE = re.compile(r"^[a-z0-9][a-z0-9._/-]{0,99}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$")
_PORT = re.compile(r"^(\d{1,5}:)?\d{1,5}(/(tcp|udp))?$")
_VOLUME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}(:/[^\s:]*)?$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=\S*$")
MAX_TEXT = 100
MAX_COUNT = 10

CONTAINER_FIELDS = (
    "name", "image", "status", "command", "env", "ports", "network", "volume", "exit_code", "count", "new",
)
NO_CONTAINERS_FIELDS = ("name", "image", "status")
IMAGE_FIELDS = ("name", "cmd", "entrypoint", "env", "workdir", "built")


class _Reader:
    """Reads one condition's fields, collecting a sentence per problem."""

    def __init__(self, where: str, raw: dict[str, Any], known: tuple[str, ...], errors: list[str]) -> None:
        self.where = where
        self.raw = raw
        self.errors = errors
        for key in raw:
            if key not in known:
                self.fail(f"unknown field {key!r} (known: {', '.join(known)})")

    def fail(self, problem: str) -> None:
        self.errors.append(f"{self.where}: {problem}")

    def text(self, key: str, pattern: re.Pattern[str] | None = None, what: str = "") -> str:
        value = self.raw.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            self.fail(f"{key} must be a non-empty text")
            return ""
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            self.fail(f"{key} is longer than {MAX_TEXT} characters")
        elif pattern is not None and not pattern.match(text):
            self.fail(f"{key} {text!r} is not {what}")
        return text

    def texts(self, key: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int) or not pattern.match(str(item).strip()):
                self.fail(f"{key} {item!r} is not {what}")
                continue
            out.append(str(item).strip())
        return tuple(out)

    def statuses(self) -> tuple[str, ...]:
        value = self.raw.get("status")
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            if item == "stopped":
                out += [s for s in STOPPED if s not in out]
            elif isinstance(item, str) and item in STATUSES:
                out.append(item)
            else:
                self.fail(f"status {item!r} is not one of {', '.join(STATUSES)} or stopped")
        return tuple(out)

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{key} must be true or false")
            return False
        return value

    def number(self, key: str, low: int, high: int) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{key} must be a whole number from {low} to {high}")
            return None
        return value


def _container(reader: _Reader) -> ContainerWanted | None:
    count = reader.number("count", 1, MAX_COUNT)
    exit_code = reader.number("exit_code", 0, 255)
    want = ContainerWanted(
        name=reader.text("name", _NAME, "a container name"),
        image=reader.text("image", _IMAGE, "an image name"),
        status=reader.statuses(),
        command=reader.text("command"),
        env=reader.texts("env", _ENV, "KEY=value"),
        ports=reader.texts("ports", _PORT, "a port like 8080:80"),
        network=reader.text("network", _NAME, "a network name"),
        volume=reader.text("volume", _VOLUME, "a volume like data or data:/path"),
        exit_code=exit_code,
        count=count or 1,
        new=reader.flag("new"),
    )
    if want.name and count is not None:
        reader.fail("count is for containers without a name (a name is one container)")
    if exit_code is not None and want.status != ("exited",):
        reader.fail("exit_code needs status: exited")
    if not reader.raw:
        reader.fail("needs at least one field")
    return want


def _no_containers(reader: _Reader) -> NoContainers:
    return NoContainers(
        name=reader.text("name", _NAME, "a container name"),
        image=reader.text("image", _IMAGE, "an image name"),
        status=reader.statuses(),
    )


def _keep(reader: _Reader) -> KeepContainers | None:
    status = reader.statuses()
    if not status:
        reader.fail("needs a status (the containers to keep)")
        return None
    return KeepContainers(status)


def _image(reader: _Reader) -> ImageWanted | None:
    name = reader.text("name", _IMAGE, "an image name")
    workdir = reader.text("workdir")
    if workdir and not workdir.startswith("/"):
        reader.fail(f"workdir {workdir!r} must be an absolute path")
    want = ImageWanted(
        name=name, cmd=reader.text("cmd"), entrypoint=reader.text("entrypoint"),
        env=reader.texts("env", _ENV, "KEY=value"), workdir=workdir, built=reader.flag("built"),
    )
    if not name:
        reader.fail("needs a name")
        return None
    return want


def _named(kind: type[VolumeWanted] | type[NetworkWanted]) -> Callable[[_Reader], Condition | None]:
    def read(reader: _Reader) -> Condition | None:
        name = reader.text("name", _NAME, f"a {kind.__name__.removesuffix('Wanted').lower()} name")
        if not name:
            reader.fail("needs a name")
            return None
        return kind(name)

    return read


_KINDS: dict[str, tuple[tuple[str, ...], Callable[[_Reader], Condition | None]]] = {
    "container": (CONTAINER_FIELDS, _container),
    "no_containers": (NO_CONTAINERS_FIELDS, _no_containers),
    "keep_containers": (("status",), _keep),
    "image": (IMAGE_FIELDS, _image),
    "volume": (("name",), _named(VolumeWanted)),
    "network": (("name",), _named(NetworkWanted)),
}


def _items(raw: object, where: str, errors: list[str]) -> list[tuple[str, object]]:
    if isinstance(raw, dict):
        return list(raw.items())
    if isinstance(raw, list) and raw:
        items: list[tuple[str, object]] = []
        for i, item in enumerate(raw, start=1):
            if not isinstance(item, dict) or len(item) != 1:
                errors.append(f"{where} #{i}: must be one kind: value, e.g. container: {{name: web}}")
                continue
            items += list(item.items())
        return items
    errors.append(f"{where}: must be a list of conditions, e.g. - container: {{name: web}}")
    return []


def parse_conditions(raw: object, where: str, errors: list[str]) -> tuple[Condition, ...]:
    """The conditions of ``check`` or ``setup``; each problem is added to ``errors``."""
    conditions: list[Condition] = []
    items = _items(raw, where, errors)
    if not items and not errors:
        errors.append(f"{where}: needs at least one condition")
    for i, (kind, value) in enumerate(items, start=1):
        label = f"{where} #{i} {kind}"
        if kind not in _KINDS:
            errors.append(f"{label}: unknown kind (known: {', '.join(_KINDS)})")
            continue
        fields, read = _KINDS[kind]
        if isinstance(value, str) and fields == ("name",):
            value = {"name": value}
        if value is None and kind == "no_containers":
            value = {}
        if not isinstance(value, dict):
            errors.append(f"{label}: must be a mapping of {', '.join(fields)}")
            continue
        condition = read(_Reader(label, value, fields, errors))
        if condition is not None:
            conditions.append(condition)
    return tuple(conditions)


def parse_task(check: object, setup: object) -> tuple[LabTask | None, list[str]]:
    """The task, or None with every problem (``check #2 container: status 'up' is not one of …``)."""
    errors: list[str] = []
    conditions = parse_conditions(check, "check", errors)
    prepared = parse_conditions(setup, "setup", errors) if setup is not None else ()
    if errors:
        return None, errors
    return LabTask(check=conditions, setup=prepared), []
