"""``!quiz``, ``!stats``, ``!leaderboard`` and ``!review``: the commands (specs and install in
:mod:`~bot.quiz.command`, what they do in :mod:`~bot.quiz.handlers`), their replies
(:mod:`~bot.quiz.replies`), strings (:mod:`~bot.quiz.strings`) and button ids (:mod:`~bot.quiz.actions`),
and the domain behind them: question banks and generated questions, rounds, matching and scoring,
schedules, stats and spaced-repetition review, kept in the state file.

May import the core, :mod:`bot.context`, :mod:`bot.storage`, :mod:`bot.notes` (questions built from the
notes), :mod:`bot.i18n`, :mod:`bot.replies`, :mod:`bot.textsafe`, :mod:`bot.yamlfile` and the lab's port
(:mod:`bot.sandbox.lab.port`, the types of a member's lab that lab exercises are checked against); no other feature
and no chat platform. It reads its settings from ``core.settings.quiz`` and imports no :mod:`bot.config`.
"""
