"""What a core command is, and the errors a command may raise for the pipeline to turn into replies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.context import Invocation


class CommandError(Exception):
    """A problem the user can fix; the pipeline shows ``message`` and the command's usage."""

    def __init__(self, message: str, *, show_usage: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.show_usage = show_usage


class MissingArgument(CommandError):
    def __init__(self, argument: str) -> None:
        super().__init__(argument)
        self.argument = argument


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """How a command is named, described and limited.

    ``summary_key`` and ``details_key`` are :mod:`bot.i18n` keys, so help exists in every
    UI language; the summary is also the slash command's description, so it stays within Discord's 100
    characters. ``options`` names the slash form's typed options with the i18n key of each one's
    description. ``cooldown`` is (calls, seconds) per member.
    """

    name: str
    usage: str
    summary_key: str
    details_key: str | None = None
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()
    managers_only: bool = False
    cooldown: tuple[int, float] | None = None


Handler = Callable[[Invocation, str], Awaitable[None]]


@dataclass(slots=True)
class Command:
    spec: CommandSpec
    handler: Handler

    @property
    def name(self) -> str:
        return self.spec.name
