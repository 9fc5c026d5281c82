"""Adapters: the only code that talks to a chat platform (Discord, Slack) or the terminal."""
