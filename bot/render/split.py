"""Cutting a reply into messages that respect a platform's length limit.

Cuts fall between lines; a code block that must be cut is closed before the cut and
reopened after it, so no message ever ends inside an open fence. That holds for
:class:`~bot.replies.Code` blocks and for fences written inside :class:`~bot.replies.Text`
(a fence left open at the end of a ``Text`` block is closed there).
"""

from __future__ import annotations

import re

from bot.replies import Block, Code, Text
from bot.textsafe import fence_safe

_FENCE = "```"
_FENCE_LINE = re.compile(r"^\s*(`{3,})(.*)$")


def _hard_wrap(line: str, limit: int) -> list[str]:
    return [line[i : i + limit] for i in range(0, len(line), limit)] or [""]


class _Packer:
    """Lines into chunks; knows whether a fence is open and closes/reopens it across a cut."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[str] = []
        self.current: list[str] = []
        self.size = 0
        self.opener: str | None = None  # the open fence's first line, e.g. "```sh"
        self.closer = _FENCE

    def _append(self, line: str) -> None:
        self.size += len(line) + (1 if self.current else 0)
        self.current.append(line)

    def flush(self) -> None:
        text = "\n".join(self.current).strip("\n")
        if text:
            self.chunks.append(text)
        self.current, self.size = [], 0

    def room(self) -> int:
        """The longest line that fits in a fresh chunk inside the open fence (or outside one)."""
        if self.opener is None:
            return self.limit
        return self.limit - len(self.opener) - len(self.closer) - 2

    def add(self, line: str) -> None:
        if self.opener is None:
            extra = len(line) + (1 if self.current else 0)
            if self.current and self.size + extra > self.limit:
                self.flush()
            self._append(line)
            return
        # Inside a fence: the line plus the closing fence must fit, or the fence is closed and reopened.
        if self.size + 1 + len(line) + 1 + len(self.closer) > self.limit:
            self._append(self.closer)
            self.flush()
            self._append(self.opener)
        self._append(line)

    def open_fence(self, opener: str, run: str, first: str = "") -> None:
        # Start the block in a new chunk if not even its first line fits here.
        need = len(opener) + len(first) + len(run) + 3
        if self.current and self.size + need > self.limit:
            self.flush()
        self.add(opener)
        self.opener, self.closer = opener, run

    def close_fence(self) -> None:
        closer = self.closer
        self.opener, self.closer = None, _FENCE
        self.add(closer)


def split_blocks(blocks: list[Block], limit: int) -> list[str]:
    """Render ``blocks`` as Markdown chunks of at most ``limit`` characters each."""
    if limit < 40:
        raise ValueError("limit too small to split safely")
    packer = _Packer(limit)
    for block in blocks:
        if isinstance(block, Text):
            for line in block.text.split("\n"):
                fence = _FENCE_LINE.match(line)
                # "```echo hi```" opens and closes on one line: it is not a fence boundary.
                if fence and _FENCE not in fence.group(2):
                    if packer.opener is None:
                        run = fence.group(1)
                        opener = (run + fence.group(2).strip())[: max(3, limit // 4)]
                        packer.open_fence(opener, run)
                    else:
                        packer.close_fence()
                    continue
                for piece in _hard_wrap(line, packer.room()):
                    packer.add(piece)
            if packer.opener is not None:
                packer.close_fence()
            packer.add("")
        elif isinstance(block, Code):
            opener = _FENCE + block.lang
            body = fence_safe(block.text).rstrip("\n").split("\n")
            packer.open_fence(opener, _FENCE, body[0] if body else "")
            for line in body:
                for piece in _hard_wrap(line, packer.room()):
                    packer.add(piece)
            packer.close_fence()
            packer.add("")
    packer.flush()
    return packer.chunks
