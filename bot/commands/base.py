"""The command kernel's old address, kept while ``bot.commands.run`` still imports it from here."""

from bot.core.commands import Command, CommandError, CommandSpec, Handler, MissingArgument

__all__ = ["Command", "CommandError", "CommandSpec", "Handler", "MissingArgument"]
