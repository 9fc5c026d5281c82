"""``!help``: every command listed with its usage, one command's details, an unknown name, and
the Korean placeholders and labels."""

from __future__ import annotations

from collections.abc import Callable

from bot.context import Invocation
from bot.core import Core
from tests.invocations import CollectingResponder


def texts(inv: Invocation) -> list[str]:
    assert isinstance(inv.responder, CollectingResponder)
    return [r.plain_text() for r in inv.responder.sent]


async def test_korean_help_has_korean_placeholders_and_labels(core: Core, make_inv: Callable[..., Invocation]) -> None:
    inv = make_inv(lang="ko")
    await core.handle_message(inv, "!help explain")
    [reply] = texts(inv)
    assert "!explain [-v] <주제>" in reply and "<topic>" not in reply
    assert "다른 이름:" in reply and "Aliases" not in reply
    inv = make_inv(lang="ko")
    await core.handle_message(inv, "!help")
    assert "!run <이미지> <명령…>" in texts(inv)[0] and "[@멤버]" in texts(inv)[0]


async def test_help_lists_every_command(core: Core, make_inv: Callable[..., Invocation]) -> None:
    inv = make_inv()
    await core.handle_message(inv, "!help")
    [reply] = texts(inv)
    for command in core.commands.values():
        assert f"!{command.spec.usage}" in reply
    inv = make_inv()
    await core.handle_message(inv, "!help explain")
    assert "!explain [-v] <topic>" in texts(inv)[0]
    inv = make_inv()
    await core.handle_message(inv, "!help nosuch")
    assert "There is no command `nosuch`" in texts(inv)[0]
