"""Plain results of the sandbox (a finished run, pull progress), kept apart from the Docker SDK so
that replies can be built, and the bot can start, without importing it."""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class PullProgress:
    """What a pull has done so far, summed over its layers."""

    done_bytes: int = 0
    total_bytes: int = 0
    layers_done: int = 0
    layers: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started



@dataclass(frozen=True, slots=True)
class RunResult:
    exit_code: int
    duration: float
    runtime: str
    output: bytes
    timed_out: bool = False
    oom_killed: bool = False
    truncated: bool = False

    @property
    def signal_name(self) -> str | None:
        """``SIGKILL`` for exit code 137 and so on (shell convention: 128 + signal number)."""
        if 128 < self.exit_code < 128 + 65:
            try:
                return signal.Signals(self.exit_code - 128).name
            except ValueError:
                return None
        return None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not (self.timed_out or self.oom_killed or self.truncated)
