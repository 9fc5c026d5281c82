"""Building INTERACTION_CREATE payloads: slash commands (from the commands the bot synced), component
clicks and modal submits. Mistakes a real Discord client would prevent (unknown option, missing required
option, a choice that is not offered, a button that is not there or is disabled) raise ``ValueError``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .discord_models import FakeChannel, FakeMember, FakeRole, FakeUser, Json
from .discord_records import SentMessage, walk_components

if TYPE_CHECKING:
    from .discord_server import FakeDiscord

STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


def command_data(
    world: FakeDiscord,
    command: Json,
    channel: FakeChannel,
    options: dict[str, Any],
    subcommand: str | None,
) -> Json:
    """``data`` of an application-command interaction, with typed options and ``resolved`` entities."""
    data: Json = {"id": command["id"], "name": command["name"], "type": 1}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    definitions: list[Json] = command.get("options") or []
    holder = data
    path = [command["name"]]
    for part in (subcommand or "").split():
        found = _find(definitions, part, kinds=(SUB_COMMAND, SUB_COMMAND_GROUP))
        if found is None:
            raise ValueError(f"/{' '.join(path)} has no subcommand {part!r}")
        inner: Json = {"name": part, "type": found["type"], "options": []}
        holder["options"] = [inner]
        holder = inner
        path.append(part)
        definitions = found.get("options") or []
    if any(d.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for d in definitions):
        names = [d["name"] for d in definitions]
        raise ValueError(f"/{' '.join(path)} needs a subcommand, one of {names}")
    resolved: dict[str, dict[str, Json]] = {}
    built = []
    for name, value in options.items():
        definition = _find(definitions, name)
        if definition is None:
            known = [d["name"] for d in definitions]
            raise ValueError(f"/{' '.join(path)} has no option {name!r} (options: {known})")
        built.append(_option(world, channel, definition, value, resolved))
    missing = [d["name"] for d in definitions if d.get("required") and d["name"] not in options]
    if missing:
        raise ValueError(f"/{' '.join(path)} requires {missing}")
    holder["options"] = built
    if resolved:
        data["resolved"] = resolved
    return data


def _find(definitions: list[Json], name: str, kinds: tuple[int, ...] | None = None) -> Json | None:
    for d in definitions:
        if d.get("name") == name and (kinds is None or d.get("type") in kinds):
            return d
    return None


def _option(
    world: FakeDiscord, channel: FakeChannel, definition: Json, value: Any, resolved: dict[str, dict[str, Json]]
) -> Json:
    kind = definition["type"]
    name = definition["name"]
    if kind == STRING:
        value = str(value)
        if not definition.get("min_length", 0) <= len(value) <= definition.get("max_length", 6000):
            raise ValueError(f"option {name!r}: length {len(value)} is outside the allowed range")
    elif kind == INTEGER:
        value = int(value)
    elif kind == NUMBER:
        value = float(value)
    elif kind == BOOLEAN:
        value = bool(value)
    elif kind in (USER, MENTIONABLE) and isinstance(value, FakeUser | FakeMember):
        user = value.user if isinstance(value, FakeMember) else value
        resolved.setdefault("users", {})[str(user.id)] = user.payload()
        guild = world.guilds.get(channel.guild_id or 0)
        if guild is not None and user.id in guild.members:
            member = guild.members[user.id].payload(with_user=False, permissions=guild.permissions_of(user.id))
            resolved.setdefault("members", {})[str(user.id)] = member
        value = str(user.id)
    elif kind in (ROLE, MENTIONABLE) and isinstance(value, FakeRole):
        resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        value = str(value.id)
    elif kind == CHANNEL and isinstance(value, FakeChannel):
        entry = value.payload()
        entry["permissions"] = str(world.guilds[value.guild_id].permissions_of(0)) if value.guild_id else "0"
        resolved.setdefault("channels", {})[str(value.id)] = entry
        value = str(value.id)
    elif kind == ATTACHMENT and isinstance(value, tuple):
        filename, blob = value
        stored = world.store_upload(channel.id, filename, blob)
        resolved.setdefault("attachments", {})[str(stored.id)] = stored.payload()
        value = str(stored.id)
    else:
        raise ValueError(f"option {name!r} (type {kind}) cannot take {value!r}")
    if kind in (INTEGER, NUMBER):
        low, high = definition.get("min_value"), definition.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"option {name!r}: {value} is outside [{low}, {high}]")
    choices = definition.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise ValueError(f"option {name!r}: {value!r} is not one of the offered choices")
    return {"name": name, "type": kind, "value": value}


def component_data(message: SentMessage, custom_id: str, values: list[str] | None) -> Json:
    for component in walk_components(message.components):
        if component.get("custom_id") != custom_id:
            continue
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        data: Json = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] != 2:
            data["values"] = list(values or [])
        return data
    present = [c.get("custom_id") for c in walk_components(message.components) if c.get("custom_id")]
    raise ValueError(f"message {message.id} has no component {custom_id!r} (it has {present})")


def modal_submit_components(components: list[Json], values: dict[str, Any]) -> list[Json]:
    """Mirror the modal's layout, filling text inputs (``value``) and selects (``values``)."""
    out: list[Json] = []
    for c in components:
        kind = c.get("type")
        if kind == 1:
            out.append({"type": 1, "components": modal_submit_components(c.get("components", []), values)})
        elif kind == 18 and isinstance(c.get("component"), dict):
            inner = modal_submit_components([c["component"]], values)
            if inner:
                out.append({"type": 18, "component": inner[0]})
        elif kind == 4:
            out.append({"type": 4, "custom_id": c["custom_id"], "value": str(values.get(c["custom_id"], ""))})
        elif "custom_id" in c:
            chosen = values.get(c["custom_id"], [])
            out.append({"type": kind, "custom_id": c["custom_id"], "values": list(chosen)})
    return out


def check_required_inputs(components: list[Json], values: dict[str, Any]) -> None:
    known = [c for c in walk_components(components) if "custom_id" in c]
    names = {c["custom_id"] for c in known}
    unknown = set(values) - names
    if unknown:
        raise ValueError(f"modal has no inputs {sorted(unknown)} (it has {sorted(names)})")
    for c in known:
        if c.get("type") == 4 and c.get("required", True) and not str(values.get(c["custom_id"], "")):
            raise ValueError(f"modal input {c['custom_id']!r} is required")
