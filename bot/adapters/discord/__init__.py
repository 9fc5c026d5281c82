"""The Discord adapter: a discord.py ``commands.Bot`` whose cogs (in ``cogs/``) call the core."""
