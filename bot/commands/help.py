"""``!help``'s old address, kept while the sandbox tests still install it from here."""

from bot.help.command import install

__all__ = ["install"]
