"""The one builder of test invocations (the root fixture ``make_inv`` returns it, and helpers that live
outside fixtures, such as the quiz harness and click helpers, call it directly) and the responder that
keeps what the core answered."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from bot.context import Actor, Invocation, Place, Responder
from bot.replies import Reply


@dataclass(slots=True)
class CollectingResponder:
    """Keeps every reply in memory; an edit (a progress notice, a closed quiz) replaces the reply it names."""

    sent: list[Reply] = field(default_factory=list)

    async def send(self, reply: Reply) -> int:
        self.sent.append(reply)
        return len(self.sent) - 1

    async def edit(self, ref: Any, reply: Reply) -> None:
        self.sent[int(ref)] = reply

    def typing(self) -> AbstractAsyncContextManager[None]:
        return nullcontext()


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
