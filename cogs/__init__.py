"""discord.py cogs: thin glue from hybrid commands (``!x`` and ``/x``) to the core."""
