"""The Slack app: an async Bolt app over Socket Mode that feeds the core.

- ``message`` events (channels the app is in, DMs): ``!explain …`` and friends, and non-command
  messages for the core's listeners. Bot messages, edits and other subtypes are ignored.
- ``app_mention`` events: ``@studybot explain run`` works like ``!explain run``.
- Slash commands (any configured ``/name``): acknowledged at once, then ``core.invoke(name, text)``.
- Button clicks (``block_actions``): acknowledged at once, then ``core.handle_action(action_id)``.
- Buttons that ask for text (``ask:`` + action): a modal opens; its submission (``view_submission``)
  goes to ``core.handle_action(action, text)`` (see :mod:`bot.adapters.slack.modals`).

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
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.modals import (
    ASK,
    OpenAsks,
    Origin,
    answer_view,
    asked_action,
    empty_answer_errors,
    submitted_text,
)
from bot.adapters.slack.mrkdwn import from_slack
from bot.adapters.slack.people import Directory, parse_managers
from bot.adapters.slack.responders import SlackResponder
from bot.adapters.slack.tokens import check_tokens, open_socket_url, verify_bot_token
from bot.context import Invocation, Place
from bot.core import Core
from bot.i18n import t
from bot.replies import Reply

log = logging.getLogger(__name__)

# Message subtypes that are still a member writing something new.
USER_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
ANY_COMMAND = re.compile(r"^/\S+$")
ANY_ACTION = re.compile(rf"^(?!{ASK}).+")
ASK_ACTION = re.compile(rf"^{ASK}.+")


def _client_token_note(record: logging.LogRecord) -> bool:
    """Bolt warns "token will be unused" whenever SLACK_BOT_TOKEN is set and a client is given: ours is
    built from that same token, so the note is noise at every start."""
    return record.getMessage() != warning_client_prioritized_and_token_skipped()


class SlackAdapter:
    """The Bolt app and the glue between Slack payloads and core invocations."""

    def __init__(self, core: Core, client: AsyncWebClient, *, managers: frozenset[str] = frozenset()) -> None:
        self.core = core
        self.client = client
        self.directory = Directory(client, managers)
        self.asks = OpenAsks()
        bolt_log = logging.getLogger("bot.adapters.slack.bolt")
        bolt_log.addFilter(_client_token_note)
        self.app = AsyncApp(client=client, logger=bolt_log)
        self.app.event("message")(self.on_message)
        self.app.event("app_mention")(self.on_mention)
        self.app.command(ANY_COMMAND)(self.on_command)
        self.app.action({"type": "block_actions", "action_id": ANY_ACTION})(self.on_action)
        self.app.action({"type": "block_actions", "action_id": ASK_ACTION})(self.on_ask)
        self.app.view(ASK_ACTION)(self.on_answer)
        self.app.error(self.on_error)

    # plain values for the core --------------------------------------------------------------------

    async def member_name(self, user_id: str, scope: str | None = None) -> str | None:
        """A member's display name (``!stats <@U…>``), or None when Slack will not say."""
        actor = await self.directory.actor(user_id)
        return None if actor.name == user_id else actor.name

    def responder(self, channel: str, **fields: Any) -> SlackResponder:
        return SlackResponder(self.client, channel, lang=self.core.settings.lang, asks=self.asks, **fields)

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

    def _click_origin(self, body: dict[str, Any]) -> tuple[str, Origin]:
        """(member, where the clicked message is) of a ``block_actions`` payload."""
        container = body.get("container") or {}
        channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
        user = str((body.get("user") or {}).get("id") or "")
        message = body.get("message") or {}
        return user, Origin(channel, message.get("thread_ts"), body.get("response_url"))

    async def _origin_invocation(self, context: AsyncBoltContext, user: str, origin: Origin) -> Invocation:
        responder = self.responder(
            origin.channel, user=user, thread_ts=origin.thread_ts, response_url=origin.response_url
        )
        return await self.invocation(context, user_id=user, channel_id=origin.channel, responder=responder)

    async def on_action(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        await ack()
        user, origin = self._click_origin(body)
        inv = await self._origin_invocation(context, user, origin)
        await self.core.handle_action(inv, str(action.get("action_id") or ""))

    async def on_ask(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """A button that asks for text: open the answer box, unless the button is stale."""
        await ack()
        user, origin = self._click_origin(body)
        core_action = asked_action(str(action.get("action_id") or ""))
        label = self.asks.label(core_action)
        if label is None:
            # No message shows this button any more (closed, or from before a restart): the
            # feature answers a click without text ("this quiz has ended") — no modal to fill in vain.
            inv = await self._origin_invocation(context, user, origin)
            await self.core.handle_action(inv, core_action)
            return
        view = answer_view(core_action, label, origin, self.core.settings.lang)
        try:
            await self.client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
        except SlackApiError as exc:
            log.warning("views.open for %s failed: %s", core_action, exc.response.get("error"))
            inv = await self._origin_invocation(context, user, origin)
            await inv.responder.send(Reply.error(t(inv.lang, "slack.modal.not_opened"), ephemeral=True))

    async def on_answer(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """The answer box was submitted: close it, then hand the text to the core as plain text."""
        lang = self.core.settings.lang
        text = submitted_text(view)
        if not text.strip():
            await ack(response_action="errors", errors=empty_answer_errors(lang))
            return
        await ack()
        origin = Origin.decode(str(view.get("private_metadata") or ""))
        user = str((body.get("user") or {}).get("id") or "")
        if origin is None or not user:
            log.warning("answer box submitted without its origin: %r", view.get("private_metadata"))
            return
        inv = await self._origin_invocation(context, user, origin)
        await self.core.handle_action(inv, asked_action(str(view.get("callback_id") or "")), text)

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
    tokens = check_tokens(settings.slack)
    managers = parse_managers(settings.slack.managers)
    client = client or AsyncWebClient(token=tokens.bot)
    identity = await verify_bot_token(client)
    first_url = await open_socket_url(client, tokens.app)
    adapter = SlackAdapter(core, client, managers=managers)
    handler = AsyncSocketModeHandler(adapter.app, tokens.app, web_client=client, ping_interval=ping_interval)
    handler.client.wss_uri = first_url
    core.channels["slack"] = adapter.open_channel
    core.member_names["slack"] = adapter.member_name
    try:
        await handler.connect_async()
        log.info("Slack: connected to workspace %s (%s) as @%s", identity.team, identity.team_id, identity.user)
        await asyncio.Event().wait()  # serve until cancelled
    finally:
        if core.channels.get("slack") == adapter.open_channel:
            del core.channels["slack"]
            core.member_names.pop("slack", None)
        await handler.close_async()
