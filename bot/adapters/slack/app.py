"""The Slack app: an async Bolt app over Socket Mode that feeds the core.

- ``message`` events (channels the app is in, DMs): ``!explain …`` and friends, and non-command
  messages for the core's listeners. Bot messages, edits and other subtypes are ignored.
- ``app_mention`` events: ``@studybot explain run`` works like ``!explain run``.
- Slash commands (any configured ``/name``): acknowledged at once, then ``core.invoke(name, text)``.
- Button clicks (``block_actions``): acknowledged at once, then ``core.handle_action(action_id)``.

Stats are per workspace (``Place.scope`` = team id). ``run_slack`` checks the tokens, connects,
and registers ``core.channels["slack"]`` so scheduled quizzes can post into Slack channels.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.mrkdwn import from_slack
from bot.adapters.slack.people import Directory, parse_managers
from bot.adapters.slack.responders import SlackResponder
from bot.adapters.slack.tokens import check_tokens, open_socket_url, verify_bot_token
from bot.context import Invocation, Place
from bot.core import Core

log = logging.getLogger(__name__)

# Message subtypes that are still a member writing something new.
USER_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
ANY_COMMAND = re.compile(r"^/\S+$")
ANY_ACTION = re.compile(r".+")


class SlackAdapter:
    """The Bolt app and the glue between Slack payloads and core invocations."""

    def __init__(self, core: Core, client: AsyncWebClient, *, managers: frozenset[str] = frozenset()) -> None:
        self.core = core
        self.client = client
        self.directory = Directory(client, managers)
        self.app = AsyncApp(client=client, logger=logging.getLogger("bot.adapters.slack.bolt"))
        self.app.event("message")(self.on_message)
        self.app.event("app_mention")(self.on_mention)
        self.app.command(ANY_COMMAND)(self.on_command)
        self.app.action({"type": "block_actions", "action_id": ANY_ACTION})(self.on_action)
        self.app.error(self.on_error)

    # plain values for the core --------------------------------------------------------------------

    def responder(self, channel: str, **fields: Any) -> SlackResponder:
        return SlackResponder(self.client, channel, lang=self.core.settings.lang, **fields)

    async def invocation(
        self,
        context: AsyncBoltContext,
        *,
        user_id: str,
        channel_id: str,
        responder: SlackResponder,
        channel_name: str | None = None,
        channel_type: str | None = None,
    ) -> Invocation:
        settings = self.core.settings
        actor = await self.directory.actor(user_id)
        name = channel_name or await self.directory.channel_name(channel_id, channel_type)
        place = Place(
            platform="slack",
            channel_id=channel_id,
            channel_name=name,
            scope=context.team_id or context.enterprise_id or None,
        )
        return Invocation(actor=actor, place=place, responder=responder, lang=settings.lang, prefix=settings.prefix)

    async def open_channel(self, channel_id: str) -> SlackResponder:
        """``core.channels["slack"]``: post into a channel with nothing to reply to (scheduled quizzes)."""
        return self.responder(channel_id)

    def _mention(self, context: AsyncBoltContext) -> str | None:
        return f"<@{context.bot_user_id}>" if context.bot_user_id else None

    def _after_mention(self, text: str, mention: str) -> str:
        """``<@BOT> explain run`` → ``!explain run``; a bare mention asks for help."""
        rest = text.lstrip()[len(mention):].strip()
        prefix = self.core.settings.prefix
        if not rest:
            return f"{prefix}help"
        return rest if rest.startswith(prefix) else prefix + rest

    # Bolt listeners ---------------------------------------------------------------------------------

    async def on_message(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        if event.get("subtype") not in USER_SUBTYPES or event.get("bot_id") or not event.get("user"):
            return
        text = str(event.get("text") or "")
        channel_type = event.get("channel_type")
        mention = self._mention(context)
        if mention and text.lstrip().startswith(mention):
            if channel_type != "im":
                return  # the app_mention event for the same message answers it
            text = self._after_mention(text, mention)
        await self._handle_text(event, context, from_slack(text))

    async def on_mention(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        mention = self._mention(context)
        text = str(event.get("text") or "")
        if event.get("edited") or event.get("bot_id") or not mention or not text.lstrip().startswith(mention):
            return
        await self._handle_text(event, context, from_slack(self._after_mention(text, mention)))

    async def _handle_text(self, event: dict[str, Any], context: AsyncBoltContext, text: str) -> None:
        channel = str(event.get("channel") or "")
        user = str(event["user"])
        responder = self.responder(channel, user=user, thread_ts=event.get("thread_ts"))
        inv = await self.invocation(
            context, user_id=user, channel_id=channel, responder=responder, channel_type=event.get("channel_type")
        )
        await self.core.handle_message(inv, text)

    async def on_command(self, ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()  # within Slack's 3 s, before any work; the answer follows as messages
        name = str(command.get("command", "/")).lstrip("/")
        channel = str(command.get("channel_id") or "")
        user = str(command.get("user_id") or "")
        responder = self.responder(channel, user=user, response_url=command.get("response_url"))
        shown = command.get("channel_name")
        inv = await self.invocation(
            context, user_id=user, channel_id=channel, responder=responder,
            channel_name="DM" if shown == "directmessage" else shown,
        )
        await self.core.invoke(inv, name, from_slack(str(command.get("text") or "")).strip())

    async def on_action(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        await ack()
        container = body.get("container") or {}
        channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
        user = str((body.get("user") or {}).get("id") or "")
        message = body.get("message") or {}
        responder = self.responder(
            channel, user=user, thread_ts=message.get("thread_ts"), response_url=body.get("response_url")
        )
        inv = await self.invocation(context, user_id=user, channel_id=channel, responder=responder)
        await self.core.handle_action(inv, str(action.get("action_id") or ""))

    async def on_error(self, error: Exception, body: dict[str, Any]) -> None:
        kind = body.get("type") or (body.get("event") or {}).get("type") or body.get("command") or "?"
        log.error("Slack %s handler failed", kind, exc_info=error)


async def run_slack(core: Core, *, client: AsyncWebClient | None = None, ping_interval: float = 10.0) -> None:
    """Check the tokens, connect over Socket Mode and serve until cancelled.

    ``client`` replaces the Web API client (tests point one at a fake Slack); by default it is built
    from SLACK_BOT_TOKEN. Bad tokens raise :class:`bot.config.ConfigError` with a message naming
    the variable, before anything connects.
    """
    settings = core.settings
    tokens = check_tokens(settings)
    managers = parse_managers(settings.slack_managers)
    client = client or AsyncWebClient(token=tokens.bot)
    identity = await verify_bot_token(client)
    first_url = await open_socket_url(client, tokens.app)
    adapter = SlackAdapter(core, client, managers=managers)
    handler = AsyncSocketModeHandler(adapter.app, tokens.app, web_client=client, ping_interval=ping_interval)
    handler.client.wss_uri = first_url
    core.channels["slack"] = adapter.open_channel
    try:
        await handler.connect_async()
        log.info("Slack: connected to workspace %s (%s) as @%s", identity.team, identity.team_id, identity.user)
        await asyncio.Event().wait()  # serve until cancelled
    finally:
        if core.channels.get("slack") == adapter.open_channel:
            del core.channels["slack"]
        await handler.close_async()
