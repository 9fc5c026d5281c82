"""Docker's official reference (Debian's docker-doc) as a second answer source for !explain.

:mod:`bot.reference.pages` reads the pages into sections, :mod:`bot.reference.index` indexes them
in the state file and searches them. Only ``!explain`` uses it; it may import :mod:`bot.notes` (its text
tools) and :mod:`bot.storage`. Nothing is imported here: ``bot.storage.migrations`` imports
:mod:`bot.reference.schema`, and the index imports ``bot.storage``.
"""
