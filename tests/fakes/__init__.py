"""Fake chat platforms on 127.0.0.1 for tests that drive the real discord.py and Slack Bolt clients."""
