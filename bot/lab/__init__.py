"""``!docker``: a personal Docker lab in chat. The command (:mod:`~bot.lab.command`: install, the handler, one
command at a time per member), how a message becomes a lab request (:mod:`~bot.lab.parsing`: words as the
shell splits them, fenced blocks as the Dockerfile and inline files), its replies (:mod:`~bot.lab.replies`)
and sentences (:mod:`~bot.lab.strings`), and the lab's own help (:mod:`~bot.lab.guide`).

May import the core, :mod:`bot.context`, :mod:`bot.i18n`, :mod:`bot.notice`, :mod:`bot.replies`,
:mod:`bot.textsafe`, and of :mod:`bot.sandbox` only the lab's port (:mod:`bot.sandbox.lab.port`), the refusal
family (:mod:`bot.sandbox.errors`) and, for ``!docker help <command>``, the CLI grammar's usage texts
(:mod:`bot.sandbox.lab.grammar`, imported when asked). The lab itself comes from ``core.open_sandbox()``:
the in-process sandbox's ``lab`` or the runners' (never the Docker SDK here). No other feature, no chat platform.
"""
