"""Per-member rate limits (a sliding window), shared by every adapter."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class Cooldowns:
    """``calls`` per ``per`` seconds for each (command, member) key."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[tuple[str, str], deque[float]] = {}

    def hit(self, command: str, member: str, calls: int, per: float) -> float:
        """Record a call; return 0 when allowed, else the seconds until the next call is."""
        now = self._clock()
        window = self._hits.setdefault((command, member), deque())
        while window and now - window[0] >= per:
            window.popleft()
        if len(window) >= calls:
            return per - (now - window[0])
        window.append(now)
        return 0.0
