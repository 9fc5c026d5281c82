"""Slash commands read their name, description and option texts from the core's :class:`CommandSpec`, so
``/help``, ``!help`` and Slack describe a command in the same words, in English and Korean.

Each text is a :class:`~discord.app_commands.locale_str` carrying its :mod:`bot.i18n` key; discord.py asks
the :class:`SpecTranslator` for every string when it syncs, and members whose Discord is set to Korean see
the ``ko`` text.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.core.commands import CommandSpec
from bot.i18n import catalogue, t

DESCRIPTION_LIMIT = 100  # Discord's limit for command and option descriptions


def _text(key: str, lang: str = "en") -> str:
    return t(lang, key)[:DESCRIPTION_LIMIT]


def _locale_str(key: str) -> app_commands.locale_str:
    return app_commands.locale_str(_text(key), key=key)


def command_texts(spec: CommandSpec) -> dict[str, Any]:
    """``name`` and ``description`` for :func:`app_commands.command`."""
    return {"name": spec.name, "description": _locale_str(spec.summary_key)}


def option_texts(spec: CommandSpec) -> dict[str, app_commands.locale_str]:
    """The option descriptions for :func:`app_commands.describe`."""
    return {name: _locale_str(key) for name, key in spec.options}


class SpecTranslator(app_commands.Translator):
    """Korean descriptions from the i18n catalogue; names stay English (``/explain`` is what the notes and
    the help text say)."""

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        key = string.extras.get("key")
        if locale is not discord.Locale.korean or key not in catalogue():
            return None
        return _text(key, "ko")
