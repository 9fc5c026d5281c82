"""Splitting and escaping shared by every renderer."""

from __future__ import annotations

import pytest

from bot.render.split import split_blocks
from bot.replies import Code, Text
from bot.textsafe import fence_safe, inline_code, neutralize_mentions


@pytest.mark.parametrize("limit", [60, 200, 2000, 4096])
def test_chunks_respect_the_limit_and_never_leave_a_fence_open(limit: int) -> None:
    blocks = [
        Text("intro line\n" * 30),
        Code("\n".join(f"line {i} " + "x" * (i % 90) for i in range(300)), "sh"),
        Text("outro " * 400),
    ]
    chunks = split_blocks(blocks, limit)
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk) <= limit
        assert chunk.count("```") % 2 == 0
    joined = "".join(chunks)
    assert "line 299" in joined and "outro" in joined


def test_code_cannot_close_its_fence() -> None:
    chunks = split_blocks([Code("```\n@everyone\n```")], 2000)
    assert chunks[0].count("```") == 2


def test_invisible_characters_are_shown_in_code() -> None:
    assert fence_safe("a\u202eb\u200bc") == "a<U+202E>b<U+200B>c"


def test_mentions_are_neutralised() -> None:
    for text in ("@everyone", "@here", "<@123>", "<@&456>", "<!channel>", "<!here>"):
        out = neutralize_mentions(text)
        assert out != text
        assert "@everyone" not in out and "<@1" not in out and "<!" not in out


def test_inline_code_is_one_safe_line() -> None:
    assert inline_code("a`b\nc @here", 80) == "aˋb c @\u200bhere"
    assert len(inline_code("x" * 500, 40)) == 40


def test_neutralised_mentions_stay_readable_in_code() -> None:
    shown = fence_safe(neutralize_mentions("<@123> <!here> @everyone a\u200bb"))
    assert "<U+200B>@" not in shown and "<<U+200B>" not in shown
    assert shown.replace("\u200b", "") == "<@123> <!here> @everyone a<U+200B>b"
