"""A fake Discord (gateway websocket + REST) on 127.0.0.1 for tests that drive the REAL discord.py client.

Typical test::

    from tests.fakes.discord_server import FakeDiscord

    async def test_ping() -> None:
        async with FakeDiscord() as fake:
            alice = fake.add_member("alice")
            bot = make_bot()                       # commands.Bot(..., guild_ready_timeout=0.05)
            async with fake.run_bot(bot):          # login, connect, wait for on_ready; close on exit
                await fake.send_message(fake.channel, alice, "!ping")
                reply = await fake.next_message(fake.channel)
                assert reply.content == "pong"

``run_bot`` starts ``bot.start(fake.token)`` in a task, removes discord.py's 5-second pause before the
IDENTIFY of every shard after the first, waits until ``bot.is_ready()``, and on exit closes the bot and
awaits the task, so nothing leaks into the next test. Pass ``guild_ready_timeout=0.05`` to the bot, or
each start waits discord.py's default 2 s for more guilds.

``start()`` points ``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` at this server and
``stop()`` restores them, so only one FakeDiscord may run at a time.

The fake behaves like Discord where tests can tell the difference: it sends only the events the bot's
intents ask for, blanks guild message content without the message-content intent (unless the bot is
mentioned), sends GUILD_CREATE members only with the members intent, rejects over-long or empty messages
(400), a second response to one interaction (400, code 40060) and follow-ups before any response,
echoes the bot's own non-ephemeral messages back as MESSAGE_CREATE/UPDATE/DELETE, and lets the first
follow-up after a "thinking" defer fill in the placeholder instead of posting a new message.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, TypeVar

import discord
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .discord_gateway import (
    DM_MESSAGES_INTENT,
    DM_REACTIONS_INTENT,
    GUILD_MESSAGES_INTENT,
    GUILD_REACTIONS_INTENT,
    MESSAGE_CONTENT_INTENT,
    FakeGateway,
)
from .discord_interactions import check_required_inputs, command_data, component_data, modal_submit_components
from .discord_messages import attachment_url, message_payload
from .discord_models import (
    BOT_PERMISSIONS,
    EVERYONE_PERMISSIONS,
    MANAGER_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Json,
    SnowflakeFactory,
)
from .discord_records import (
    EPHEMERAL,
    InteractionRecord,
    Reaction,
    RecordedRequest,
    SentMessage,
    StoredAttachment,
)
from .discord_rest import API_PREFIX, dispatch_rest

__all__ = [
    "EPHEMERAL",
    "FakeChannel",
    "FakeDiscord",
    "FakeDiscordTimeout",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "InteractionRecord",
    "Reaction",
    "RecordedRequest",
    "SentMessage",
]

T = TypeVar("T")
UserLike = FakeUser | FakeMember
ChannelLike = FakeChannel | int
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
FAKE_TOKEN = "fake-bot-token"


class FakeDiscordTimeout(AssertionError):
    """A wait ran out; the message lists what the fake did record, to make the failure readable."""


class FakeDiscord:
    """The fake Discord: one bot user and application, guilds with channels, roles and members, DMs."""

    _running: FakeDiscord | None = None

    def __init__(self, *, token: str = FAKE_TOKEN, shard_count: int = 1, bot_name: str = "StudyBot") -> None:
        self.token = token
        self.shard_count = shard_count
        self.snowflake = SnowflakeFactory()
        self.users: dict[int, FakeUser] = {}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, SentMessage] = {}
        #: every message the bot created (channel sends, interaction responses, follow-ups), in order
        self.sent: list[SentMessage] = []
        #: messages the test users "typed" (send_message / send_dm)
        self.user_messages: list[SentMessage] = []
        self.interactions: list[InteractionRecord] = []
        #: synced application commands: guild id (None = global) → command JSON as Discord stores it
        self.commands: dict[int | None, list[Json]] = {}
        self.command_syncs: list[int | None] = []
        self.reactions: list[Reaction] = []
        self.typing: list[int] = []
        self.requests: list[RecordedRequest] = []
        self.unknown_requests: list[RecordedRequest] = []
        self.uploads: dict[int, StoredAttachment] = {}
        self.gateway = FakeGateway(self)
        self._consumed: set[int] = set()
        self._changed = asyncio.Event()
        self._reply_waiters: dict[int, list[tuple[int, asyncio.Future[None]]]] = {}
        self._websockets: set[web.WebSocketResponse] = set()
        self._runner: web.AppRunner | None = None
        self._saved: tuple[str, yarl.URL] | None = None
        self.base_url = ""
        self.gateway_url = ""

        self.bot_user = self._new_user(bot_name, bot=True)
        self.application_id = self.bot_user.id
        self.owner = self._new_user("owner")
        self.guild = self.create_guild("Study Group")
        self.channel = self.guild.channel_named("general")

    # ---- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        if FakeDiscord._running is not None:
            raise RuntimeError("another FakeDiscord is running: Route.BASE is global, run one at a time")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway-ws", self.gateway.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment)
        app.router.add_route("*", "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        self.gateway_url = f"ws://{host}:{port}/gateway-ws"
        self._saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        Route.BASE = self.base_url + API_PREFIX  # type: ignore[misc]
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        FakeDiscord._running = self
        return self

    async def stop(self) -> None:
        if self._saved is not None:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved  # type: ignore[misc]
            self._saved = None
        if FakeDiscord._running is self:
            FakeDiscord._running = None
        for ws in list(self._websockets):
            await ws.close(code=1001, message=b"fake discord stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @contextlib.asynccontextmanager
    async def run_bot(
        self, bot: discord.Client, *, timeout: float = 5.0, token: str | None = None
    ) -> AsyncIterator[discord.Client]:
        """Start ``bot`` against this fake, wait for ready, yield it, and close it afterwards.
        ``token`` defaults to the fake's own; another one makes login fail as on Discord."""

        async def no_identify_pause(shard_id: int | None, *, initial: bool = False) -> None:
            return None

        bot.before_identify_hook = no_identify_pause  # type: ignore[method-assign]
        task = asyncio.create_task(bot.start(token or self.token), name="fake-discord-bot")
        finished_cleanly = False
        try:
            await self.wait_until(lambda: task.done() or bot.is_ready(), timeout=timeout, what="the bot to be ready")
            if task.done():
                task.result()  # re-raise why the bot stopped (bad token, crash in setup_hook ...)
                raise RuntimeError("the bot stopped before it became ready")
            yield bot
            finished_cleanly = True
        finally:
            await bot.close()
            done, _ = await asyncio.wait({task}, timeout=timeout)
            if not done:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            crash = task.exception() if task.done() and not task.cancelled() else None
        if finished_cleanly and crash is not None:
            raise crash  # the bot's connection died during the test

    # ---- the world --------------------------------------------------------------------------------

    def _new_user(self, name: str, *, bot: bool = False, locale: str = "en-US") -> FakeUser:
        user = FakeUser(self.snowflake(), name, bot=bot, locale=locale)
        self.users[user.id] = user
        return user

    def create_guild(self, name: str, channels: Iterable[str] = ("general", "quiz")) -> FakeGuild:
        """A guild owned by ``owner`` with @everyone, "Manager" (Manage Guild) and the bot's role."""
        guild_id = self.snowflake()
        guild = FakeGuild(id=guild_id, name=name, owner_id=self.owner.id)
        guild.roles[guild_id] = FakeRole(guild_id, "@everyone", EVERYONE_PERMISSIONS.value)
        manager = FakeRole(self.snowflake(), "Manager", MANAGER_PERMISSIONS.value, position=2)
        bot_role = FakeRole(self.snowflake(), self.bot_user.name, BOT_PERMISSIONS.value, position=1, managed=True)
        guild.roles[manager.id] = manager
        guild.roles[bot_role.id] = bot_role
        guild.manager_role_id = manager.id
        for position, channel_name in enumerate(channels):
            self.add_channel(channel_name, guild=guild, position=position)
        self.guilds[guild.id] = guild
        guild.members[self.owner.id] = FakeMember(self.owner, guild.id)
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, guild.id, [bot_role.id])
        return guild

    def add_channel(self, name: str, *, guild: FakeGuild | None = None, position: int = 0) -> FakeChannel:
        """Add a text channel (before the bot connects; no CHANNEL_CREATE is sent)."""
        guild = guild or self.guild
        channel = FakeChannel(self.snowflake(), name, 0, guild.id, position)
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_member(
        self, name: str, manager: bool = False, *, guild: FakeGuild | None = None, locale: str = "en-US"
    ) -> FakeMember:
        """A new user who is a member of ``guild`` (default: the first); ``manager`` gives the Manager role.
        ``locale`` is what this user's interactions report (``interaction.locale``)."""
        guild = guild or self.guild
        user = self._new_user(name, locale=locale)
        member = FakeMember(user, guild.id, [guild.manager_role_id] if manager else [])
        guild.members[user.id] = member
        return member

    def add_user(self, name: str, *, locale: str = "en-US") -> FakeUser:
        """A user who shares no guild with the bot (can only DM it)."""
        return self._new_user(name, locale=locale)

    def dm_channel(self, user: UserLike) -> FakeChannel:
        """The DM channel between ``user`` and the bot (created on first use, as Discord does)."""
        user = _user(user)
        for channel in self.channels.values():
            if channel.is_dm and channel.recipient is not None and channel.recipient.id == user.id:
                return channel
        channel = FakeChannel(self.snowflake(), user.name, 1, None, recipient=user)
        self.channels[channel.id] = channel
        return channel

    def store_upload(self, channel_id: int, filename: str, data: bytes) -> StoredAttachment:
        att_id = self.snowflake()
        stored = StoredAttachment(att_id, filename, data, attachment_url(self, channel_id, att_id, filename))
        self.uploads[att_id] = stored
        return stored

    # ---- bookkeeping used by the REST handlers ----------------------------------------------------

    def record_bot_message(self, msg: SentMessage) -> None:
        for attachment in msg.stored_attachments:
            self.uploads[attachment.id] = attachment
        self.messages[msg.id] = msg
        self.sent.append(msg)
        if msg.message_reference is not None:
            self.mark_replied(int(msg.message_reference["message_id"]))
        self._notify()

    def mark_replied(self, message_id: int) -> None:
        """The bot answered message ``message_id``: it quoted it or reacted to it."""
        msg = self.messages.get(message_id)
        if msg is None:
            return
        msg.replies += 1
        if msg.replied_at is None:
            msg.replied_at = time.perf_counter()
        for count, waiter in self._reply_waiters.get(message_id, []):
            if msg.replies >= count and not waiter.done():
                waiter.set_result(None)

    async def announce(self, msg: SentMessage, event: str) -> None:
        """Echo the bot's own message back over the gateway (MESSAGE_CREATE/UPDATE/DELETE) as Discord
        does; ephemeral messages are never announced."""
        if msg.ephemeral:
            return
        if event == "MESSAGE_DELETE":
            data: Json = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id is not None:
                data["guild_id"] = str(msg.guild_id)
        else:
            data = message_payload(self, msg)
        intent = GUILD_MESSAGES_INTENT if msg.guild_id else DM_MESSAGES_INTENT
        await self.gateway.dispatch(event, data, guild_id=msg.guild_id, intent=intent)

    def interaction_by_token(self, token: str) -> InteractionRecord | None:
        for record in reversed(self.interactions):
            if record.token == token:
                return record
        return None

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _rest(self, request: web.Request) -> web.Response:
        return await dispatch_rest(self, request)

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        stored = self.uploads.get(int(request.match_info["attachment_id"]))
        if stored is None:
            return web.Response(status=404)
        return web.Response(body=stored.data, content_type=stored.payload()["content_type"])

    # ---- driving the bot --------------------------------------------------------------------------

    async def send_message(
        self,
        channel: ChannelLike,
        author: UserLike,
        content: str,
        attachments: dict[str, bytes] | Iterable[tuple[str, bytes]] | None = None,
        *,
        reply_to: SentMessage | None = None,
    ) -> SentMessage:
        """A user posts ``content`` in ``channel``; the bot receives MESSAGE_CREATE (if its intents ask)."""
        chan = self._channel(channel)
        user = _user(author)
        msg = SentMessage(
            id=self.snowflake(), channel_id=chan.id, author_id=user.id, guild_id=chan.guild_id, content=content
        )
        files = attachments.items() if isinstance(attachments, dict) else (attachments or [])
        msg.stored_attachments = [self.store_upload(chan.id, name, data) for name, data in files]
        if reply_to is not None:
            msg.message_reference = {"message_id": str(reply_to.id), "channel_id": str(reply_to.channel_id)}
            if reply_to.guild_id:
                msg.message_reference["guild_id"] = str(reply_to.guild_id)
        self.messages[msg.id] = msg
        self.user_messages.append(msg)
        payload = message_payload(self, msg)
        intents = self.gateway.session_intents(chan.guild_id)
        mentioned = any(u["id"] == str(self.bot_user.id) for u in payload["mentions"])
        if not chan.is_dm and not intents & MESSAGE_CONTENT_INTENT and not mentioned:
            payload.update(content="", embeds=[], attachments=[], components=[])
        intent = DM_MESSAGES_INTENT if chan.is_dm else GUILD_MESSAGES_INTENT
        msg.dispatched_at = time.perf_counter()
        await self.gateway.dispatch("MESSAGE_CREATE", payload, guild_id=chan.guild_id, intent=intent)
        return msg

    async def send_dm(self, author: UserLike, content: str, attachments: dict[str, bytes] | None = None) -> SentMessage:
        return await self.send_message(self.dm_channel(author), author, content, attachments)

    async def react(self, message: SentMessage, user: UserLike, emoji: str) -> None:
        """``user`` adds a unicode ``emoji`` reaction to ``message`` (MESSAGE_REACTION_ADD)."""
        who = _user(user)
        self.reactions.append(Reaction(message.channel_id, message.id, emoji, who.id))
        data: Json = {
            "user_id": str(who.id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "message_author_id": str(message.author_id),
            "emoji": {"id": None, "name": emoji},
            "type": 0,
            "burst": False,
            "burst_colors": [],
        }
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
            member = self.guilds[message.guild_id].members.get(who.id)
            if member is not None:
                data["member"] = member.payload()
        intent = GUILD_REACTIONS_INTENT if message.guild_id else DM_REACTIONS_INTENT
        await self.gateway.dispatch("MESSAGE_REACTION_ADD", data, guild_id=message.guild_id, intent=intent)

    def find_command(self, name: str, guild_id: int | None) -> Json:
        """A synced command as Discord would offer it in ``guild_id`` (guild commands first)."""
        for scope in ([guild_id] if guild_id else []) + [None]:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        synced = sorted({c["name"] for cmds in self.commands.values() for c in cmds})
        raise ValueError(f"no slash command /{name} was synced (synced: {synced}); did the bot call tree.sync()?")

    async def slash(
        self,
        channel: ChannelLike,
        user: UserLike,
        name: str,
        options: dict[str, Any] | None = None,
        subcommand: str | None = None,
    ) -> InteractionRecord:
        """``user`` runs ``/name`` (``subcommand`` like ``"add"`` or ``"group add"``) with typed options:
        str/int/float/bool, FakeUser/FakeMember, FakeChannel, FakeRole, or ``(filename, bytes)``."""
        chan = self._channel(channel)
        who = _user(user)
        command = self.find_command(name, chan.guild_id)
        self._check_command_visible(command, chan, who)
        data = command_data(self, command, chan, dict(options or {}), subcommand)
        return await self._interact(2, chan, who, data)

    async def click(
        self, message: SentMessage | int, custom_id: str, user: UserLike, values: list[str] | None = None
    ) -> InteractionRecord:
        """``user`` clicks the button (or picks ``values`` in the select) ``custom_id`` on ``message``."""
        msg = self.messages[message] if isinstance(message, int) else message
        data = component_data(msg, custom_id, values)
        return await self._interact(3, self._channel(msg.channel_id), _user(user), data, message=msg)

    async def submit_modal(
        self,
        interaction_or_custom_id: InteractionRecord | str,
        user: UserLike,
        values: dict[str, Any],
        *,
        timeout: float = 5.0,
    ) -> InteractionRecord:
        """Submit the modal the bot opened (callback type 9). Given an interaction, waits for its modal;
        given a custom_id, uses the newest modal with that id. ``values``: input custom_id → text."""
        if isinstance(interaction_or_custom_id, InteractionRecord):
            source = interaction_or_custom_id
            await self.wait_until(lambda: source.modal() is not None, timeout=timeout, what="a modal response")
        else:
            wanted = interaction_or_custom_id
            found = [r for r in self.interactions if (r.modal() or {}).get("custom_id") == wanted]
            if not found:
                raise ValueError(f"the bot never opened a modal with custom_id {wanted!r}")
            source = found[-1]
        modal = source.modal() or {}
        check_required_inputs(modal.get("components", []), values)
        data = {
            "custom_id": modal["custom_id"],
            "components": modal_submit_components(modal.get("components", []), values),
        }
        message = self.messages.get(source.original_message_id or 0) if source.type == 3 else None
        return await self._interact(5, self._channel(source.channel_id), _user(user), data, message=message)

    def _check_command_visible(self, command: Json, channel: FakeChannel, user: FakeUser) -> None:
        if channel.is_dm:
            contexts = command.get("contexts")
            if (contexts is not None and 1 not in contexts) or command.get("dm_permission") is False:
                raise ValueError(f"/{command['name']} is not available in DMs")
            return
        needed = command.get("default_member_permissions")
        guild = self.guilds[channel.guild_id or 0]
        if needed is not None and (guild.permissions_of(user.id) & int(needed)) != int(needed):
            raise ValueError(f"/{command['name']} is hidden from {user.name} (default_member_permissions)")

    async def _interact(
        self, kind: int, channel: FakeChannel, user: FakeUser, data: Json, *, message: SentMessage | None = None
    ) -> InteractionRecord:
        record = InteractionRecord(
            id=self.snowflake(),
            token=secrets.token_urlsafe(24),
            type=kind,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            user_id=user.id,
            payload={},
            original_message_id=message.id if message is not None else None,
        )
        payload: Json = {
            "id": str(record.id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": record.token,
            "version": 1,
            "channel_id": str(channel.id),
            "locale": user.locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        channel_payload = channel.payload()
        if channel.guild_id is not None:
            guild = self.guilds[channel.guild_id]
            member = guild.members.get(user.id)
            if member is None:
                raise ValueError(f"{user.name} is not a member of {guild.name}")
            perms = guild.permissions_of(user.id)
            channel_payload["permissions"] = str(perms)
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                member=member.payload(permissions=perms),
                app_permissions=str(guild.permissions_of(self.bot_user.id)),
                authorizing_integration_owners={"0": str(guild.id)},
                context=0,
            )
        else:
            payload.update(
                user=user.payload(),
                app_permissions=str(BOT_PERMISSIONS.value),
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        payload["channel"] = channel_payload
        if message is not None:
            payload["message"] = message_payload(self, message)
        record.payload = payload
        self.interactions.append(record)
        await self.gateway.dispatch("INTERACTION_CREATE", payload, guild_id=channel.guild_id)
        return record

    async def close_gateway(self, shard_id: int | None = None, *, code: int = 4000, timeout: float = 5.0) -> None:
        """Drop a shard's websocket (default shard 0) and wait until the bot has RESUMEd or re-IDENTIFYd."""
        session = await self.gateway.close(shard_id, code)
        before = (session.resumes, len(self.gateway.identifies))

        def reconnected() -> bool:
            current = self.gateway.session_for_shard(session.shard_id)
            return (
                current is not None
                and current.ws is not None
                and ((session.resumes, len(self.gateway.identifies)) != before)
            )

        await self.wait_until(reconnected, timeout=timeout, what=f"shard {session.shard_id} to reconnect")

    # ---- waiting and reading ----------------------------------------------------------------------

    async def wait_until(self, condition: Callable[[], T], *, timeout: float = 5.0, what: str = "condition") -> T:
        """Wait until ``condition()`` is truthy (re-checked whenever the fake records something)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = condition()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise FakeDiscordTimeout(f"timed out after {timeout}s waiting for {what}\n{self.describe()}")
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=min(remaining, 0.05))

    async def wait_for(self, predicate: Callable[[SentMessage], bool], timeout: float = 5.0) -> SentMessage:
        """The first (not deleted) bot message for which ``predicate`` holds, now or after a send/edit."""

        def match() -> SentMessage | None:
            return next((m for m in self.sent if not m.deleted and predicate(m)), None)

        return await self.wait_until(match, timeout=timeout, what="a bot message matching the predicate")

    async def wait_for_reply(self, message: SentMessage, timeout: float = 5.0, *, count: int = 1) -> float:
        """Wait until the bot has answered ``message`` ``count`` times (messages quoting it, reactions on it);
        return the seconds from its MESSAGE_CREATE to the first answer. A future per wait rather than
        :meth:`wait_until`, so that hundreds of concurrent waits (benchmarks) cost nothing per request."""
        if message.replies < count:
            waiter = asyncio.get_running_loop().create_future()
            waiters = self._reply_waiters.setdefault(message.id, [])
            waiters.append((count, waiter))
            try:
                await asyncio.wait_for(waiter, timeout)
            except TimeoutError:
                raise FakeDiscordTimeout(
                    f"timed out after {timeout}s waiting for reply {count} to {message.content[:80]!r}\n"
                    f"{self.describe()}"
                ) from None
            finally:
                waiters.remove((count, waiter))
        assert message.replied_at is not None and message.dispatched_at is not None
        return message.replied_at - message.dispatched_at

    async def next_message(self, channel_id: ChannelLike | None = None, timeout: float = 5.0) -> SentMessage:
        """The oldest bot message (optionally in one channel) not yet returned by ``next_message``; a
        deferred "thinking" placeholder is returned only once the bot has filled it in."""
        wanted = None if channel_id is None else self._channel(channel_id).id

        def first_unread() -> SentMessage | None:
            for m in self.sent:
                if m.id in self._consumed or (wanted is not None and m.channel_id != wanted):
                    continue
                return None if m.loading else m
            return None

        where = f" in channel {wanted}" if wanted else ""
        msg = await self.wait_until(first_unread, timeout=timeout, what=f"the next bot message{where}")
        self._consumed.add(msg.id)
        return msg

    async def wait_for_callback(self, interaction: InteractionRecord, timeout: float = 5.0) -> Json:
        """The bot's first response to ``interaction`` (``{"type": 4|5|6|7|9, "data": {...}}``)."""
        await self.wait_until(lambda: interaction.callbacks, timeout=timeout, what="an interaction response")
        return interaction.callbacks[0]

    def messages_in(self, channel: ChannelLike) -> list[SentMessage]:
        chan = self._channel(channel).id
        return [m for m in self.sent if m.channel_id == chan and not m.deleted]

    def describe(self) -> str:
        lines = [f"bot messages ({len(self.sent)}):"]
        for m in self.sent[-10:]:
            flags = " ephemeral" if m.ephemeral else ""
            lines.append(f"  #{m.channel_id}{flags}: {m.text[:200]!r} files={list(m.attachments)}")
        if self.unknown_requests:
            lines.append(f"unknown requests: {[(r.method, r.path) for r in self.unknown_requests]}")
        errors = [(r.method, r.path, r.status) for r in self.requests if r.status >= 400]
        if errors:
            lines.append(f"rejected requests: {errors}")
        return "\n".join(lines)

    def _channel(self, channel: ChannelLike) -> FakeChannel:
        return channel if isinstance(channel, FakeChannel) else self.channels[channel]


def _user(user: UserLike) -> FakeUser:
    return user.user if isinstance(user, FakeMember) else user
