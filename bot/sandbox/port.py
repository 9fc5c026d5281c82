"""The sandbox's port: what ``!run`` asks of a sandbox and gets back, wherever the sandbox runs.

:class:`~bot.sandbox.service.Sandbox` implements :class:`SandboxService` in-process (it needs the Docker
SDK) and :class:`~bot.sandbox.client.RemoteSandbox` over HTTP (it must not: a bot that sends its runs
to runners never imports the Docker SDK). Both sides share this module, which imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.sandbox.errors import BadCommand
from bot.sandbox.lab.port import LabService
from bot.sandbox.policy import Limits
from bot.sandbox.results import PullProgress, RunResult

if TYPE_CHECKING:
    from bot.config import SandboxSettings

MAX_ARGS = 1024
MAX_ARGV_BYTES = 32 * 1024  # a chat message is far shorter; the kernel's limit is far longer
MAX_MEMBER_CHARS = 200


class RunEvents(Protocol):
    """What a waiting member is shown while a run is prepared. ``pulling`` and ``queued`` are
    called from event-loop callbacks and must not block; the other two are awaited."""

    def pulling(self, image: str, progress: PullProgress) -> None: ...

    async def pulled(self, image: str, seconds: float) -> None: ...

    def queued(self, position: int) -> None: ...

    async def started(self, waited: float) -> None: ...


class NoEvents:
    """Events nobody watches."""

    def pulling(self, image: str, progress: PullProgress) -> None:
        pass

    async def pulled(self, image: str, seconds: float) -> None:
        pass

    def queued(self, position: int) -> None:
        pass

    async def started(self, waited: float) -> None:
        pass


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a run happened: the engine's node, the process that ran it (a runner's host name, or the
    bot's own), and the runner's address as the bot reached it ("" when the bot ran it itself)."""

    node: str
    runner: str
    address: str = ""


@dataclass(frozen=True, slots=True)
class Finished:
    """A run that ended (well or not): its result, the image as shown, the limits that applied, and
    where it ran (shown to managers with ``!run -v``)."""

    image: str
    result: RunResult
    limits: Limits
    placement: Placement | None = None


class SandboxService(Protocol):
    """What ``!run`` (and, through :attr:`lab`, ``!docker``) needs from a sandbox, wherever it runs."""

    lab: LabService

    async def images(self) -> list[str]: ...

    async def execute(self, image: str, argv: list[str], member: str, events: RunEvents | None = None) -> Finished:
        """Check, admit, pull, queue and run. Raises a :class:`~bot.sandbox.errors.SandboxRefusal`."""
        ...

    def start(self) -> None: ...

    def start_sweeping(self) -> None:
        """Remove leftovers of earlier runs now and from time to time (a long-running bot calls it at start;
        others sweep once they run something)."""
        ...

    async def close(self) -> None: ...


def sandbox_from_settings(settings: SandboxSettings) -> SandboxService | None:
    """The runner services at ``STUDYBOT_SANDBOX_URL`` when it is set, else the in-process sandbox; None when
    the sandbox is off."""
    if not settings.enabled:
        return None
    # Imported here: the remote client pulls in aiohttp and the in-process one the Docker SDK; a process
    # needs only one of them, and commands that never touch the sandbox start faster without either.
    if settings.url:
        from bot.sandbox.client import RemoteSandbox

        return RemoteSandbox(settings)
    from bot.sandbox.service import Sandbox

    return Sandbox(settings)


def check_argv(argv: list[str]) -> None:
    """Raise :class:`BadCommand` for an argv the engine would choke on or that is absurdly long."""
    if not argv:
        raise BadCommand("empty")
    if len(argv) > MAX_ARGS or sum(len(arg.encode("utf-8", "surrogatepass")) + 1 for arg in argv) > MAX_ARGV_BYTES:
        raise BadCommand("too_long")
    if any("\x00" in arg for arg in argv):
        raise BadCommand("nul")
