"""The replies ``!run`` builds from a run's result, a refusal or progress (its sentences are in
:mod:`bot.run.strings`).

Reply shape (stable; adapters and end-to-end tests rely on it):

- result: ``title`` = ``"<image> — exit <code>"``; ``tone`` SUCCESS (exit 0, no limit hit), WARNING (a
  limit stopped it: time, memory, output cap) or ERROR (non-zero exit); ``blocks`` = ``Text`` status
  line(s), then one ``Code`` block with the (sanitised, trimmed) output or ``[no output]``, then a
  ``Text`` note when trimmed; ``attachments`` = ``output.txt`` with the full kept output (sanitised)
  whenever the block does not show all of it, or ``output.bin`` with the exact bytes when the output
  is binary (not text); ``footer`` = the limits that applied.
- refusals and engine problems: ``Reply.error`` (or CommandError through the pipeline).
- progress (pull, queue position): one INFO message, edited in place.
"""

from __future__ import annotations

import math

from bot.i18n import t
from bot.replies import Attachment, Code, Reply, Text, Tone
from bot.run import strings as _strings  # noqa: F401  (registers the sentences)
from bot.run.output import excerpt, for_chat, render
from bot.sandbox.errors import (
    AlreadyRunning,
    BadCommand,
    BadImage,
    CoolingDown,
    EngineError,
    EngineLost,
    EngineUnavailable,
    ImageNotAllowed,
    PullFailed,
    PullTimedOut,
    QueueFull,
    RunnerBadAnswer,
    RunnerLost,
    RunnerRefusedCredentials,
    RunnerUnavailable,
    RuntimeMissing,
    SandboxRefusal,
    ShuttingDown,
    UnknownDigest,
)
from bot.sandbox.policy import Limits
from bot.sandbox.port import Placement
from bot.sandbox.results import PullProgress, RunResult
from bot.textsafe import inline_code

OUTPUT_FILENAME = "output.txt"
BINARY_FILENAME = "output.bin"
MAX_SHOWN_CHARS = 1800
MAX_SHOWN_LINES = 30
IMAGE_PROBLEMS = frozenset({"empty", "too_long", "characters", "uppercase", "name", "tag", "digest"})
COMMAND_PROBLEMS = frozenset({"empty", "too_long", "nul"})


def images_reply(lang: str, prefix: str, allowed: list[str]) -> Reply:
    listing = "\n".join(f"• `{name}`" for name in allowed)
    return Reply(
        blocks=[Text(listing), Text(t(lang, "run.images.usage", prefix=prefix))],
        title=t(lang, "run.images.title"),
    )


def allowed_inline(allowed: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in allowed)


def result_reply(lang: str, image: str, result: RunResult, limits: Limits) -> Reply:
    signal = f" ({result.signal_name})" if result.signal_name else ""
    lines = [
        t(lang, "run.status", code=result.exit_code, signal=signal, seconds=result.duration, runtime=result.runtime)
    ]
    if result.timed_out:
        lines.append(t(lang, "run.flag.timeout", seconds=limits.timeout))
    if result.oom_killed:
        lines.append(t(lang, "run.flag.oom", mib=limits.memory_mib))
    if result.truncated:
        lines.append(t(lang, "run.flag.truncated", kib=limits.output_bytes // 1024))
    if result.signal_name == "SIGKILL" and not (result.timed_out or result.oom_killed or result.truncated):
        lines.append(t(lang, "run.flag.killed"))

    rendered = render(result.output)
    shown = excerpt(rendered.head, MAX_SHOWN_CHARS, MAX_SHOWN_LINES)
    trimmed = shown.trimmed or not rendered.complete
    blocks: list[Text | Code] = [Text("\n".join(lines))]
    blocks.append(Code(for_chat(shown.text) if shown.text.strip() else t(lang, "run.no_output")))
    attachments: list[Attachment] = []
    if rendered.binary and (trimmed or result.truncated):
        blocks.append(Text(t(lang, "run.binary", size=_size(len(result.output)), filename=BINARY_FILENAME)))
        attachments.append(Attachment(BINARY_FILENAME, rendered.file))
    elif trimmed or result.truncated:
        if trimmed:
            total = max(rendered.lines, shown.shown_lines)
            blocks.append(Text(t(lang, "run.trimmed", shown=shown.shown_lines, total=total, filename=OUTPUT_FILENAME)))
        attachments.append(Attachment(OUTPUT_FILENAME, rendered.file))

    if result.timed_out or result.oom_killed or result.truncated:
        tone = Tone.WARNING
    elif result.exit_code == 0:
        tone = Tone.SUCCESS
    else:
        tone = Tone.ERROR
    return Reply(
        blocks=blocks,
        title=t(lang, "run.title", image=image, code=result.exit_code),
        tone=tone,
        footer=t(
            lang, "run.footer", seconds=limits.timeout, mib=limits.memory_mib, cpus=limits.cpus, pids=limits.pids
        ),
        attachments=attachments,
    )


def placement_text(lang: str, placement: Placement | None) -> str:
    """Where a run happened, for managers (``!run -v``)."""
    if placement is None:
        return t(lang, "run.where.local", node="?")
    node = inline_code(placement.node or "?", 80)
    if not placement.address:
        return t(lang, "run.where.local", node=node)
    return t(lang, "run.where.runner", runner=inline_code(placement.runner or "?", 80), address=placement.address,
             node=node)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} B"


def pull_progress_reply(lang: str, image: str, progress: PullProgress) -> Reply:
    if progress.total_bytes:
        text = t(
            lang,
            "run.pulling.progress",
            image=image,
            done=progress.done_bytes / 2**20,
            total=progress.total_bytes / 2**20,
            layers_done=progress.layers_done,
            layers=progress.layers,
        )
    else:
        text = t(lang, "run.pulling", image=image)
    return Reply.text(text)


def whole_seconds(seconds: float) -> int:
    return max(1, math.ceil(seconds))


def refusal_text(lang: str, prefix: str, exc: SandboxRefusal) -> tuple[str, bool]:
    """What to tell a member whose run was refused or failed, and whether it is their input's fault
    (answered like a usage error) rather than the sandbox's state (answered as an error reply)."""
    if isinstance(exc, BadImage):
        reason = exc.reason if exc.reason in IMAGE_PROBLEMS else "name"
        problem = t(lang, f"run.err.image.{reason}")
        image = inline_code(exc.image, 60)
        return t(lang, "run.err.image", image=image, problem=problem, allowed=allowed_inline(exc.allowed)), True
    if isinstance(exc, ImageNotAllowed):
        image = inline_code(exc.image, 60)
        return t(lang, "run.err.not_allowed", image=image, allowed=allowed_inline(exc.allowed)), True
    if isinstance(exc, UnknownDigest):
        image = inline_code(exc.image, 100)
        return t(lang, "run.err.unknown_digest", image=image, allowed=allowed_inline(exc.allowed)), True
    if isinstance(exc, BadCommand):
        reason = exc.reason if exc.reason in COMMAND_PROBLEMS else "too_long"
        return t(lang, f"run.err.command.{reason}"), True
    if isinstance(exc, AlreadyRunning):
        return t(lang, "run.err.already"), True
    if isinstance(exc, CoolingDown):
        return t(lang, "run.err.cooldown", seconds=whole_seconds(exc.seconds)), True
    if isinstance(exc, PullTimedOut):
        image = inline_code(exc.image, 80)
        return t(lang, "run.err.pull_timeout", image=image, seconds=whole_seconds(exc.seconds)), True
    if isinstance(exc, PullFailed):
        image, reason = inline_code(exc.image, 80), inline_code(exc.reason, 200)
        return t(lang, "run.err.pull_failed", image=image, reason=reason), True
    if isinstance(exc, QueueFull):
        return t(lang, "run.err.busy", waiting=exc.waiting, seconds=whole_seconds(exc.retry_after)), False
    simple = {
        EngineLost: "run.err.engine_lost",
        EngineUnavailable: "run.err.engine_down",
        ShuttingDown: "run.err.restarting",
        RunnerUnavailable: "run.err.runner_down",
        RunnerLost: "run.err.runner_lost",
        RunnerRefusedCredentials: "run.err.runner_auth",
    }
    for cls, key in simple.items():
        if isinstance(exc, cls):
            return t(lang, key, prefix=prefix), False
    if isinstance(exc, RuntimeMissing):
        return t(lang, "run.err.runtime_missing", runtime=inline_code(exc.runtime, 20)), False
    if isinstance(exc, EngineError):
        return t(lang, "run.err.engine_error", reason=inline_code(exc.reason, 200)), False
    reason = exc.reason if isinstance(exc, RunnerBadAnswer) else exc.code
    return t(lang, "run.err.runner_bad", reason=inline_code(reason, 120)), False
