"""Cutting a reply into messages that respect a platform's length limit.

Cuts fall between lines; a code block that must be cut is closed before the cut and
reopened after it, so no message ever ends inside an open fence.
"""

from __future__ import annotations

from bot.replies import Block, Code, Text
from bot.textsafe import fence_safe

_FENCE = "```"


def _hard_wrap(line: str, limit: int) -> list[str]:
    return [line[i : i + limit] for i in range(0, len(line), limit)] or [""]


def split_blocks(blocks: list[Block], limit: int) -> list[str]:
    """Render ``blocks`` as Markdown chunks of at most ``limit`` characters each."""
    if limit < 40:
        raise ValueError("limit too small to split safely")
    chunks: list[str] = []
    current: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal current, size
        text = "\n".join(current).strip("\n")
        if text:
            chunks.append(text)
        current, size = [], 0

    def add(line: str) -> None:
        nonlocal size
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            flush()
            extra = len(line)
        current.append(line)
        size += extra

    for block in blocks:
        if isinstance(block, Text):
            for line in block.text.split("\n"):
                for piece in _hard_wrap(line, limit):
                    add(piece)
            add("")
        elif isinstance(block, Code):
            opener = _FENCE + block.lang
            body = fence_safe(block.text).rstrip("\n").split("\n")
            room = limit - len(opener) - len(_FENCE) - 2
            # Start the block in a new chunk if not even its first line fits here.
            first = body[0] if body else ""
            if current and size + len(opener) + len(first) + len(_FENCE) + 3 > limit:
                flush()
            add(opener)
            for line in body:
                for piece in _hard_wrap(line, room):
                    if size + len(piece) + len(_FENCE) + 2 > limit:
                        add(_FENCE)
                        flush()
                        add(opener)
                    add(piece)
            add(_FENCE)
            add("")
    flush()
    return chunks
