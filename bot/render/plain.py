"""Plain-text rendering: the console, and the text every test can read."""

from __future__ import annotations

from bot.render.split import split_blocks
from bot.replies import Reply, Tone

TONE_MARK = {Tone.INFO: "", Tone.SUCCESS: "✅ ", Tone.WARNING: "⚠️ ", Tone.ERROR: "❌ "}


def render_plain(reply: Reply) -> str:
    parts: list[str] = []
    if reply.title:
        parts.append(f"{TONE_MARK[reply.tone]}{reply.title}")
    body = "\n\n".join(split_blocks(reply.blocks, 100_000))
    if body:
        if not reply.title and reply.tone is not Tone.INFO:
            body = TONE_MARK[reply.tone] + body
        parts.append(body)
    if reply.footer:
        parts.append(f"— {reply.footer}")
    numbered = [c for c in reply.choices if c.text_input is None]
    if numbered:
        parts.append("\n".join(f"  [{i}] {c.label}" for i, c in enumerate(numbered, start=1)))
    if any(c.text_input is not None and not c.disabled for c in reply.choices):
        parts.append("  ✍️ …")
    for att in reply.attachments:
        parts.append(f"📎 {att.filename} ({len(att.data)} bytes)")
    return "\n".join(parts)
