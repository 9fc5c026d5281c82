"""``!run``: the command (:mod:`~bot.run.command`: parsing, checks, install), its replies
(:mod:`~bot.run.replies`), the output made safe and short for chat (:mod:`~bot.run.output`), strings
(:mod:`~bot.run.strings`); its progress notices are :class:`bot.notice.Notice`s, edited in place.

May import the core, :mod:`bot.context`, :mod:`bot.i18n`, :mod:`bot.notice`, :mod:`bot.replies`,
:mod:`bot.textsafe`, :mod:`bot.config`, and of :mod:`bot.sandbox` (the engine side) only: its port
(:mod:`~bot.sandbox.port`: ``SandboxService``, ``Placement``), the refusal family (:mod:`~bot.sandbox.errors`)
and what a run gives back (:mod:`~bot.sandbox.results`, and :class:`~bot.sandbox.policy.Limits`, the limits
that applied). The sandbox itself comes from ``core.open_sandbox()`` at the first ``!run`` (or at install in
a running bot). No other feature and no chat platform.
"""
