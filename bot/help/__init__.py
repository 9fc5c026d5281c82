"""``!help``: the command list and one command in detail, read from the core's registered specs.

Owns its command and its strings; imports only the core (:mod:`bot.core`), :mod:`bot.i18n`,
:mod:`bot.replies` and :mod:`bot.textsafe`.
"""
