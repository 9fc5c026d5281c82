"""The fake REST API under ``/api/v10``. One table of (method, path regex, handler); anything else is
answered 404 with a Discord-shaped error and recorded in ``FakeDiscord.unknown_requests``. A handler whose
look-up finds nothing raises :class:`NotFound` (usually through :func:`look_up`), answered as Discord's 404.

Responses set ``Content-Type: application/json`` exactly: discord.py only parses JSON when the header has
no charset parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

from aiohttp import web

from .discord_limits import message_problem
from .discord_messages import apply_edit, create_message, message_payload, read_body
from .discord_models import Json
from .discord_records import EPHEMERAL, LOADING, InteractionRecord, Reaction, RecordedRequest, SentMessage

if TYPE_CHECKING:
    from .discord_server import FakeDiscord

Handler = Callable[["FakeDiscord", web.Request, dict[str, str]], Awaitable[web.Response]]
T = TypeVar("T")
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []
API_PREFIX = "/api/v10"


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

    def register(fn: Handler) -> Handler:
        ROUTES.append((method, regex, fn))
        return fn

    return register


def json_response(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def error(status: int, code: int, message: str) -> web.Response:
    return json_response({"message": message, "code": code}, status=status)


def no_content() -> web.Response:
    return web.Response(status=204)


# Discord's (code, message) for an object that does not exist
UNKNOWN_CHANNEL = (10003, "Unknown Channel")
UNKNOWN_MEMBER = (10007, "Unknown Member")
UNKNOWN_MESSAGE = (10008, "Unknown Message")
UNKNOWN_USER = (10013, "Unknown User")
UNKNOWN_EMOJI = (10014, "Unknown Emoji")
UNKNOWN_WEBHOOK = (10015, "Unknown Webhook")
UNKNOWN_INTERACTION = (10062, "Unknown interaction")


class NotFound(Exception):
    """What a handler looked up does not exist: :func:`dispatch_rest` answers 404 with Discord's code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def look_up(value: T | None, unknown: tuple[int, str]) -> T:
    """``value``, or a 404 with Discord's ``unknown`` (code, message) when there is none."""
    if value is None:
        raise NotFound(*unknown)
    return value


async def dispatch_rest(world: FakeDiscord, request: web.Request) -> web.Response:
    path = request.path[len(API_PREFIX) :] if request.path.startswith(API_PREFIX) else request.path
    for method, regex, handler in ROUTES:
        match = regex.match(path)
        if match and method == request.method:
            if not _public(path) and request.headers.get("Authorization") != f"Bot {world.token}":
                world.requests.append(RecordedRequest(request.method, path, None, 401))
                return error(401, 0, "401: Unauthorized")
            try:
                response = await handler(world, request, match.groupdict())
            except NotFound as exc:
                response = error(404, exc.code, exc.message)
            world.requests.append(RecordedRequest(request.method, path, None, response.status))
            world._notify()
            return response
    body = (await request.read()).decode(errors="replace")
    world.unknown_requests.append(RecordedRequest(request.method, path, body, 404))
    world._notify()
    return error(404, 0, "404: Not Found")


def _public(path: str) -> bool:
    """Webhook and interaction-callback routes are authorised by their token, not the bot token."""
    return path.startswith(("/webhooks/", "/interactions/", "/gateway"))


# ---- login, gateway, users ---------------------------------------------------------------------


@route("GET", "/gateway")
async def get_gateway(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response({"url": world.gateway_url})


@route("GET", "/gateway/bot")
async def get_gateway_bot(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
    return json_response({"url": world.gateway_url, "shards": world.shard_count, "session_start_limit": limit})


@route("GET", "/users/@me")
async def get_me(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response(world.bot_user.payload())


@route("GET", "/oauth2/applications/@me")
async def get_application(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response(
        {
            "id": str(world.application_id),
            "name": world.bot_user.name,
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": world.owner.payload(),
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": world.bot_user.payload(),
        }
    )


@route("GET", "/users/{user_id}")
async def get_user(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response(look_up(world.users.get(int(p["user_id"])), UNKNOWN_USER).payload())


@route("POST", "/users/@me/channels")
async def open_dm(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    payload, _ = await read_body(request)
    user = world.users.get(int(payload.get("recipient_id", 0)))
    if user is None:
        return error(400, 50035, "Invalid Form Body")
    return json_response(world.dm_channel(user).payload())


# ---- guilds and channels -----------------------------------------------------------------------


@route("GET", "/guilds/{guild_id}/members/{user_id}")
async def get_member(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    guild = world.guilds.get(int(p["guild_id"]))
    member = guild.members.get(int(p["user_id"])) if guild else None
    return json_response(look_up(member, UNKNOWN_MEMBER).payload())


@route("GET", "/channels/{channel_id}")
async def get_channel(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response(look_up(world.channels.get(int(p["channel_id"])), UNKNOWN_CHANNEL).payload())


@route("POST", "/channels/{channel_id}/typing")
async def typing(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    look_up(world.channels.get(int(p["channel_id"])), UNKNOWN_CHANNEL)
    world.typing.append(int(p["channel_id"]))
    return no_content()


@route("POST", "/channels/{channel_id}/messages")
async def post_message(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    channel = look_up(world.channels.get(int(p["channel_id"])), UNKNOWN_CHANNEL)
    payload, files = await read_body(request)
    problem = message_problem(payload, file_count=len(files))
    if problem:
        return error(400, *problem)
    msg = create_message(world, channel.id, payload, files, author_id=world.bot_user.id)
    world.record_bot_message(msg)
    await world.announce(msg, "MESSAGE_CREATE")
    return json_response(message_payload(world, msg))


def _message(world: FakeDiscord, p: dict[str, str], *, in_channel: bool) -> SentMessage:
    """The message the path names, not deleted (and in the path's channel when ``in_channel``), else 404."""
    msg = world.messages.get(int(p["message_id"]))
    if msg is None or msg.deleted or (in_channel and msg.channel_id != int(p["channel_id"])):
        raise NotFound(*UNKNOWN_MESSAGE)
    return msg


@route("GET", "/channels/{channel_id}/messages/{message_id}")
async def get_message(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response(message_payload(world, _message(world, p, in_channel=True)))


@route("PATCH", "/channels/{channel_id}/messages/{message_id}")
async def edit_message(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    msg = _message(world, p, in_channel=True)
    if msg.author_id != world.bot_user.id:
        return error(403, 50005, "Cannot edit a message authored by another user")
    return await _edit(world, request, msg)


async def _edit(world: FakeDiscord, request: web.Request, msg: SentMessage) -> web.Response:
    """Apply an edit (channel message or webhook message) as Discord would, checking its limits."""
    payload, files = await read_body(request)
    problem = message_problem(payload, file_count=len(files), editing=True)
    if problem:
        return error(400, *problem)
    apply_edit(world, msg, payload, files)
    await world.announce(msg, "MESSAGE_UPDATE")
    return json_response(message_payload(world, msg))


@route("DELETE", "/channels/{channel_id}/messages/{message_id}")
async def delete_message(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    msg = _message(world, p, in_channel=False)
    msg.deleted = True
    await world.announce(msg, "MESSAGE_DELETE")
    return no_content()


@route("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def add_reaction(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    msg = _message(world, p, in_channel=False)
    emoji = unquote(p["emoji"])
    msg.reactions.append(emoji)
    world.reactions.append(Reaction(msg.channel_id, msg.id, emoji, world.bot_user.id))
    world.mark_replied(msg.id)
    return no_content()


@route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def remove_reaction(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    msg = world.messages.get(int(p["message_id"]))
    emoji = unquote(p["emoji"])
    if msg is None or emoji not in msg.reactions:
        raise NotFound(*UNKNOWN_EMOJI)
    msg.reactions.remove(emoji)
    world.reactions.append(Reaction(msg.channel_id, msg.id, emoji, world.bot_user.id, removed=True))
    return no_content()


# ---- application commands ----------------------------------------------------------------------


def _store_commands(world: FakeDiscord, guild_id: int | None, payload: list[Json]) -> list[Json]:
    stored = []
    for cmd in payload:
        entry = dict(cmd)
        entry.setdefault("type", 1)
        entry.update(
            id=str(world.snowflake()),
            application_id=str(world.application_id),
            version=str(world.snowflake()),
            guild_id=str(guild_id) if guild_id else None,
        )
        stored.append(entry)
    world.commands[guild_id] = stored
    world.command_syncs.append(guild_id)
    return stored


@route("PUT", "/applications/{app_id}/commands")
async def sync_global(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    payload, _ = await read_body(request)
    return json_response(_store_commands(world, None, payload))  # type: ignore[arg-type]


@route("PUT", "/applications/{app_id}/guilds/{guild_id}/commands")
async def sync_guild(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    payload, _ = await read_body(request)
    return json_response(_store_commands(world, int(p["guild_id"]), payload))  # type: ignore[arg-type]


@route("GET", "/applications/{app_id}/commands")
async def get_global(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response(world.commands.get(None, []))


@route("GET", "/applications/{app_id}/guilds/{guild_id}/commands")
async def get_guild_cmds(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response(world.commands.get(int(p["guild_id"]), []))


# ---- interactions ------------------------------------------------------------------------------


@route("POST", "/interactions/{interaction_id}/{token}/callback")
async def interaction_callback(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    record = world.interaction_by_token(p["token"])
    if record is None or record.id != int(p["interaction_id"]):
        raise NotFound(*UNKNOWN_INTERACTION)
    if record.callbacks:
        return error(400, 40060, "Interaction has already been acknowledged.")
    payload, files = await read_body(request)
    kind = int(payload.get("type", 0))
    data = payload.get("data") or {}
    callback: Json = {"type": kind, "data": data}
    result: Json = {"id": str(record.id), "type": record.type}
    resource: Json | None = None
    if kind in (4, 5):
        problem = message_problem(data, file_count=len(files), editing=kind == 5)
        if problem:
            return error(400, *problem)
        msg = create_message(
            world,
            record.channel_id,
            data,
            files,
            author_id=world.bot_user.id,
            interaction_token=record.token,
            interaction_id=record.id,
            extra_flags=LOADING if kind == 5 else 0,
        )
        world.record_bot_message(msg)
        await world.announce(msg, "MESSAGE_CREATE")
        record.original_message_id = msg.id
        result.update(
            response_message_id=str(msg.id),
            response_message_loading=kind == 5,
            response_message_ephemeral=bool(msg.flags & EPHEMERAL),
        )
        resource = {"type": kind, "message": message_payload(world, msg)}
    elif kind in (6, 7):
        target = world.messages.get(record.original_message_id or 0)
        if target is None:
            return error(400, 50035, "Invalid Form Body: this interaction has no message to update")
        if kind == 7:
            apply_edit(world, target, data, files)
            await world.announce(target, "MESSAGE_UPDATE")
        result.update(response_message_id=str(target.id))
        resource = {"type": kind, "message": message_payload(world, target)}
    elif kind not in (9, 8, 10, 12):
        return error(400, 50035, f"Invalid Form Body: unknown callback type {kind}")
    record.callbacks.append(callback)
    body: Json = {"interaction": result}
    if resource is not None:
        body["resource"] = resource
    return json_response(body)


def _webhook_record(world: FakeDiscord, p: dict[str, str]) -> InteractionRecord | None:
    record = world.interaction_by_token(p["token"])
    if record is None or int(p["app_id"]) != world.application_id:
        return None
    return record


@route("POST", "/webhooks/{app_id}/{token}")
async def followup(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    record = look_up(_webhook_record(world, p), UNKNOWN_WEBHOOK)
    if not record.callbacks:
        raise NotFound(*UNKNOWN_WEBHOOK)  # Discord: follow-ups need an acknowledged interaction
    payload, files = await read_body(request)
    problem = message_problem(payload, file_count=len(files))
    if problem:
        return error(400, *problem)
    placeholder = world.messages.get(record.original_message_id or 0)
    if placeholder is not None and placeholder.loading:
        # Discord: the first follow-up after a "thinking" defer replaces the placeholder (same id; the
        # defer decided whether it is ephemeral).
        apply_edit(world, placeholder, payload, files)
        await world.announce(placeholder, "MESSAGE_UPDATE")
        return json_response(message_payload(world, placeholder))
    msg = create_message(
        world,
        record.channel_id,
        payload,
        files,
        author_id=world.bot_user.id,
        interaction_token=record.token,
        interaction_id=record.id,
    )
    world.record_bot_message(msg)
    await world.announce(msg, "MESSAGE_CREATE")
    return json_response(message_payload(world, msg))


def _webhook_message(world: FakeDiscord, record: InteractionRecord, message_id: str) -> SentMessage | None:
    if message_id == "@original":
        return world.messages.get(record.original_message_id or 0)
    msg = world.messages.get(int(message_id)) if message_id.isdigit() else None
    if msg is not None and msg.interaction_token != record.token:
        return None
    return msg


def _live_webhook_message(world: FakeDiscord, p: dict[str, str]) -> SentMessage:
    """The interaction's message the path names, not deleted, else 404."""
    record = _webhook_record(world, p)
    msg = _webhook_message(world, record, p["message_id"]) if record else None
    if msg is None or msg.deleted:
        raise NotFound(*UNKNOWN_MESSAGE)
    return msg


@route("GET", "/webhooks/{app_id}/{token}/messages/{message_id}")
async def get_webhook_message(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return json_response(message_payload(world, _live_webhook_message(world, p)))


@route("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}")
async def edit_webhook_message(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    return await _edit(world, request, _live_webhook_message(world, p))


@route("DELETE", "/webhooks/{app_id}/{token}/messages/{message_id}")
async def delete_webhook_message(world: FakeDiscord, request: web.Request, p: dict[str, str]) -> web.Response:
    msg = _live_webhook_message(world, p)
    msg.deleted = True
    await world.announce(msg, "MESSAGE_DELETE")
    return no_content()
