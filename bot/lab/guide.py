"""``!docker help [command]``: the lab's own list of the commands it knows (in the member's language), and one
command's usage as the CLI's ``--help`` prints it, from the CLI grammar (:mod:`bot.sandbox.lab.grammar`)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import t
from bot.lab import strings as _strings  # noqa: F401  (registers the sentences)
from bot.replies import Code, Reply, Text, Tone
from bot.textsafe import fence_safe

# What the lab knows, in the order the help lists it (each has a "lab.help.<name>" line).
COMMANDS = ("run", "ps", "logs", "exec", "stop", "start", "restart", "rm", "images", "rmi", "pull", "tag",
            "inspect", "build", "volume", "network", "compose")


def overview(lang: str, prefix: str) -> Reply:
    lines = [t(lang, "lab.help.intro", prefix=prefix), ""]
    lines += [f"`{name}` — {t(lang, f'lab.help.{name}')}" for name in COMMANDS]
    lines += ["", t(lang, "lab.help.lab_words")]
    return Reply(blocks=[Text("\n".join(lines))], title=t(lang, "lab.help.title"))


def command_help(words: Sequence[str]) -> Reply:
    """``docker help <words>``: the CLI grammar's usage text, or the CLI's own error for a topic it lacks."""
    from bot.sandbox.lab import grammar  # only for help: parsing the CLI is the lab's business

    try:
        parsed = grammar.parse(["help", *words])
    except grammar.CliError as exc:
        return Reply(blocks=[Code(fence_safe(exc.message))], tone=Tone.ERROR)
    return Reply(blocks=[Code(fence_safe(grammar.usage(parsed.command).rstrip("\n")))],
                 title=" ".join(("docker", *parsed.command)))
