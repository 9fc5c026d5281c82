"""``!docker help [command]``: the lab's own list of the commands it knows (in the member's language), and one
command's usage as the CLI's ``--help`` prints it, from the CLI grammar (:mod:`bot.sandbox.lab.grammar`)."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from bot.i18n import t
from bot.lab import strings as _strings  # noqa: F401  (registers the sentences)
from bot.replies import Code, Reply, Text, Tone
from bot.textsafe import fence_safe, inline_code

# What the lab knows, in the order the help lists it (each has a "lab.help.<name>" line).
COMMANDS = ("run", "ps", "logs", "exec", "stop", "start", "restart", "rm", "images", "rmi", "pull", "tag",
            "inspect", "build", "volume", "network")
# The CLI's other names for them, for the help of a command when the grammar cannot say.
_ALIASES = {("container", "ls"): "ps", ("container", "ps"): "ps", ("container", "list"): "ps",
            ("container", "rm"): "rm", ("image", "ls"): "images", ("image", "list"): "images",
            ("image", "rm"): "rmi", ("image", "build"): "build", ("image", "pull"): "pull",
            ("image", "tag"): "tag", ("container", "run"): "run", ("container", "logs"): "logs",
            ("container", "exec"): "exec", ("container", "stop"): "stop", ("container", "start"): "start",
            ("container", "restart"): "restart"}


def overview(lang: str, prefix: str) -> Reply:
    lines = [t(lang, "lab.help.intro", prefix=prefix), ""]
    lines += [f"`{name}` — {t(lang, f'lab.help.{name}')}" for name in COMMANDS]
    lines += ["", t(lang, "lab.help.lab_words")]
    return Reply(blocks=[Text("\n".join(lines))], title=t(lang, "lab.help.title"))


def command_help(lang: str, prefix: str, words: Sequence[str]) -> Reply:
    """The usage of ``docker <words>``: the grammar's text when it is there, else the lab's one line."""
    grammar = _grammar()
    if grammar is not None:
        try:
            parsed = grammar.parse([*words, "--help"])
        except grammar.CliError as exc:
            return Reply(blocks=[Code(fence_safe(exc.message))], tone=Tone.ERROR)
        return Reply(blocks=[Code(fence_safe(grammar.usage(parsed.command)))],
                     title="docker " + " ".join(parsed.command))
    name = _ALIASES.get(tuple(words[:2]), words[0])
    shown = inline_code(" ".join(words), 40)
    if name not in COMMANDS:
        return Reply.error(t(lang, "lab.help.unknown", name=shown, prefix=prefix))
    return Reply(blocks=[Text(f"`docker {shown}` — {t(lang, f'lab.help.{name}')}\n{t(lang, 'lab.help.no_usage')}")],
                 title=f"docker {name}")


def _grammar() -> ModuleType | None:
    """The CLI grammar, imported when help is asked (None where it is not installed yet)."""
    try:
        from bot.sandbox.lab import grammar
    except ImportError:
        return None
    return grammar
