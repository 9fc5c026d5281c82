"""What the fake Discord records: messages (the bot's and the test users'), interaction callbacks,
reactions, typing and requests it did not understand."""

from __future__ import annotations

import copy
import mimetypes
from dataclasses import dataclass, field
from typing import Any

from .discord_models import Json, iso_now

EPHEMERAL = 64
LOADING = 128  # "Bot is thinking..." (a deferred interaction response)


@dataclass
class StoredAttachment:
    id: int
    filename: str
    data: bytes
    url: str

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": mimetypes.guess_type(self.filename)[0] or "application/octet-stream",
        }


@dataclass
class SentMessage:
    """One message as Discord would hold it. Edits are applied in place; ``edit_history`` keeps the
    earlier versions (oldest first) as ``{"content", "embeds", "components", "attachments"}`` dicts."""

    id: int
    channel_id: int
    author_id: int
    guild_id: int | None = None
    content: str = ""
    embeds: list[Json] = field(default_factory=list)
    components: list[Json] = field(default_factory=list)
    stored_attachments: list[StoredAttachment] = field(default_factory=list)
    allowed_mentions: Json | None = None
    message_reference: Json | None = None
    flags: int = 0
    interaction_token: str | None = None
    interaction_id: int | None = None
    tts: bool = False
    deleted: bool = False
    reactions: list[str] = field(default_factory=list)
    edit_history: list[Json] = field(default_factory=list)
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    #: ``time.perf_counter()`` when the fake sent a test user's message to the bot as MESSAGE_CREATE
    dispatched_at: float | None = None
    #: ``time.perf_counter()`` when the bot first answered this message (a message quoting it, or a reaction)
    replied_at: float | None = None
    #: how many times the bot answered it so far
    replies: int = 0

    @property
    def attachments(self) -> dict[str, bytes]:
        return {a.filename: a.data for a in self.stored_attachments}

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True while this is only a deferred "thinking" placeholder."""
        return bool(self.flags & LOADING)

    @property
    def text(self) -> str:
        """Content plus embed titles, descriptions and field text: what a reader sees, for assertions."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            for f in embed.get("fields", []):
                parts += [f.get("name") or "", f.get("value") or ""]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)

    def buttons(self) -> list[Json]:
        """Every interactive component (buttons, selects) anywhere in the component tree."""
        return [c for c in walk_components(self.components) if "custom_id" in c or c.get("type") == 2]

    def snapshot(self) -> Json:
        return {
            "content": self.content,
            "embeds": copy.deepcopy(self.embeds),
            "components": copy.deepcopy(self.components),
            "attachments": [a.filename for a in self.stored_attachments],
        }


@dataclass
class InteractionRecord:
    """An interaction the fake dispatched; callbacks the bot made for it are appended to ``callbacks``."""

    id: int
    token: str
    type: int
    channel_id: int
    guild_id: int | None
    user_id: int
    payload: Json
    callbacks: list[Json] = field(default_factory=list)
    #: the message ``@original`` refers to (the response, or the clicked message for types 6/7)
    original_message_id: int | None = None

    @property
    def responded(self) -> bool:
        return bool(self.callbacks)

    def modal(self) -> Json | None:
        for cb in self.callbacks:
            if cb.get("type") == 9:
                return cb.get("data") or {}
        return None


@dataclass
class Reaction:
    channel_id: int
    message_id: int
    emoji: str
    user_id: int
    removed: bool = False


@dataclass
class RecordedRequest:
    method: str
    path: str
    body: Any = None
    status: int = 200


def walk_components(components: list[Json]) -> list[Json]:
    """Flatten action rows, sections (accessory), containers and labels into a list of leaf components."""
    out: list[Json] = []
    for c in components:
        out.append(c)
        out += walk_components(c.get("components", []))
        for key in ("accessory", "component"):
            if isinstance(c.get(key), dict):
                out += walk_components([c[key]])
    return out
