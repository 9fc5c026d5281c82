"""``!run`` until it moves to ``bot/run/``, and the old addresses it and the sandbox tests still import:
the command kernel (``base.py``, now :mod:`bot.core.commands`) and ``!help`` (``help.py``, now
:mod:`bot.help.command`)."""
