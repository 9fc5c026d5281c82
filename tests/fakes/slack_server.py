"""A fake Slack for the real Bolt app: Web API on ``/api/{method}``, a Socket Mode websocket, the
file-upload URL and response_urls, all on 127.0.0.1 on a free port.

It records everything the app sends (messages with their blocks, edits, ephemeral posts,
response_url posts, uploaded files, envelope acks, opened modals) and checks Block Kit's limits the
way Slack does: a message that breaks one is refused with ``invalid_blocks`` and listed in
``problems``. Clicks and slash commands carry a fresh ``trigger_id`` that ``views.open`` accepts
once, within :attr:`FakeSlack.trigger_seconds`; :meth:`FakeSlack.submit` submits an opened modal.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from slack_sdk.web.async_client import AsyncWebClient

Json = dict[str, Any]

TEAM_ID = "T0FAKE"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"
APP_ID = "A0FAKE"
BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
TRIGGER_SECONDS = 3.0  # how long Slack accepts a trigger_id


@dataclass
class Posted:
    """One message the app posted. ``kind`` is postMessage, postEphemeral or response_url."""

    kind: str
    channel: str
    ts: str
    text: str
    blocks: list[Json]
    user: str | None = None  # the one member who sees an ephemeral message
    thread_ts: str | None = None
    response_type: str | None = None
    edits: list[Json] = field(default_factory=list)
    raw: Json = field(default_factory=dict)

    @property
    def ephemeral(self) -> bool:
        return self.kind == "postEphemeral" or self.response_type == "ephemeral"

    @property
    def readable(self) -> str:
        """Everything a reader sees: header, sections, context and button labels, one per line."""
        lines: list[str] = []
        for block in self.blocks:
            if block.get("text"):
                lines.append(block["text"]["text"])
            for element in block.get("elements", []):
                text = element.get("text")
                lines.append(text["text"] if isinstance(text, dict) else str(text or ""))
        return "\n".join(lines)

    @property
    def buttons(self) -> list[Json]:
        return [e for b in self.blocks if b["type"] == "actions" for e in b["elements"]]


@dataclass
class SharedFile:
    channel: str
    filename: str
    title: str
    data: bytes
    thread_ts: str | None = None


@dataclass
class Ack:
    envelope_id: str
    payload: Json | None
    seconds: float  # from sending the envelope to receiving its ack


@dataclass
class OpenedView:
    """A modal opened with ``views.open``; ``closed``/``errors`` follow the app's submission acks."""

    id: str
    user: str
    view: Json
    closed: bool = False
    errors: dict[str, str] | None = None

    @property
    def label(self) -> str:
        """The label of the first input block."""
        return next(b["label"]["text"] for b in self.view.get("blocks", []) if b.get("type") == "input")


def view_problems(view: Any) -> list[str]:
    """Slack's limits for a modal with input blocks."""
    if not isinstance(view, dict) or view.get("type") != "modal":
        return ["view is not a modal"]
    problems = []
    for key in ("title", "submit", "close"):
        text = (view.get(key) or {}).get("text", "")
        if (key == "title" or key in view) and not 0 < len(text) <= 24:
            problems.append(f"view {key} of {len(text)} characters (1..24)")
    if len(view.get("callback_id", "")) > 255 or len(view.get("private_metadata", "")) > 3000:
        problems.append("view callback_id (255) or private_metadata (3000) too long")
    blocks = view.get("blocks") or []
    if not 0 < len(blocks) <= 100:
        problems.append(f"view with {len(blocks)} blocks (1..100)")
    for i, block in enumerate(blocks):
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        if not 0 < len((block.get("label") or {}).get("text", "")) <= 2000:
            problems.append(f"view blocks[{i}]: input label (1..2000)")
        if len(element.get("action_id", "")) > 255 or not 0 < element.get("max_length", 3000) <= 3000:
            problems.append(f"view blocks[{i}]: input action_id or max_length out of range")
    return problems


def block_problems(blocks: list[Json]) -> list[str]:
    """Block Kit's limits, as Slack enforces them for messages."""
    problems = []
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks (max 50)")
    for i, block in enumerate(blocks):
        kind = block.get("type")
        text = (block.get("text") or {}).get("text", "")
        if kind == "section" and not 0 < len(text) <= 3000:
            problems.append(f"blocks[{i}]: section text of {len(text)} characters (1..3000)")
        if kind == "header" and (len(text) > 150 or block["text"].get("type") != "plain_text"):
            problems.append(f"blocks[{i}]: header must be plain_text of at most 150 characters")
        elements = block.get("elements", [])
        if kind == "actions":
            if not 0 < len(elements) <= 25:
                problems.append(f"blocks[{i}]: {len(elements)} actions elements (1..25)")
            ids = [e.get("action_id") for e in elements]
            if len(set(ids)) != len(ids):
                problems.append(f"blocks[{i}]: duplicate action_id")
            for e in elements:
                if len(e["text"]["text"]) > 75 or len(e.get("action_id", "")) > 255 or len(e.get("value", "")) > 2000:
                    problems.append(f"blocks[{i}]: button text/action_id/value too long")
                if e.get("style") not in (None, "primary", "danger"):
                    problems.append(f"blocks[{i}]: button style {e.get('style')!r}")
        if kind == "context" and not 0 < len(elements) <= 10:
            problems.append(f"blocks[{i}]: {len(elements)} context elements (1..10)")
    return problems


class FakeSlack:
    """Start with ``await FakeSlack().start()``; stop with ``close()``."""

    def __init__(self) -> None:
        self.bot_token = BOT_TOKEN
        self.app_token = APP_TOKEN
        self.calls: list[tuple[str, Json]] = []
        self.messages: list[Posted] = []
        self.files: list[SharedFile] = []
        self.acks: dict[str, Ack] = {}
        self.problems: list[str] = []
        self.users: dict[str, Json] = {}
        self.channels: dict[str, Json] = {}
        self.views: list[OpenedView] = []
        self.trigger_seconds = TRIGGER_SECONDS
        self.connections = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._sent_at: dict[str, float] = {}
        self._uploads: dict[str, Json] = {}
        self._triggers: dict[str, tuple[float, str]] = {}  # trigger_id → (issued at, member)
        self._submissions: dict[str, OpenedView] = {}  # envelope_id → the view it submits
        self._used_triggers: set[str] = set()
        self._ts = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.add_channel("C0GENERAL", "general")
        self.add_user("U0ALICE", "alice")

    # setup ------------------------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, *, admin: bool = False, owner: bool = False) -> None:
        self.users[user_id] = {
            "id": user_id, "team_id": TEAM_ID, "name": name, "real_name": name.title(), "is_bot": False,
            "is_admin": admin, "is_owner": owner, "profile": {"display_name": name, "real_name": name.title()},
        }

    def add_channel(self, channel_id: str, name: str, *, member: bool = True) -> None:
        self.channels[channel_id] = {"id": channel_id, "name": name, "is_channel": True, "is_member": member}

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_get("/ws", self._socket)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{key}", self._respond)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def client(self, token: str | None = None) -> AsyncWebClient:
        return AsyncWebClient(token=token or self.bot_token, base_url=self.api_url)

    # waiting ----------------------------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until ``predicate()`` is truthy and return its value."""
        async def wait() -> Any:
            async with self._changed:
                while not (value := predicate()):
                    await self._changed.wait()
                return value

        return await asyncio.wait_for(wait(), timeout)

    async def wait_connected(self, count: int = 1, timeout: float = 5.0) -> None:
        await self.wait_for(lambda: self.connections >= count and self._sockets, timeout)

    async def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        return await self.wait_for(lambda: self.acks.get(envelope_id), timeout)

    async def wait_messages(self, count: int, timeout: float = 5.0, **match: Any) -> list[Posted]:
        """Wait for ``count`` messages whose attributes equal ``match`` (e.g. ``channel="C1"``)."""
        def found() -> list[Posted]:
            hits = [m for m in self.messages if all(getattr(m, k) == v for k, v in match.items())]
            return hits if len(hits) >= count else []

        return await self.wait_for(found, timeout)

    # sending envelopes ------------------------------------------------------------------------------

    async def send(self, envelope_type: str, payload: Json, *, accepts_response_payload: bool = False) -> str:
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id, "type": envelope_type, "payload": payload,
            "accepts_response_payload": accepts_response_payload, "retry_attempt": 0, "retry_reason": "",
        }
        self._sent_at[envelope_id] = time.monotonic()
        await self._sockets[-1].send_str(json.dumps(envelope))
        return envelope_id

    def _trigger(self, user: str) -> str:
        trigger_id = f"{next(self._ts)}.{int(time.time())}.{uuid.uuid4().hex[:16]}"
        self._triggers[trigger_id] = (time.monotonic(), user)
        return trigger_id

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    async def message(
        self, text: str, *, user: str = "U0ALICE", channel: str = "C0GENERAL", channel_type: str = "channel",
        thread_ts: str | None = None, event_type: str = "message", **extra: Any,
    ) -> str:
        ts = self._next_ts()
        event: Json = {
            "type": event_type, "user": user, "text": text, "ts": ts, "channel": channel,
            "channel_type": channel_type, "event_ts": ts, "team": TEAM_ID, **extra,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return await self.send("events_api", self._event_callback(event))

    def _event_callback(self, event: Json) -> Json:
        return {
            "token": "verification", "team_id": TEAM_ID, "api_app_id": APP_ID, "event": event,
            "type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER, "is_bot": True}],
        }

    async def slash(
        self, command: str, text: str = "", *, user: str = "U0ALICE", channel: str = "C0GENERAL",
        channel_name: str = "general",
    ) -> str:
        payload = {
            "token": "verification", "team_id": TEAM_ID, "team_domain": "fake", "channel_id": channel,
            "channel_name": channel_name, "user_id": user, "user_name": self.users.get(user, {}).get("name", user),
            "command": command, "text": text, "api_app_id": APP_ID, "is_enterprise_install": "false",
            "response_url": f"{self.base}/respond/{uuid.uuid4().hex}", "trigger_id": self._trigger(user),
        }
        return await self.send("slash_commands", payload, accepts_response_payload=True)

    async def click(
        self, message: Posted, action_id: str, *, user: str = "U0ALICE", version: int | None = None
    ) -> str:
        """Click a button of ``message``; ``version`` = an index into ``message.edits`` clicks a button
        of that earlier version (a member whose Slack still shows the old message)."""
        blocks = message.blocks if version is None else message.edits[version]["blocks"]
        buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
        button = next(b for b in buttons if b["action_id"] == action_id)
        payload = {
            "type": "block_actions", "user": {"id": user, "username": user, "team_id": TEAM_ID},
            "api_app_id": APP_ID, "token": "verification", "trigger_id": self._trigger(user),
            "container": {"type": "message", "message_ts": message.ts, "channel_id": message.channel,
                          "is_ephemeral": message.ephemeral},
            "team": {"id": TEAM_ID, "domain": "fake"}, "channel": {"id": message.channel, "name": "general"},
            "message": {"type": "message", "ts": message.ts, "text": message.text, "blocks": blocks,
                        **({"thread_ts": message.thread_ts} if message.thread_ts else {})},
            "response_url": f"{self.base}/respond/{uuid.uuid4().hex}",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": button.get("value"),
                         "text": button["text"], "action_ts": str(time.time())}],
        }
        return await self.send("interactive", payload)

    async def submit(self, opened: OpenedView, text: str | None, *, user: str | None = None) -> str:
        """Submit ``opened`` with ``text`` in its (first) input; the ack tells whether it closes."""
        values: Json = {}
        for block in opened.view.get("blocks", []):
            if block.get("type") == "input":
                element = block["element"]
                values[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": text}}
                break
        member = user or opened.user
        payload = {
            "type": "view_submission", "team": {"id": TEAM_ID, "domain": "fake"},
            "user": {"id": member, "username": member, "name": member, "team_id": TEAM_ID},
            "api_app_id": APP_ID, "token": "verification", "trigger_id": self._trigger(member),
            "view": {**opened.view, "state": {"values": values}}, "response_urls": [], "is_enterprise_install": False,
        }
        envelope_id = await self.send("interactive", payload, accepts_response_payload=True)
        self._submissions[envelope_id] = opened
        return envelope_id

    async def drop_connections(self) -> None:
        """Close every websocket, as Slack does when it rotates connections or the network drops."""
        for ws in list(self._sockets):
            await ws.close()

    # HTTP handlers ----------------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.connections += 1
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                      "connection_info": {"app_id": APP_ID}}))
        await self._notify()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                envelope_id = data.get("envelope_id")
                if envelope_id:
                    seconds = time.monotonic() - self._sent_at.get(envelope_id, time.monotonic())
                    self.acks[envelope_id] = Ack(envelope_id, data.get("payload"), seconds)
                    self._view_acked(envelope_id, data.get("payload"))
                    await self._notify()
        finally:
            self._sockets.remove(ws)
            await self._notify()
        return ws

    def _view_acked(self, envelope_id: str, payload: Json | None) -> None:
        """A submission's ack: no response_action closes the modal; ``errors`` keeps it open."""
        opened = self._submissions.pop(envelope_id, None)
        if opened is None:
            return
        action = (payload or {}).get("response_action")
        if action == "errors":
            opened.errors = payload["errors"]  # type: ignore[index]
        elif action in (None, "clear"):
            opened.closed = True
        else:
            self.problems.append(f"unexpected response_action {action!r}")

    async def _arguments(self, request: web.Request) -> tuple[Json, str]:
        args: Json = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.method == "POST":
            args.update(dict(await request.post()))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or str(args.pop("token", ""))
        return args, token

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args, token = await self._arguments(request)
        self.calls.append((method, args))
        expected = self.app_token if method in APP_TOKEN_METHODS else self.bot_token
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "api_" + method.replace(".", "_"), None)
        if handler is None:
            self.problems.append(f"unexpected API method {method}")
            return web.json_response({"ok": False, "error": "unknown_method"})
        result = await handler(args)
        await self._notify()
        return web.json_response({"ok": True, **result} if "error" not in result else {"ok": False, **result})

    async def api_auth_test(self, args: Json) -> Json:
        return {"url": "https://fake.slack.com/", "team": "Fake Team", "user": "studybot", "team_id": TEAM_ID,
                "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}

    async def api_apps_connections_open(self, args: Json) -> Json:
        return {"url": f"ws://127.0.0.1:{self.port}/ws?ticket={uuid.uuid4().hex}"}

    async def api_users_info(self, args: Json) -> Json:
        user = self.users.get(str(args.get("user")))
        return {"user": user} if user else {"error": "user_not_found"}

    async def api_conversations_info(self, args: Json) -> Json:
        channel = self.channels.get(str(args.get("channel")))
        return {"channel": channel} if channel else {"error": "channel_not_found"}

    def _reachable(self, channel: str) -> str | None:
        """The error Slack gives when the bot posts where it cannot, or None."""
        if channel.startswith("D"):
            return None
        info = self.channels.get(channel)
        if info is None:
            return "channel_not_found"
        return None if info["is_member"] else "not_in_channel"

    def _check_message(self, args: Json) -> Json | None:
        blocks = _decoded(args.get("blocks")) or []
        problems = block_problems(blocks)
        if not args.get("text"):
            problems.append("message without a text fallback")
        if problems:
            self.problems += problems
            return {"error": "invalid_blocks", "errors": problems}
        return None

    async def _post(self, kind: str, args: Json) -> Json:
        channel = str(args.get("channel"))
        error = self._reachable(channel) or None
        if error:
            return {"error": error}
        refused = self._check_message(args)
        if refused:
            return refused
        ts = self._next_ts()
        self.messages.append(Posted(
            kind=kind, channel=channel, ts=ts, text=str(args["text"]), blocks=_decoded(args.get("blocks")) or [],
            user=args.get("user"), thread_ts=args.get("thread_ts"), raw=args,
        ))
        return {"channel": channel, "ts": ts}

    async def api_chat_postMessage(self, args: Json) -> Json:
        return await self._post("postMessage", args)

    async def api_chat_postEphemeral(self, args: Json) -> Json:
        result = await self._post("postEphemeral", args)
        return {"message_ts": result.pop("ts")} if "ts" in result else result

    async def api_chat_update(self, args: Json) -> Json:
        target = next((m for m in self.messages if m.ts == args.get("ts") and m.channel == args.get("channel")), None)
        if target is None or target.kind != "postMessage":
            return {"error": "message_not_found" if target is None else "cant_update_message"}
        refused = self._check_message(args)
        if refused:
            return refused
        target.edits.append({"text": target.text, "blocks": target.blocks})
        target.text, target.blocks = str(args["text"]), _decoded(args.get("blocks")) or []
        return {"channel": target.channel, "ts": target.ts}

    async def api_views_open(self, args: Json) -> Json:
        trigger_id = str(args.get("trigger_id") or "")
        if not trigger_id:
            return {"error": "invalid_arguments"}
        issued = self._triggers.pop(trigger_id, None)
        if issued is None:
            return {"error": "exchanged_trigger_id" if trigger_id in self._used_triggers else "invalid_trigger_id"}
        self._used_triggers.add(trigger_id)
        issued_at, user = issued
        if time.monotonic() - issued_at > self.trigger_seconds:
            return {"error": "expired_trigger_id"}
        view = _decoded(args.get("view"))
        problems = view_problems(view)
        if problems:
            self.problems += problems
            return {"error": "invalid_arguments", "response_metadata": {"messages": problems}}
        opened = OpenedView(id=f"V{uuid.uuid4().hex[:10].upper()}", user=user, view=view)
        self.views.append(opened)
        return {"view": {**view, "id": opened.id, "team_id": TEAM_ID, "state": {"values": {}},
                         "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}", "root_view_id": opened.id,
                         "app_id": APP_ID, "bot_id": BOT_ID}}

    async def api_files_getUploadURLExternal(self, args: Json) -> Json:
        file_id = f"F{uuid.uuid4().hex[:10].upper()}"
        self._uploads[file_id] = {"filename": args.get("filename"), "length": int(args.get("length", 0))}
        return {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    async def api_files_completeUploadExternal(self, args: Json) -> Json:
        channel = str(args.get("channel_id") or "")
        error = self._reachable(channel)
        if error:
            return {"error": error}
        files = []
        for item in _decoded(args.get("files")) or []:
            upload = self._uploads.pop(item["id"])
            if "data" not in upload:
                self.problems.append(f"completeUploadExternal before the bytes of {item['id']} were uploaded")
                return {"error": "invalid_arguments"}
            self.files.append(SharedFile(channel, upload["filename"], item.get("title") or upload["filename"],
                                         upload["data"], args.get("thread_ts")))
            files.append({"id": item["id"], "name": upload["filename"], "title": item.get("title")})
        return {"files": files}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self._uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="unknown upload")
        data = await request.read()
        if len(data) != upload["length"]:
            self.problems.append(f"upload of {len(data)} bytes, announced {upload['length']}")
        upload["data"] = data
        return web.Response(text=f"OK - {len(data)}")

    async def _respond(self, request: web.Request) -> web.Response:
        args = await request.json()
        if self._check_message(args):
            return web.Response(status=400, text="invalid_blocks")
        self.messages.append(Posted(
            kind="response_url", channel="", ts="", text=str(args["text"]), blocks=args.get("blocks") or [],
            response_type=args.get("response_type", "ephemeral"), raw=args,
        ))
        await self._notify()
        return web.Response(text="ok")


def _decoded(value: Any) -> Any:
    """Form-encoded arguments carry JSON as strings (``blocks``, ``files``)."""
    return json.loads(value) if isinstance(value, str) else value
