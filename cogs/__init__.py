"""discord.py cogs: the slash commands (``/x``), thin glue to the core. Texts come from each command's
:class:`~bot.core.commands.CommandSpec`; ``!x`` messages go through the bot's ``on_message`` to the core."""
