"""A run's output in chat (:mod:`bot.run.output`): nothing a program prints can break out of the code
block, ping anyone, hide text, or smuggle control sequences into chat; long output is trimmed with the
whole of it attached."""

from __future__ import annotations

import pytest

from bot.render.split import split_blocks
from bot.replies import Code
from bot.run.output import CHUNK_BYTES, HEAD_CHARS, excerpt, for_chat, render, sanitize
from tests.sandbox.sbx import BOTH_PATHS, Bot


def test_sanitize_unit() -> None:
    raw = "\x1b[31mred\x1b[0m \x1b]0;title\x07ok\x00nul \xff\xfe bad".encode("latin-1")
    raw = raw.replace(b"\xff\xfe", b"\xff\xfe")  # invalid UTF-8 on purpose
    assert sanitize(raw) == "red ok␀nul \\xff\\xfe bad"
    assert sanitize("a\u202eb\u200bc\u3164d\u0085".encode()) == "a<U+202E>b<U+200B>c<U+3164>d<U+0085>"
    assert "@everyone" not in for_chat(sanitize(b"@everyone <@123> <!here>"))
    assert sanitize(b"line1\r\nline2\rline3\x07") == "line1\nline2\nline3␇"


def test_excerpt_keeps_whole_lines() -> None:
    shown = excerpt("\n".join(f"line {i}" for i in range(100)), max_chars=1800, max_lines=30)
    assert shown.trimmed and shown.shown_lines == 30
    one = excerpt("x" * 5000)
    assert one.trimmed and len(one.text) <= 1800


@pytest.mark.docker
@BOTH_PATHS
async def test_formatting_attacks_stay_inside_the_block(bot: Bot) -> None:
    script = (
        r"printf '```\n**bold** @everyone <@123> @here\n\033[31mred\033[0m\n"
        r"rtl:\342\200\256txt zw:\342\200\213x\nnul:\000:\377\376:end\n```'"
    )
    reply = await bot.result(f"alpine sh -c \"{script}\"")
    out = next(b.text for b in reply.blocks if isinstance(b, Code))
    assert "\x1b" not in out and "red" in out
    assert "@everyone" not in out and "@here" not in out and "<@123>" not in out
    assert "<U+202E>" in out and "<U+200B>x" in out
    assert "nul:␀:\\xff\\xfe:end" in out
    # Rendered, the output is one fenced block: every ``` the program printed is broken up.
    (chunk,) = split_blocks([b for b in reply.blocks if isinstance(b, Code)], 4000)
    assert chunk.startswith("```") and chunk.endswith("```")
    assert chunk.count("```") == 2


@pytest.mark.docker
@BOTH_PATHS
async def test_long_output_is_trimmed_with_the_full_text_attached(bot: Bot) -> None:
    reply = await bot.result("alpine seq 1 500")
    out = next(b.text for b in reply.blocks if isinstance(b, Code))
    assert out.split("\n") == [str(i) for i in range(1, 31)]
    assert "Showing the first 30 of 500 lines" in reply.plain_text()
    (attachment,) = reply.attachments
    assert attachment.data.decode().split() == [str(i) for i in range(1, 501)]
    assert "output truncated" not in reply.plain_text()  # trimmed for chat, not cut at the cap


@pytest.mark.parametrize(
    "data",
    [
        b"x" * (CHUNK_BYTES - 1) + b"\r\n" + b"y\n" * 10,  # CR LF across a chunk boundary
        b"x" * (CHUNK_BYTES - 3) + b"\x1b[31mred\x1b[0m" + b"z" * 100,  # an escape sequence across it
        ("ü" * (CHUNK_BYTES // 2 + 1)).encode() + b"\n\n\n",  # a character across it, trailing newlines
        ("😀" * 70_000).encode()[:-1],  # wide characters, cut in the last one
        b"line\n" * 100_000,
        b"",
    ],
    ids=["crlf", "escape", "utf8", "wide", "lines", "empty"],
)
def test_render_in_steps_equals_sanitize(data: bytes) -> None:
    rendered = render(data)
    whole = sanitize(data)
    assert not rendered.binary
    assert rendered.file.decode() == whole
    assert whole.startswith(rendered.head)
    assert rendered.lines == (whole.rstrip("\n").count("\n") + 1 if whole.rstrip("\n") else 0)


def test_binary_output_is_kept_as_bytes() -> None:
    data = bytes(range(256)) * 4096
    rendered = render(data)
    assert rendered.binary and rendered.file is data
    assert rendered.head == sanitize(data[: HEAD_CHARS // 2])
    assert not render(b"colour \x1b[1mbold\x1b[0m\ttab\n" * 1000).binary
