"""Who asked, where, and how to answer: the plain values every command receives."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from bot.replies import Reply


@dataclass(frozen=True, slots=True)
class Actor:
    """The member who sent the command.

    ``is_manager`` is true for members who may manage the server (Discord's
    *Manage Server* permission, a Slack workspace admin, the console user).
    """

    id: str
    name: str
    is_manager: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    """Where the command was sent. ``scope`` groups stats and leaderboards: a guild
    id on Discord, a team id on Slack, ``console`` locally; ``None`` in DMs."""

    platform: str  # "discord" | "slack" | "console"
    channel_id: str
    channel_name: str = ""
    scope: str | None = None


def scope_key(place: Place) -> str:
    """Where per-server state is kept (quiz stats, !explain's picks and gaps): the server (guild / team),
    or the channel itself in DMs."""
    if place.scope:
        return f"{place.platform}:{place.scope}"
    return f"{place.platform}:dm:{place.channel_id}"


class Responder(Protocol):
    """How the core answers. Each adapter implements it over its own API."""

    async def send(self, reply: Reply) -> Any:
        """Send a reply; return a reference usable with :meth:`edit`."""

    async def edit(self, ref: Any, reply: Reply) -> None:
        """Replace a message sent earlier (progress messages, closed quiz buttons)."""

    def typing(self) -> AbstractAsyncContextManager[None]:
        """Show that the bot is working (typing indicator, reaction) while the block runs."""


@dataclass(slots=True)
class Invocation:
    """One command call: who, where, and the responder to answer through."""

    actor: Actor
    place: Place
    responder: Responder
    lang: str = "en"
    prefix: str = "!"
