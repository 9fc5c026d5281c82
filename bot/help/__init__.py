"""``!help``: the command list and one command in detail, read from the core's registered specs.

Owns its command (:mod:`~bot.help.command`) and its strings (:mod:`~bot.help.strings`); imports only the
core (:mod:`bot.core`), :mod:`bot.context`, :mod:`bot.i18n`, :mod:`bot.replies` and :mod:`bot.textsafe`.
"""
