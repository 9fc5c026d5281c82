"""Who is talking and where: Slack members (name, manager or not) and channel names, cached.

A manager is a workspace admin or owner (``users.info``) or a member listed in
``STUDYBOT_SLACK_MANAGERS``. Lookups are cached for a few minutes so a busy channel does not
hit Slack's rate limits; a failed lookup degrades to "not a manager, named by id".
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import ConfigError
from bot.context import Actor

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
FAILED_CACHE_SECONDS = 30.0
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def parse_managers(value: str) -> frozenset[str]:
    """``"U01ABC, U02DEF"`` → the set of ids; a malformed id stops start-up with a clear message."""
    ids = [part.strip() for part in value.split(",") if part.strip()]
    bad = [i for i in ids if not _USER_ID.match(i)]
    if bad:
        raise ConfigError(
            "STUDYBOT_SLACK_MANAGERS: expected Slack user ids like U01ABCDEF, separated by commas "
            f"(got {', '.join(repr(b) for b in bad[:3])})"
        )
    return frozenset(ids)


@dataclass
class _Cached:
    value: object
    until: float


@dataclass
class Directory:
    """Cached ``users.info`` and ``conversations.info`` lookups for one workspace client."""

    client: AsyncWebClient
    managers: frozenset[str] = frozenset()
    _users: dict[str, _Cached] = field(default_factory=dict)
    _channels: dict[str, _Cached] = field(default_factory=dict)

    async def actor(self, user_id: str) -> Actor:
        cached = self._users.get(user_id)
        if cached and cached.until > time.monotonic():
            assert isinstance(cached.value, Actor)
            return cached.value
        ttl = CACHE_SECONDS
        try:
            user = (await self.client.users_info(user=user_id))["user"]
            profile = user.get("profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
            admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
            actor = Actor(id=user_id, name=str(name or user_id), is_manager=admin or user_id in self.managers)
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s (needs the users:read scope)", user_id, exc.response.get("error"))
            actor = Actor(id=user_id, name=user_id, is_manager=user_id in self.managers)
            ttl = FAILED_CACHE_SECONDS
        self._users[user_id] = _Cached(actor, time.monotonic() + ttl)
        return actor

    async def channel_name(self, channel_id: str, channel_type: str | None = None) -> str:
        """``general`` for a channel, ``DM`` for a direct message, the id when Slack will not say."""
        if channel_type == "im" or channel_id.startswith("D"):
            return "DM"
        cached = self._channels.get(channel_id)
        if cached and cached.until > time.monotonic():
            return str(cached.value)
        name, ttl = channel_id, CACHE_SECONDS
        try:
            channel = (await self.client.conversations_info(channel=channel_id))["channel"]
            name = "DM" if channel.get("is_im") else str(channel.get("name") or channel_id)
        except SlackApiError as exc:
            log.debug("conversations.info failed for %s: %s", channel_id, exc.response.get("error"))
            ttl = FAILED_CACHE_SECONDS
        self._channels[channel_id] = _Cached(name, time.monotonic() + ttl)
        return name
