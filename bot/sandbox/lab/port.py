"""What ``!docker`` asks of a lab and gets back, wherever the lab's engine is (shared by both sides).

:class:`LabService` is implemented in-process (it needs the Docker SDK) and over HTTP by the runner's client
(which must not). Nothing here imports either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

MAX_FILES = 8  # inline files a build or compose request may carry (the Dockerfile counts)
MAX_FILE_BYTES = 16 * 1024
MAX_LAB_OUTPUT_BYTES = 64 * 1024  # what one command's answer keeps; the rest is cut and `truncated` set


@dataclass(frozen=True, slots=True)
class LabOwner:
    """Whose lab: a member (``Actor.id``) in a server (``scope_key``). A member has one lab per server."""

    member: str
    server: str


@dataclass(frozen=True, slots=True)
class LabAnswer:
    """One ``docker …`` command's answer, as the CLI would print it.

    ``output`` is stdout and stderr in the order the CLI writes them (the CLI's own English: ids, tables,
    ``Error response from daemon: …``). ``refusal`` is set (with ``exit_code`` 125 and usually no output)
    when the lab policy refused the command: a code the chat side words, e.g. ``"flag"`` with ``detail``
    ``"--privileged"``. ``notes`` are codes the chat side adds below the output (``"no_tty"``: ``-it`` was
    given and chat has no terminal; ``"ports_not_published"``: ``-p`` is recorded, nothing listens on the host).
    """

    exit_code: int
    output: str
    truncated: bool = False
    refusal: str | None = None
    detail: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LabContainer:
    name: str  # as the member named it (no namespace)
    id: str  # 64 hex, the engine's; shown as its first 12
    image: str  # as the member named it (alpine, hello:latest)
    command: tuple[str, ...]  # entrypoint + cmd as the container runs them
    status: str  # the engine's state: created | running | paused | restarting | exited | dead
    exit_code: int
    created: float  # epoch seconds
    env: tuple[str, ...] = ()
    ports: tuple[str, ...] = ()  # as given to -p, recorded only
    networks: tuple[str, ...] = ()  # lab network names
    volumes: tuple[str, ...] = ()  # "name:/path" for lab volumes


@dataclass(frozen=True, slots=True)
class LabImage:
    name: str  # repository:tag as the member sees it (hello:latest, alpine:latest)
    id: str
    size: int
    created: float
    cmd: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    workdir: str = ""
    built: bool = False  # made by `docker build` in this lab (not a pulled or tagged base image)


@dataclass(frozen=True, slots=True)
class LabQuotas:
    running: int
    containers: int
    images: int
    image_bytes: int
    volumes: int
    networks: int
    idle_seconds: float
    volume_bytes: int = 0  # what all of the lab's volumes may hold together (0: unknown, an older runner)


@dataclass(frozen=True, slots=True)
class LabState:
    """What a lab holds, read from the engine (labels and inspect), never from what a member said."""

    containers: tuple[LabContainer, ...] = ()
    images: tuple[LabImage, ...] = ()
    volumes: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    expires_at: float | None = None  # epoch seconds the sweeper removes it if idle; None: the lab is empty
    quotas: LabQuotas | None = None
    runtime: str = ""
    volume_bytes: int = 0  # what the lab's volumes hold together, as the engine last measured it


class LabEvents(Protocol):
    """Progress of a long command (``build``): the output so far, to show in an edited message."""

    async def output(self, text: str) -> None: ...


@dataclass(frozen=True, slots=True)
class LabRequest:
    """``docker <argv…>`` for ``owner``; ``files`` are inline files (a build's ``Dockerfile``, by name)."""

    owner: LabOwner
    argv: tuple[str, ...]
    files: Mapping[str, str] = field(default_factory=dict)


class LabService(Protocol):
    """What ``!docker`` needs from the lab side."""

    async def docker(self, request: LabRequest, events: LabEvents | None = None) -> LabAnswer:
        """Run one CLI command in the owner's lab. Refusals of the policy come back as a ``LabAnswer`` with
        ``refusal`` set; an engine that cannot be reached raises :class:`~bot.sandbox.errors.SandboxRefusal`."""
        ...

    async def state(self, owner: LabOwner) -> LabState: ...

    async def reset(self, owner: LabOwner) -> int:
        """Remove everything of the owner's lab now; the number of objects removed."""
        ...
