"""The replies ``!docker`` builds from a lab's answer, state, or failure (sentences in :mod:`bot.lab.strings`).

Reply shape (stable; adapters and end-to-end tests rely on it):

- an answer: ``title`` = ``"$ docker <words>"``; ``tone`` SUCCESS (exit 0), WARNING (still running when the
  wait ended) or ERROR (non-zero exit); ``blocks`` = one ``Code`` block with the CLI's output (made safe, the
  end of it for ``logs`` and ``build``, the start otherwise) or a ``Text`` "no output", then a ``Text`` with
  the exit code when non-zero, the notes, and a trimmed/truncated line; ``attachments`` = ``output.txt`` when
  the block does not show all of it.
- a refusal of the lab's policy: ``Reply.error`` with the same title, worded by its code.
- the lab or its runner failing: ``Reply.error`` (:func:`failure_text`).
"""

from __future__ import annotations

import time

from bot.i18n import t
from bot.lab import strings as _strings  # noqa: F401  (registers the sentences)
from bot.lab.parsing import command_words, shown_command
from bot.replies import Attachment, Code, Reply, Text, Tone
from bot.sandbox.errors import (
    EngineLost,
    EngineUnavailable,
    RunnerLost,
    RunnerRefusedCredentials,
    RunnerUnavailable,
    SandboxRefusal,
    ShuttingDown,
)
from bot.sandbox.lab.port import MAX_LAB_OUTPUT_BYTES, LabAnswer, LabState
from bot.textsafe import clean_terminal, inline_code, neutralize_mentions, show_invisible

OUTPUT_FILENAME = "output.txt"
MAX_SHOWN_CHARS = 1800
MAX_SHOWN_LINES = 30
PROGRESS_LINES = 15
# where the end of the output is what a member wants to see (compose: up's progress and output, logs)
TAIL_COMMANDS = frozenset({"logs", "build", "compose"})
QUOTA_KINDS = frozenset({"running", "containers", "images", "volumes", "networks"})
NOTES = frozenset({"no_tty", "ports_not_published", "still_running", "step_timeout"})
REFUSALS = frozenset({"flag", "unsupported", "lab_disabled", "image_not_allowed", "build_from", "build_add_url",
                      "build_label", "build_unsupported", "build_steps", "build_needs_gvisor"})


def for_chat(text: str) -> str:
    """The CLI's output (container logs included: anything a program printed) made safe to show."""
    return neutralize_mentions(show_invisible(clean_terminal(text)))


def excerpt(text: str, tail: bool) -> tuple[str, int, int]:
    """The lines of ``text`` that fit in a message, from its end when ``tail``: (shown, shown lines, all lines)."""
    lines = text.rstrip("\n").split("\n")
    kept: list[str] = []
    size = 0
    for line in reversed(lines) if tail else lines:
        if len(kept) == MAX_SHOWN_LINES or size + len(line) + 1 > MAX_SHOWN_CHARS:
            if not kept:
                kept.append(line[-MAX_SHOWN_CHARS:] if tail else line[:MAX_SHOWN_CHARS])
            break
        kept.append(line)
        size += len(line) + 1
    if tail:
        kept.reverse()
    return "\n".join(kept), len(kept), len(lines)


def answer_reply(lang: str, prefix: str, argv: tuple[str, ...], answer: LabAnswer) -> Reply:
    title = shown_command(argv)
    blocks: list[Text | Code] = []
    attachments: list[Attachment] = []
    if answer.refusal is not None:  # the words first; any output (the CLI's own text, a build so far) below
        blocks.append(Text(refusal_text(lang, prefix, answer)))
    output = for_chat(answer.output)
    if output.strip():
        tail = command_words(argv)[-1:] in {(name,) for name in TAIL_COMMANDS}
        shown, shown_lines, total = excerpt(output, tail)
        blocks.append(Code(shown))
        if shown != output.rstrip("\n"):
            key = "lab.trimmed.tail" if tail else "lab.trimmed.head"
            blocks.append(Text(t(lang, key, shown=shown_lines, total=total, filename=OUTPUT_FILENAME)))
            attachments.append(Attachment(OUTPUT_FILENAME, output.encode("utf-8", "surrogatepass")))
    elif answer.exit_code == 0:
        blocks.append(Text(t(lang, "lab.no_output")))
    lines = []
    if answer.exit_code != 0 and answer.refusal is None:
        lines.append(t(lang, "lab.exit", code=answer.exit_code))
    if answer.truncated:
        lines.append(t(lang, "lab.truncated", kib=MAX_LAB_OUTPUT_BYTES // 1024))
    lines += [t(lang, f"lab.note.{note}", prefix=prefix) for note in answer.notes if note in NOTES]
    if lines:
        blocks.append(Text("\n".join(lines)))
    tone = Tone.SUCCESS if answer.exit_code == 0 else Tone.ERROR
    if "still_running" in answer.notes:
        tone = Tone.WARNING
    return Reply(blocks=blocks, title=title, tone=tone, attachments=attachments)


def refusal_text(lang: str, prefix: str, answer: LabAnswer) -> str:
    """A refusal of the lab's policy in words: ``answer.refusal`` is its code, ``answer.detail`` what it names."""
    code, detail = answer.refusal or "", inline_code(answer.detail, 80)
    if code == "unsupported" and answer.detail == "build without -t":
        return t(lang, "lab.refusal.build_tag", prefix=prefix)
    if code == "build_too_big":
        size, _, limit = answer.detail.partition(":")
        if size.isdigit() and limit.isdigit():
            return t(lang, "lab.refusal.build_too_big", size=int(size) / 2**20, limit=int(limit) / 2**20)
    if code == "quota":
        kind, _, limit = answer.detail.partition(":")
        if kind in ("image_mib", "labs", "volume_mib", "network_pool"):
            return t(lang, f"lab.refusal.quota.{kind}", limit=inline_code(limit, 10), prefix=prefix)
        what = t(lang, f"lab.quota.{kind}") if kind in QUOTA_KINDS else inline_code(kind, 20)
        return t(lang, "lab.refusal.quota", limit=inline_code(limit, 10), what=what, prefix=prefix)
    if code in REFUSALS:
        return t(lang, f"lab.refusal.{code}", detail=detail, prefix=prefix)
    return t(lang, "lab.refusal.other", code=inline_code(code, 40))


def failure_text(lang: str, prefix: str, exc: SandboxRefusal) -> str:
    """What to tell a member when the lab (or the runner holding it) could not answer."""
    for cls, key in (
        (EngineLost, "lab.err.engine_lost"),
        (EngineUnavailable, "lab.err.engine_down"),
        (ShuttingDown, "lab.err.restarting"),
        (RunnerUnavailable, "lab.err.runner_down"),
        (RunnerLost, "lab.err.runner_lost"),
        (RunnerRefusedCredentials, "lab.err.runner_auth"),
    ):
        if isinstance(exc, cls):
            return t(lang, key, prefix=prefix)
    return t(lang, "lab.err.other", reason=inline_code(exc.code, 60))


def progress_reply(lang: str, argv: tuple[str, ...], text: str) -> Reply:
    """A build under way: its last lines so far."""
    lines = for_chat(text).rstrip("\n").split("\n")[-PROGRESS_LINES:]
    return Reply(blocks=[Text(t(lang, "lab.building")), Code("\n".join(lines))], title=shown_command(argv))


def state_reply(lang: str, prefix: str, state: LabState, now: float | None = None) -> Reply:
    title = t(lang, "lab.status.title")
    if not (state.containers or state.images or state.volumes or state.networks):
        return Reply(blocks=[Text(t(lang, "lab.status.empty", prefix=prefix))], title=title)
    quotas = state.quotas

    def of(limit: int | None) -> str:
        return t(lang, "lab.status.of", limit=limit) if limit is not None else ""

    running = sum(1 for c in state.containers if c.status == "running")
    lines = [
        t(lang, "lab.status.containers", count=len(state.containers), limit=of(quotas.containers if quotas else None),
          running=running, running_limit=of(quotas.running if quotas else None)),
        t(lang, "lab.status.images", count=len(state.images), limit=of(quotas.images if quotas else None)),
    ]
    if quotas is not None and any(image.built for image in state.images):
        built = sum(image.size for image in state.images if image.built) / 2**20
        lines.append(t(lang, "lab.status.built", mib=built, limit=quotas.image_bytes // 2**20))
    lines.append(
        t(lang, "lab.status.volumes", count=len(state.volumes), limit=of(quotas.volumes if quotas else None)),
    )
    if quotas is not None and quotas.volume_bytes and state.volumes:
        key = "lab.status.volume_full" if state.volume_bytes > quotas.volume_bytes else "lab.status.volume_size"
        lines.append(t(lang, key, mib=state.volume_bytes / 2**20, limit=quotas.volume_bytes // 2**20))
    lines += [
        t(lang, "lab.status.networks", count=len(state.networks), limit=of(quotas.networks if quotas else None)),
    ]
    if state.runtime:
        lines.append(t(lang, "lab.status.runtime", runtime=inline_code(state.runtime, 20)))
    if state.expires_at is not None:
        minutes = max(1, round((state.expires_at - (time.time() if now is None else now)) / 60))
        lines.append(t(lang, "lab.status.expires", minutes=minutes))
    listing = _listing(state)
    blocks: list[Text | Code] = [Text("\n".join(lines))]
    if listing:
        blocks.append(Code(for_chat(listing)))
    return Reply(blocks=blocks, title=title)


def _listing(state: LabState) -> str:
    """The lab's objects by name, one kind a line, as the member named them."""
    rows = []
    if state.containers:
        rows.append("containers: " + ", ".join(f"{c.name} ({c.status})" for c in state.containers))
    if state.images:
        rows.append("images:     " + ", ".join(image.name for image in state.images))
    if state.volumes:
        rows.append("volumes:    " + ", ".join(state.volumes))
    if state.networks:
        rows.append("networks:   " + ", ".join(state.networks))
    return "\n".join(rows)


def reset_reply(lang: str, removed: int) -> Reply:
    if removed == 0:
        return Reply.text(t(lang, "lab.reset.nothing"))
    key = "lab.reset.done_one" if removed == 1 else "lab.reset.done"
    return Reply.text(t(lang, key, count=removed), tone=Tone.SUCCESS)
