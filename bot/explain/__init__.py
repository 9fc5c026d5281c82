"""``!explain`` and ``!reindex``: the command (:mod:`~bot.explain.command`), its replies
(:mod:`~bot.explain.replies`) and strings (:mod:`~bot.explain.strings`), and what it answers with
beyond one search (:mod:`~bot.explain.answer`): the group's learned picks, the study notes, Docker's
reference as a second source, one-click suggestions when unsure, and the questions the notes do not
answer yet (gaps, :mod:`~bot.explain.store`); how a question is built, from its text alone (two questions in
one, what-is questions: :mod:`~bot.explain.parts`).

May import the core, :mod:`bot.context`, :mod:`bot.notes`, :mod:`bot.reference`, :mod:`bot.storage`,
:mod:`bot.i18n`, :mod:`bot.replies` and :mod:`bot.textsafe`; no other feature and no chat platform. The
notes and the reference stay packages of their own beside it: the core owns the notes index and the quiz
builds questions from it too.
"""
