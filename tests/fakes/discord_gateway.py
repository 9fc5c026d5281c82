"""The fake gateway: one websocket per shard, speaking plain JSON text frames (no zlib).

HELLO → the client heartbeats (answered with ACK) and IDENTIFYs → READY + one GUILD_CREATE per guild of
that shard. A dropped connection RESUMEs: events dispatched while it was down are kept and replayed.
REQUEST_GUILD_MEMBERS is answered with one GUILD_MEMBERS_CHUNK.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from aiohttp import WSMsgType, web

from .discord_models import Json

if TYPE_CHECKING:
    from .discord_server import FakeDiscord

HEARTBEAT_INTERVAL_MS = 41_250
MESSAGE_CONTENT_INTENT = discord.Intents(message_content=True).value
GUILD_MESSAGES_INTENT = discord.Intents(guild_messages=True).value
DM_MESSAGES_INTENT = discord.Intents(dm_messages=True).value
MEMBERS_INTENT = discord.Intents(members=True).value
GUILD_REACTIONS_INTENT = discord.Intents(guild_reactions=True).value
DM_REACTIONS_INTENT = discord.Intents(dm_reactions=True).value


@dataclass
class GatewaySession:
    session_id: str
    shard_id: int
    shard_count: int
    intents: int
    ws: web.WebSocketResponse | None = None
    seq: int = 0
    #: (seq, frame) of every dispatch, so a RESUME can replay what the client missed
    sent: list[tuple[int, str]] = field(default_factory=list)
    resumes: int = 0

    def has_intent(self, flag: int) -> bool:
        return bool(self.intents & flag)


class FakeGateway:
    def __init__(self, world: FakeDiscord) -> None:
        self.world = world
        self.sessions: dict[str, GatewaySession] = {}
        self.identifies: list[Json] = []
        self.presence_updates: list[Json] = []
        self._changed: Callable[[], None] = world._notify

    # ---- connection state -------------------------------------------------------------------------

    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if s.ws is not None and not s.ws.closed]

    def session_for_shard(self, shard_id: int) -> GatewaySession | None:
        """The newest session of a shard (a re-IDENTIFY replaces the old one)."""
        found = [s for s in self.sessions.values() if s.shard_id == shard_id]
        return found[-1] if found else None

    def shard_of_guild(self, guild_id: int | None) -> int:
        count = max((s.shard_count for s in self.sessions.values()), default=1)
        if guild_id is None:
            return 0
        return (guild_id >> 22) % count

    # ---- websocket handler ------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.world._websockets.add(ws)
        session: GatewaySession | None = None
        try:
            await ws.send_str(_frame(10, {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}))
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                packet = json.loads(msg.data)
                op, data = packet.get("op"), packet.get("d")
                if op == 1:
                    await ws.send_str(_frame(11, None))
                elif op == 2:
                    session = await self._identify(ws, data)
                elif op == 6:
                    session = await self._resume(ws, data)
                elif op == 8 and session is not None:
                    await self._send_member_chunk(session, data)
                elif op == 3:
                    self.presence_updates.append(data)
        finally:
            self.world._websockets.discard(ws)
            if session is not None and session.ws is ws:
                session.ws = None
            self._changed()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: Json) -> GatewaySession | None:
        self.identifies.append(data)
        if data.get("token") != self.world.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        shard_id, shard_count = data.get("shard") or [0, 1]
        session = GatewaySession(
            session_id=secrets.token_hex(16),
            shard_id=shard_id,
            shard_count=shard_count,
            intents=int(data.get("intents", 0)),
            ws=ws,
        )
        self.sessions[session.session_id] = session
        guilds = [g for g in self.world.guilds.values() if (g.id >> 22) % shard_count == shard_id]
        ready: Json = {
            "v": 10,
            "user": self.world.bot_user.payload(),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "resume_gateway_url": self.world.gateway_url,
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        if data.get("shard") is not None:
            ready["shard"] = [shard_id, shard_count]
        await self.send(session, "READY", ready)
        include_members = session.has_intent(MEMBERS_INTENT)
        for guild in guilds:
            payload = guild.payload(include_members=include_members, bot_id=self.world.bot_user.id)
            await self.send(session, "GUILD_CREATE", payload)
        self._changed()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: Json) -> GatewaySession | None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != self.world.token:
            await ws.send_str(_frame(9, False))
            return None
        session.ws = ws
        session.resumes += 1
        last_seen = int(data.get("seq") or 0)
        for seq, frame in session.sent:
            if seq > last_seen:
                await ws.send_str(frame)
        await self.send(session, "RESUMED", {})
        self._changed()
        return session

    async def _send_member_chunk(self, session: GatewaySession, data: Json) -> None:
        guild = self.world.guilds.get(int(data["guild_id"]))
        if guild is None:
            return
        query = (data.get("query") or "").lower()
        user_ids = {int(u) for u in data.get("user_ids") or []}
        members = [
            m.payload()
            for m in guild.members.values()
            if (not user_ids or m.id in user_ids) and m.user.name.lower().startswith(query)
        ]
        chunk: Json = {"guild_id": str(guild.id), "members": members, "chunk_index": 0, "chunk_count": 1}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self.send(session, "GUILD_MEMBERS_CHUNK", chunk)

    # ---- dispatch ---------------------------------------------------------------------------------

    async def send(self, session: GatewaySession, event: str, data: Json) -> None:
        """Number and send one dispatch; if the shard is down it is kept for the RESUME."""
        session.seq += 1
        frame = json.dumps({"op": 0, "t": event, "s": session.seq, "d": data})
        session.sent.append((session.seq, frame))
        if session.ws is not None and not session.ws.closed:
            await session.ws.send_str(frame)

    async def dispatch(self, event: str, data: Json, *, guild_id: int | None, intent: int = 0) -> bool:
        """Send an event to the shard that owns ``guild_id``. Returns False when the bot did not ask for
        the intent (Discord would not send it), or no shard ever identified."""
        session = self.session_for_shard(self.shard_of_guild(guild_id))
        if session is None:
            raise RuntimeError("no bot has connected to the fake gateway yet (did you wait for ready?)")
        if intent and not session.has_intent(intent):
            return False
        await self.send(session, event, data)
        return True

    def session_intents(self, guild_id: int | None) -> int:
        session = self.session_for_shard(self.shard_of_guild(guild_id))
        return session.intents if session else 0

    async def close(self, shard_id: int | None, code: int) -> GatewaySession:
        session = self.session_for_shard(shard_id or 0)
        if session is None or session.ws is None:
            raise RuntimeError(f"shard {shard_id or 0} is not connected")
        await session.ws.close(code=code, message=b"simulated drop")
        return session


def _frame(op: int, data: Any) -> str:
    return json.dumps({"op": op, "d": data, "s": None, "t": None})
