"""Every way a sandbox run can be refused or fail, as exceptions that travel.

The in-process sandbox raises them; the runner service sends them as ``{"error": {"code": …, …}}``
with an HTTP status (:data:`STATUS`); the bot's remote client raises the same exception again from
that JSON (:func:`from_wire`). ``bot.run.replies`` turns each class into one chat reply, so both
paths answer a member with the same words.
"""

from __future__ import annotations

from typing import Any, ClassVar


class SandboxRefusal(Exception):
    """Base class: a run that did not happen (or did not finish), for a reason a member can be told.

    Subclasses set ``code`` and keep their details as attributes named in ``fields``; those fields
    are all a peer needs to rebuild the exception and word the reply.
    """

    code: ClassVar[str] = "refused"
    status: ClassVar[int] = 400
    fields: ClassVar[tuple[str, ...]] = ()

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.describe()}
        body.update({name: getattr(self, name) for name in self.fields})
        return body

    def describe(self) -> str:
        """A short English sentence for logs and API users (chat replies come from bot.i18n)."""
        return self.__class__.__doc__.strip().split("\n")[0] if self.__class__.__doc__ else self.code


class BadImage(SandboxRefusal):
    """The image reference does not follow the image-name grammar."""

    code, status, fields = "bad_image", 400, ("image", "reason", "allowed")

    def __init__(self, image: str, reason: str, allowed: list[str]) -> None:
        super().__init__(reason)
        self.image, self.reason, self.allowed = image, reason, list(allowed)


class ImageNotAllowed(SandboxRefusal):
    """The image is not on the runner's allow-list."""

    code, status, fields = "image_not_allowed", 400, ("image", "allowed")

    def __init__(self, image: str, allowed: list[str]) -> None:
        super().__init__(image)
        self.image, self.allowed = image, list(allowed)


class UnknownDigest(SandboxRefusal):
    """The image digest is not on the engine, and only digests the allow-list names are pulled."""

    code, status, fields = "unknown_digest", 400, ("image", "allowed")

    def __init__(self, image: str, allowed: list[str]) -> None:
        super().__init__(image)
        self.image, self.allowed = image, list(allowed)


class BadCommand(SandboxRefusal):
    """The command (argv) is empty, too long, or holds a NUL character."""

    code, status, fields = "bad_command", 400, ("reason",)

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AlreadyRunning(SandboxRefusal):
    """The member has a job waiting or running."""

    code, status = "already_running", 409


class CoolingDown(SandboxRefusal):
    """The member ran something moments ago and must wait."""

    code, status, fields = "cooling_down", 429, ("seconds",)

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = float(seconds)


class QueueFull(SandboxRefusal):
    """Every sandbox is busy and the waiting queue is full."""

    code, status, fields = "queue_full", 429, ("retry_after", "waiting")

    def __init__(self, retry_after: float, waiting: int = 0) -> None:
        super().__init__(retry_after)
        self.retry_after = float(retry_after)
        self.waiting = int(waiting)


class PullFailed(SandboxRefusal):
    """The image could not be pulled; ``reason`` is the engine's own short message."""

    code, status, fields = "pull_failed", 502, ("image", "reason")

    def __init__(self, reason: str, image: str = "") -> None:
        super().__init__(reason)
        self.reason, self.image = reason, image


class PullTimedOut(PullFailed):
    """Pulling the image took longer than the pull time limit."""

    code, status, fields = "pull_timeout", 504, ("image", "reason", "seconds")

    def __init__(self, reason: str, image: str = "", seconds: float = 0.0) -> None:
        super().__init__(reason, image)
        self.seconds = float(seconds)


class EngineUnavailable(SandboxRefusal):
    """The Docker engine cannot be reached (not running, wrong DOCKER_HOST, restarted mid-call)."""

    code, status = "engine_unavailable", 503


class EngineLost(EngineUnavailable):
    """The Docker engine stopped answering while the run was under way."""

    code, status = "engine_lost", 503


class EngineError(SandboxRefusal):
    """The engine answered with an error we cannot turn into a user-facing outcome."""

    code, status, fields = "engine_error", 502, ("reason",)

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class RuntimeMissing(SandboxRefusal):
    """The configured container runtime is not installed on the engine."""

    code, status, fields = "runtime_missing", 503, ("runtime",)

    def __init__(self, runtime: str) -> None:
        super().__init__(runtime)
        self.runtime = runtime


class ShuttingDown(SandboxRefusal):
    """The sandbox is shutting down (a restart or an upgrade); try again in a moment."""

    code, status = "shutting_down", 503


# Raised only by the bot's remote client: the runner itself is the problem.


class RunnerUnavailable(SandboxRefusal):
    """The sandbox runner cannot be reached."""

    code = "runner_unavailable"


class RunnerLost(SandboxRefusal):
    """The connection to the sandbox runner broke during the run."""

    code = "runner_lost"
    address = ""  # the runner's address, when the bot knows it (shown to managers with `!run -v`)


class RunnerRefusedCredentials(SandboxRefusal):
    """The sandbox runner refused the bot's shared secret."""

    code = "unauthorized"


class RunnerBadAnswer(SandboxRefusal):
    """The sandbox runner answered with something the bot cannot read."""

    code, fields = "bad_answer", ("reason",)

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


WIRE_CLASSES: dict[str, type[SandboxRefusal]] = {
    cls.code: cls
    for cls in (
        BadImage, ImageNotAllowed, UnknownDigest, BadCommand, AlreadyRunning, CoolingDown, QueueFull,
        PullFailed, PullTimedOut,
        EngineUnavailable, EngineLost, EngineError, RuntimeMissing, ShuttingDown,
    )
}


def from_wire(body: dict[str, Any]) -> SandboxRefusal:
    """``{"code": …, <fields>}`` → the exception it describes. Raises RunnerBadAnswer when it is not one."""
    code = body.get("code")
    cls = WIRE_CLASSES.get(code) if isinstance(code, str) else None
    if cls is None:
        raise RunnerBadAnswer(f"unknown error code {str(code)[:40]!r}")
    try:
        return cls(**{name: body[name] for name in cls.fields})
    except (KeyError, TypeError, ValueError) as exc:
        raise RunnerBadAnswer(f"incomplete {code} error ({exc.__class__.__name__})") from None
