"""``!run``: the command (:mod:`~bot.run.command`: parsing, checks, install), its replies
(:mod:`~bot.run.replies`), the output made safe and short for chat (:mod:`~bot.run.output`), strings
(:mod:`~bot.run.strings`) and the progress notice edited in place (:mod:`~bot.run.notice`).

May import the core, :mod:`bot.context`, :mod:`bot.i18n`, :mod:`bot.replies`, :mod:`bot.textsafe`,
:mod:`bot.config`, and of :mod:`bot.sandbox` (the engine side) only: its port (:mod:`~bot.sandbox.port`:
``SandboxService``, ``Placement``), the refusal family (:mod:`~bot.sandbox.errors`), what a run gives
back (:mod:`~bot.sandbox.results`, and :class:`~bot.sandbox.policy.Limits`, the limits that applied), and
the two constructors, imported at the first ``!run``: :class:`~bot.sandbox.service.Sandbox` (in-process)
and :class:`~bot.sandbox.client.RemoteSandbox` (runners). No other feature and no chat platform.
"""
