"""The one command pipeline: parsing, unknown commands, usage errors, permissions, cooldowns, crashes."""

from __future__ import annotations

from collections.abc import Callable

from bot.context import Invocation
from bot.core import Core
from bot.core.commands import Command, CommandError, CommandSpec, MissingArgument
from bot.replies import Reply, Tone
from tests.invocations import CollectingResponder


def texts(inv: Invocation) -> list[str]:
    assert isinstance(inv.responder, CollectingResponder)
    return [r.plain_text() for r in inv.responder.sent]


def test_parse_splits_name_and_raw_arguments(core: Core) -> None:
    parsed = core.parse("!explain -v run")
    assert parsed is not None and (parsed.name, parsed.args) == ("explain", "-v run")
    assert core.parse("hello !explain") is None
    assert core.parse("! explain") is None
    block = core.parse("!run alpine\n```sh\necho hi\n```")
    assert block is not None and block.name == "run" and block.args.startswith("alpine\n```sh")


async def test_unknown_command_suggests_the_closest(core: Core, make_inv: Callable[..., Invocation]) -> None:
    inv = make_inv()
    assert await core.handle_message(inv, "!explian docker")
    [reply] = texts(inv)
    assert "Unknown command `!explian`" in reply and "Did you mean `!explain`?" in reply


async def test_unknown_command_name_cannot_break_formatting(core: Core, make_inv: Callable[..., Invocation]) -> None:
    inv = make_inv()
    await core.handle_message(inv, "!`@everyone`")
    [reply] = texts(inv)
    assert "@everyone" not in reply and "`@" not in reply.replace("`@\u200b", "")


async def test_korean_ui_language(core: Core, make_inv: Callable[..., Invocation]) -> None:
    inv = make_inv(lang="ko")
    await core.handle_message(inv, "!hlep")
    [reply] = texts(inv)
    assert "알 수 없는 명령어" in reply and "!help" in reply


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


async def test_errors_become_clear_replies(core: Core, make_inv: Callable[..., Invocation]) -> None:
    async def needs_arg(inv: Invocation, args: str) -> None:
        if not args:
            raise MissingArgument("name")
        if args == "bad":
            raise CommandError("That name is not valid.")
        raise RuntimeError("boom")

    core.add_command(Command(CommandSpec("greet", "greet <name>", "cmd.help.summary"), needs_arg))
    inv = make_inv()
    await core.invoke(inv, "greet", "")
    await core.invoke(inv, "greet", "bad")
    await core.invoke(inv, "greet", "crash")
    missing, bad, crash = texts(inv)
    assert "Missing `name`. Usage: `!greet <name>`" in missing
    assert "That name is not valid. Usage: `!greet <name>`" in bad
    assert "went wrong" in crash and "boom" not in crash and "Traceback" not in crash
    assert all(r.tone is Tone.ERROR for r in inv.responder.sent)  # type: ignore[attr-defined]


async def test_managers_only_and_cooldown(core: Core, make_inv: Callable[..., Invocation]) -> None:
    calls: list[str] = []

    async def handler(inv: Invocation, args: str) -> None:
        calls.append(args)
        await inv.responder.send(Reply.text("done"))

    spec = CommandSpec("admin", "admin", "cmd.help.summary", managers_only=True, cooldown=(2, 60.0))
    core.add_command(Command(spec, handler))
    member = make_inv("bob")
    await core.invoke(member, "admin", "x")
    assert calls == [] and "Only members who can manage the server" in texts(member)[0]
    boss = make_inv("boss", manager=True)
    for _ in range(3):
        await core.invoke(boss, "admin", "y")
    assert calls == ["y", "y"]
    assert "try again in" in texts(boss)[-1]


async def test_overlong_message_is_refused(core: Core, make_inv: Callable[..., Invocation]) -> None:
    inv = make_inv()
    await core.invoke(inv, "help", "x" * 5000)
    assert "too long (5000 characters" in texts(inv)[0]
