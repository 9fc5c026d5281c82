"""The engine side of ``!run``: image references and the allow-list, policy, engine, pulls, queue, sweeper,
the output buffer, the runner service and its client (with the pool of runners), and the port both sides
share (:mod:`~bot.sandbox.port`).

Speaks in results, bytes and refusals, never in chat: no chat SDK, no adapter, no feature, no replies or
strings, and nothing that shapes output for a message (sanitising, excerpts, mentions: all
:mod:`bot.run`'s). Only this package imports the Docker SDK.
"""
