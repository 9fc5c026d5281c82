"""``!help [command]``: the command list, or one command in detail, in the UI language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.context import Invocation
from bot.core.commands import Command, CommandError, CommandSpec
from bot.help import strings as _strings  # noqa: F401  (registers the sentences)
from bot.i18n import t
from bot.replies import Reply, Text
from bot.textsafe import inline_code

if TYPE_CHECKING:
    from bot.core import Core

SPEC = CommandSpec(
    name="help",
    usage="help [command]",
    summary_key="cmd.help.summary",
    examples=("help", "help explain"),
    aliases=("commands", "도움말"),
    options=(("command", "opt.help.command"),),
)


def help_overview(core: Core, inv: Invocation) -> Reply:
    lines = [t(inv.lang, "help.intro"), ""]
    for command in core.commands.values():
        marker = " 🔒" if command.spec.managers_only else ""
        lines.append(f"`{core.usage_line(inv, command)}`{marker}\n"
                     f"  {t(inv.lang, command.spec.summary_key)}")
    return Reply(
        blocks=[Text("\n".join(lines))],
        title=t(inv.lang, "help.title"),
        footer=t(inv.lang, "help.footer", prefix=inv.prefix),
    )


def help_for(core: Core, inv: Invocation, command: Command) -> Reply:
    spec = command.spec
    lines = [t(inv.lang, spec.summary_key)]
    if spec.details_key:
        lines += ["", t(inv.lang, spec.details_key, prefix=inv.prefix)]
    lines += ["", f"**{t(inv.lang, 'help.usage')}:** `{core.usage_line(inv, command)}`"]
    if spec.examples:
        lines.append(f"**{t(inv.lang, 'help.examples')}:** " + ", ".join(f"`{inv.prefix}{e}`" for e in spec.examples))
    if spec.aliases:
        lines.append(f"**{t(inv.lang, 'help.aliases')}:** " + ", ".join(f"`{a}`" for a in spec.aliases))
    if spec.managers_only:
        lines.append(t(inv.lang, "help.managers_only"))
    return Reply(blocks=[Text("\n".join(lines))], title=f"{inv.prefix}{spec.name}")


async def install(core: Core) -> None:
    async def run_help(inv: Invocation, args: str) -> None:
        name = args.strip().lstrip(inv.prefix)
        if not name:
            await inv.responder.send(help_overview(core, inv))
            return
        command = core.find(name.split()[0])
        if command is None:
            raise CommandError(t(inv.lang, "help.unknown", name=inline_code(name, 32)), show_usage=True)
        await inv.responder.send(help_for(core, inv, command))

    core.add_command(Command(SPEC, run_help))
