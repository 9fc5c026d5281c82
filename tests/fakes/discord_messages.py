"""Turning bot requests into stored messages and stored messages into Discord message JSON."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web

from .discord_models import Json, iso_now
from .discord_records import EPHEMERAL, LOADING, SentMessage, StoredAttachment

if TYPE_CHECKING:
    from .discord_server import FakeDiscord

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")

Files = dict[int, tuple[str, bytes]]


async def read_body(request: web.Request) -> tuple[Json, Files]:
    """JSON body, or multipart ``payload_json`` + ``files[n]`` parts (what discord.py sends with files)."""
    if request.content_type.startswith("multipart/"):
        payload: Json = {}
        files: Files = {}
        reader = await request.multipart()
        async for part in reader:
            name = getattr(part, "name", None) or ""
            if name == "payload_json":
                payload = json.loads(await part.text())  # type: ignore[union-attr]
            elif name.startswith("files[") or name == "file":
                index = int(name[6:-1]) if name.startswith("files[") else 0
                files[index] = (part.filename or f"file{index}", bytes(await part.read()))  # type: ignore[union-attr]
        return payload, files
    raw = await request.read()
    return (json.loads(raw) if raw else {}), {}


def attachment_url(world: FakeDiscord, channel_id: int, attachment_id: int, filename: str) -> str:
    return f"{world.base_url}/attachments/{channel_id}/{attachment_id}/{quote(filename)}"


def new_attachments(world: FakeDiscord, channel_id: int, payload: Json, files: Files) -> list[StoredAttachment]:
    names = {}
    for entry in payload.get("attachments") or []:
        try:
            names[int(entry["id"])] = entry.get("filename")
        except (KeyError, TypeError, ValueError):
            continue
    return [
        world.store_upload(channel_id, names.get(index) or filename, data)
        for index, (filename, data) in sorted(files.items())
    ]


def create_message(
    world: FakeDiscord,
    channel_id: int,
    payload: Json,
    files: Files,
    *,
    author_id: int,
    interaction_token: str | None = None,
    interaction_id: int | None = None,
    extra_flags: int = 0,
) -> SentMessage:
    channel = world.channels[channel_id]
    msg = SentMessage(
        id=world.snowflake(),
        channel_id=channel_id,
        author_id=author_id,
        guild_id=channel.guild_id,
        content=payload.get("content") or "",
        embeds=list(payload.get("embeds") or []),
        components=list(payload.get("components") or []),
        allowed_mentions=payload.get("allowed_mentions"),
        message_reference=_stringify_ids(payload.get("message_reference")),
        flags=int(payload.get("flags") or 0) | extra_flags,
        interaction_token=interaction_token,
        interaction_id=interaction_id,
        tts=bool(payload.get("tts")),
    )
    msg.stored_attachments = new_attachments(world, channel_id, payload, files)
    return msg


def apply_edit(world: FakeDiscord, msg: SentMessage, payload: Json, files: Files) -> None:
    """PATCH semantics: only keys present change; ``attachments`` lists the existing ones to keep."""
    msg.edit_history.append(msg.snapshot())
    for key in ("content", "embeds", "components"):
        if key in payload:
            setattr(msg, key, payload[key] if payload[key] is not None else ([] if key != "content" else ""))
    if "allowed_mentions" in payload:
        msg.allowed_mentions = payload["allowed_mentions"]
    if "flags" in payload and payload["flags"] is not None:
        msg.flags = (int(payload["flags"]) & ~EPHEMERAL) | (msg.flags & EPHEMERAL)  # edits keep ephemerality
    msg.flags &= ~LOADING
    if "attachments" in payload:
        keep = {str(a.get("id")) for a in payload["attachments"] or []}
        msg.stored_attachments = [a for a in msg.stored_attachments if str(a.id) in keep]
    msg.stored_attachments += new_attachments(world, msg.channel_id, payload, files)
    msg.edited_timestamp = iso_now()


def message_payload(world: FakeDiscord, msg: SentMessage, *, with_reference: bool = True) -> Json:
    """The message as Discord returns it from REST and sends it in MESSAGE_CREATE."""
    author = world.users[msg.author_id]
    data: Json = {
        "id": str(msg.id),
        "channel_id": str(msg.channel_id),
        "author": author.payload(),
        "content": msg.content,
        "timestamp": msg.timestamp,
        "edited_timestamp": msg.edited_timestamp,
        "tts": msg.tts,
        "mention_everyone": "@everyone" in msg.content,
        "mentions": _mentioned_users(world, msg),
        "mention_roles": ROLE_MENTION.findall(msg.content),
        "attachments": [a.payload() for a in msg.stored_attachments],
        "embeds": msg.embeds,
        "components": msg.components,
        "pinned": False,
        "type": 0,
        "flags": msg.flags,
    }
    if msg.guild_id is not None:
        data["guild_id"] = str(msg.guild_id)
        member = world.guilds[msg.guild_id].members.get(msg.author_id)
        if member is not None:
            data["member"] = member.payload(with_user=False)
    if msg.interaction_token is not None:
        data["webhook_id"] = str(world.application_id)
        data["application_id"] = str(world.application_id)
        record = world.interaction_by_token(msg.interaction_token)
        if record is not None:
            data["type"] = 20 if record.type == 2 else 0
            data["interaction_metadata"] = {
                "id": str(record.id),
                "type": record.type,
                "user": world.users[record.user_id].payload(),
                "authorizing_integration_owners": {},
            }
    if msg.message_reference:
        data["message_reference"] = msg.message_reference
        data["type"] = 19
        ref_id = msg.message_reference.get("message_id")
        referenced = world.messages.get(int(ref_id)) if ref_id else None
        if with_reference and referenced is not None:
            data["referenced_message"] = message_payload(world, referenced, with_reference=False)
    if msg.reactions:
        counts: dict[str, int] = {}
        for emoji in msg.reactions:
            counts[emoji] = counts.get(emoji, 0) + 1
        data["reactions"] = [
            {
                "emoji": {"id": None, "name": e},
                "count": n,
                "me": True,
                "burst_colors": [],
                "count_details": {"burst": 0, "normal": n},
                "me_burst": False,
            }
            for e, n in counts.items()
        ]
    return data


def _mentioned_users(world: FakeDiscord, msg: SentMessage) -> list[Json]:
    out: list[Json] = []
    seen: set[int] = set()
    guild = world.guilds.get(msg.guild_id) if msg.guild_id else None
    for raw in USER_MENTION.findall(msg.content):
        uid = int(raw)
        user = world.users.get(uid)
        if user is None or uid in seen:
            continue
        seen.add(uid)
        entry: dict[str, Any] = user.payload()
        if guild is not None and uid in guild.members:
            entry["member"] = guild.members[uid].payload(with_user=False)
        out.append(entry)
    return out


def _stringify_ids(reference: Json | None) -> Json | None:
    """Discord returns snowflakes as strings, whatever the client sent."""
    if reference is None:
        return None
    return {k: str(v) if k.endswith("_id") and v is not None else v for k, v in reference.items()}
