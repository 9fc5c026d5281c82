"""The study notes: Markdown parsing, the FTS5 index in the state file, and search.

The core opens the index (``core.notes``); ``!explain`` answers from it and the quiz builds questions from
it. May import :mod:`bot.storage`, :mod:`bot.textsafe` and :mod:`bot.yamlfile`; no feature, no chat.
"""


class NotesError(Exception):
    """The study notes cannot be read (missing folder, no ``*.md`` files, unreadable file).

    The message names the path and is meant for the person starting the bot.
    """
