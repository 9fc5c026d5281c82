"""Container output kept up to a byte cap while it streams (what the engine side hands back as bytes;
:mod:`bot.run.output` makes it safe and short enough for chat).

The cap is what keeps the bot's memory flat when a run floods its output: bytes past it are
never stored (the runner stops the container once the cap is reached).
"""

from __future__ import annotations

import io


class OutputBuffer:
    """Bytes from a run, kept up to ``cap``; :attr:`truncated` tells whether more came."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._data = io.BytesIO()  # getvalue() at the end hands over the buffer: no copy of the megabyte
        self._size = 0
        self.truncated = False

    def feed(self, chunk: bytes) -> bool:
        """Keep what fits; return True once the cap has been reached (the run should stop)."""
        room = self.cap - self._size
        if len(chunk) > room:
            chunk = chunk[:room]
            self.truncated = True
        self._data.write(chunk)
        self._size += len(chunk)
        return self.truncated

    @property
    def data(self) -> bytes:
        return self._data.getvalue()

    def __len__(self) -> int:
        return self._size
