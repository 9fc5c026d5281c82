"""The one builder of test invocations: the root fixture ``make_inv`` returns it, and helpers that live
outside fixtures (the quiz harness, click helpers) call it directly."""

from __future__ import annotations

from bot.context import Actor, CollectingResponder, Invocation, Place, Responder


def invocation(
    user: str = "alice", *, user_id: str | None = None, manager: bool = False, platform: str = "console",
    channel: str = "general", lang: str = "en", responder: Responder | None = None, scope: str | None = "guild-1",
) -> Invocation:
    """A command call by member ``user`` (id ``u-<user>`` unless ``user_id`` is given) in ``channel``."""
    return Invocation(
        actor=Actor(id=user_id or f"u-{user}", name=user, is_manager=manager),
        place=Place(platform=platform, channel_id=channel, channel_name=channel, scope=scope),
        responder=responder if responder is not None else CollectingResponder(),
        lang=lang,
    )
