"""The engine side of ``!run``: policy, engine, pulls, queue, sweeper, the runner service and its client.

Speaks in results and refusals, never in chat: no chat SDK, no adapter, no feature, no replies or strings
(those are :mod:`bot.run`'s). Only this package imports the Docker SDK.
"""
