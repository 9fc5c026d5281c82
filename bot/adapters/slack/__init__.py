"""The Slack adapter: an async Bolt app over Socket Mode that hands messages, slash commands and
button clicks to the core and renders its replies as Block Kit (``run_slack`` in :mod:`.app`)."""
