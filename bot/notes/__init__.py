"""The notes: Markdown parsing, the FTS5 index in the state file, and search."""


class NotesError(Exception):
    """The study notes cannot be read (missing folder, no ``*.md`` files, unreadable file).

    The message names the path and is meant for the person starting the bot.
    """
