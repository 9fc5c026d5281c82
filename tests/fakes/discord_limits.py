"""Discord's message limits, checked the way the API does (400 with code 50006/50035), so a bot that
sends a too-long message fails in tests the way it would in production."""

from __future__ import annotations

from .discord_models import Json
from .discord_records import walk_components

EMPTY_MESSAGE = 50006
INVALID_FORM_BODY = 50035


def message_problem(payload: Json, *, file_count: int, editing: bool = False) -> tuple[int, str] | None:
    """Return ``(code, message)`` for the first rule the payload breaks, or None."""
    content = payload.get("content") or ""
    embeds = payload.get("embeds") or []
    components = payload.get("components") or []
    flags = int(payload.get("flags") or 0)
    if len(content) > 2000:
        return INVALID_FORM_BODY, f"content: Must be 2000 or fewer in length (got {len(content)})."
    if (
        not editing
        and not content
        and not embeds
        and not file_count
        and not components
        and not payload.get("sticker_ids")
        and not payload.get("poll")
    ):
        return EMPTY_MESSAGE, "Cannot send an empty message"
    if len(embeds) > 10:
        return INVALID_FORM_BODY, "embeds: Must be 10 or fewer in length."
    total = 0
    for i, embed in enumerate(embeds):
        problem = _embed_problem(embed)
        if problem:
            return INVALID_FORM_BODY, f"embeds.{i}.{problem}"
        total += _embed_size(embed)
    if total > 6000:
        return INVALID_FORM_BODY, "embeds: Embed size exceeds maximum size of 6000"
    if flags & (1 << 15):  # components v2: layout checked loosely
        return None
    if len(components) > 5:
        return INVALID_FORM_BODY, "components: Must be 5 or fewer in length."
    for row in components:
        children = row.get("components", [])
        if len(children) > 5:
            return INVALID_FORM_BODY, "components.components: Must be 5 or fewer in length."
    for c in walk_components(components):
        if len(str(c.get("label") or "")) > 80:
            return INVALID_FORM_BODY, "components: label must be 80 or fewer in length."
        if len(str(c.get("custom_id") or "")) > 100:
            return INVALID_FORM_BODY, "components: custom_id must be 100 or fewer in length."
    return None


def _embed_problem(embed: Json) -> str | None:
    limits = {"title": 256, "description": 4096}
    for key, limit in limits.items():
        if len(embed.get(key) or "") > limit:
            return f"{key}: Must be {limit} or fewer in length."
    fields = embed.get("fields") or []
    if len(fields) > 25:
        return "fields: Must be 25 or fewer in length."
    for f in fields:
        if not f.get("name") or not f.get("value"):
            return "fields: name and value are required."
        if len(f["name"]) > 256 or len(f["value"]) > 1024:
            return "fields: name must be 256 and value 1024 or fewer in length."
    if len((embed.get("footer") or {}).get("text") or "") > 2048:
        return "footer.text: Must be 2048 or fewer in length."
    if len((embed.get("author") or {}).get("name") or "") > 256:
        return "author.name: Must be 256 or fewer in length."
    return None


def _embed_size(embed: Json) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "")
    size += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        size += len(f.get("name") or "") + len(f.get("value") or "")
    return size
