"""``!run <image> <command…>``: run a command in a locked-down, short-lived container.

Arguments are split the way a shell splits words (:mod:`shlex`) and handed to the container as an
argv list; no shell on the host ever sees them. ``!run <image>`` followed by a fenced code block
runs the block with the image's ``sh -c``. Nothing may come before the image: options such as
``-v`` or ``--privileged`` are refused, since the bot alone decides how the container is made. The one
exception is for server managers: ``!run -v <image> …`` also says which runner and node ran it.
The service behind it lives in :mod:`bot.sandbox` (in this process, or in ``python -m bot runner``
services when ``STUDYBOT_SANDBOX_URL`` is set): ``core.open_sandbox()``, shared with ``!docker``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.context import Invocation
from bot.core.commands import Command, CommandError, CommandSpec, MissingArgument
from bot.i18n import t
from bot.notice import Notice
from bot.replies import Reply, Text
from bot.run.replies import images_reply, placement_text, pull_progress_reply, refusal_text, result_reply
from bot.sandbox.errors import PullFailed, RunnerLost, SandboxRefusal
from bot.sandbox.results import PullProgress
from bot.textsafe import inline_code

if TYPE_CHECKING:
    from bot.core import Core

SPEC = CommandSpec(
    name="run",
    usage="run <image> <command…>",
    summary_key="cmd.run.summary",
    details_key="cmd.run.details",
    examples=("run alpine echo hi", "run images", "run python:3-alpine python -c \"print(2**10)\""),
    aliases=("실행",),
    options=(("image", "opt.run.image"), ("command", "opt.run.command")),
)
LIST_WORDS = frozenset({"images", "list", "이미지"})
_FENCED = re.compile(r"```[^\n`]*\n(?P<code>.*?)\n?```", re.S)
_ONE_LINE_BLOCK = re.compile(r"```(?P<code>[^\n`][^\n]*?)```")  # ```echo hi```: no language, one line
_FENCE_LINE = re.compile(r"^\s*```", re.M)
_IMAGE_AND_REST = re.compile(r"(?P<image>\S+)(?P<rest>.*)", re.S)
VERBOSE_FLAGS = ("-v", "--verbose")
_VERBOSE = re.compile(r"(?:-v|--verbose)(?:\s+|$)")


@dataclass(frozen=True, slots=True)
class RunRequest:
    image: str  # as typed; checked by check_image
    argv: list[str]
    verbose: bool = False  # a manager's `-v`: say which runner and node ran it


def parse_command_part(inv: Invocation, text: str) -> list[str]:
    """The part after the image → argv: a fenced block runs with ``sh -c``; words are split like a shell."""
    stripped = text.strip()
    if _FENCE_LINE.search(stripped):  # a fence on a line of its own: a code block
        if not stripped.startswith("```"):
            raise CommandError(t(inv.lang, "run.err.block_and_words"), show_usage=False)
        match = _FENCED.fullmatch(stripped) or _ONE_LINE_BLOCK.fullmatch(stripped)
        if match is None:
            raise CommandError(t(inv.lang, "run.err.block_unclosed"), show_usage=False)
        code = match.group("code")
        if not code.strip():
            raise MissingArgument("command")
        return ["sh", "-c", code]
    try:
        argv = shlex.split(stripped, comments=False, posix=True)
    except ValueError as exc:
        raise CommandError(t(inv.lang, "run.err.quotes", problem=str(exc).lower()), show_usage=False) from None
    if not argv:
        raise MissingArgument("command")
    return argv


def refuse_options(inv: Invocation, image: str) -> None:
    """Nothing may come before the image: ``-v /:/host``, ``--privileged`` … are refused by name."""
    if image.startswith("-"):
        text = t(inv.lang, "run.err.options", option=inline_code(image, 32), prefix=inv.prefix)
        if image in VERBOSE_FLAGS:
            text += " " + t(inv.lang, "run.err.verbose_managers", prefix=inv.prefix)
        raise CommandError(text, show_usage=False)


def parse_run_args(inv: Invocation, args: str) -> RunRequest | None:
    """Raw ``!run`` arguments → a request, or None for "list the images"."""
    text = args.strip()
    flag = _VERBOSE.match(text) if inv.actor.is_manager else None
    if flag is not None:
        text = text[flag.end():]
    if not text or text.lower() in LIST_WORDS:
        return None
    match = _IMAGE_AND_REST.fullmatch(text)
    if match is None:  # pragma: no cover - text is non-empty and stripped
        return None
    image = match.group("image")
    refuse_options(inv, image)
    if image.startswith("`"):
        raise MissingArgument("image")
    return RunRequest(image=image, argv=parse_command_part(inv, match.group("rest")), verbose=flag is not None)


class ChatProgress:
    """:class:`~bot.sandbox.service.RunEvents` shown in chat: one pull message and one queue message,
    each edited in place."""

    def __init__(self, inv: Invocation) -> None:
        self.lang = inv.lang
        self.pull = Notice(inv.responder)
        self.queue = Notice(inv.responder)

    def pulling(self, image: str, progress: PullProgress) -> None:
        self.pull.update(pull_progress_reply(self.lang, inline_code(image, 80), progress))

    async def pulled(self, image: str, seconds: float) -> None:
        await self.pull.finish(Reply.text(t(self.lang, "run.pulled", image=inline_code(image, 80), seconds=seconds)))

    def queued(self, position: int) -> None:
        self.queue.update(Reply.text(t(self.lang, "run.queued", position=position)))

    async def started(self, waited: float) -> None:
        await self.queue.finish(Reply.text(t(self.lang, "run.dequeued", seconds=waited)))


async def execute(core: Core, inv: Invocation, image: str, argv: list[str], verbose: bool = False) -> None:
    """Hand the run to the sandbox and answer. Every outcome is a reply, never a traceback. ``verbose``
    (a manager's ``-v``) adds where the run happened."""
    sandbox = core.open_sandbox()
    if sandbox is None:
        raise CommandError(t(inv.lang, "run.err.disabled", prefix=inv.prefix), show_usage=False)
    progress = ChatProgress(inv)
    try:
        async with inv.responder.typing():
            finished = await sandbox.execute(image, argv, inv.actor.id, progress)
    except SandboxRefusal as exc:
        if isinstance(exc, PullFailed):
            await progress.pull.finish(
                Reply.text(t(inv.lang, "run.pull_failed_short", image=inline_code(exc.image, 80)))
            )
        text, usage_kind = refusal_text(inv.lang, inv.prefix, exc)
        if usage_kind:
            raise CommandError(text, show_usage=False) from None
        if verbose and isinstance(exc, RunnerLost) and exc.address:
            text += " " + t(inv.lang, "run.where.lost", address=exc.address)
        await inv.responder.send(Reply.error(text))
        return
    reply = result_reply(inv.lang, finished.image, finished.result, finished.limits)
    if verbose:
        reply.blocks.append(Text(placement_text(inv.lang, finished.placement)))
    await inv.responder.send(reply)


async def run_command(core: Core, inv: Invocation, image: str, command: str) -> None:
    """The slash form ``/run image command``: the same checks and replies as ``!run``."""
    refuse_options(inv, image.strip())
    await execute(core, inv, image.strip(), parse_command_part(inv, command))


async def install(core: Core) -> None:
    async def handle(inv: Invocation, args: str) -> None:
        sandbox = core.open_sandbox()
        request = parse_run_args(inv, args)
        if request is None:
            if sandbox is None:
                raise CommandError(t(inv.lang, "run.err.disabled", prefix=inv.prefix), show_usage=False)
            try:
                allowed = await sandbox.images()
            except SandboxRefusal as exc:
                await inv.responder.send(Reply.error(refusal_text(inv.lang, inv.prefix, exc)[0]))
                return
            await inv.responder.send(images_reply(inv.lang, inv.prefix, allowed))
            return
        await execute(core, inv, request.image, request.argv, request.verbose)

    core.add_command(Command(SPEC, handle))
    if not core.one_shot:
        core.open_sandbox()
