"""``!run``: the command (:mod:`~bot.run.command`: parsing, checks, install), its replies
(:mod:`~bot.run.replies`), strings (:mod:`~bot.run.strings`) and the progress notice edited in place
(:mod:`~bot.run.notice`).

May import the core, :mod:`bot.context`, :mod:`bot.i18n`, :mod:`bot.replies`, :mod:`bot.textsafe`,
:mod:`bot.config` and :mod:`bot.sandbox` (the engine side, through its port); no other feature and no chat
platform.
"""
