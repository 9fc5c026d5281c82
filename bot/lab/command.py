"""``!docker <command…>``: a docker CLI command in the member's own lab (see :mod:`bot.lab`).

The lab lives on the sandbox's engine (in this process, or on the runner that holds it when
``STUDYBOT_SANDBOX_URL`` is set) and enforces its own policy and quotas; this side reads the message
(:mod:`bot.lab.parsing`), lets a member run one command at a time, shows a build's output while it comes, and
words the answer (:mod:`bot.lab.replies`). ``core.lab`` is the lab, for the other ways in (the quiz's
practice exercises read a member's lab through it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.context import Invocation, scope_key
from bot.core.commands import Command, CommandError, CommandSpec
from bot.i18n import t
from bot.lab.guide import command_help, overview
from bot.lab.parsing import LabInput, command_words, parse_input
from bot.lab.replies import answer_reply, failure_text, progress_reply, reset_reply, state_reply
from bot.notice import Notice
from bot.replies import Reply, Text
from bot.sandbox.errors import SandboxRefusal
from bot.sandbox.lab.port import MAX_LAB_OUTPUT_BYTES, LabOwner, LabRequest, LabService

if TYPE_CHECKING:
    from bot.core import Core

SPEC = CommandSpec(
    name="docker",
    usage="docker <command…>",
    summary_key="cmd.docker.summary",
    details_key="cmd.docker.details",
    examples=("docker run -d --name web alpine sleep 300", "docker ps", "docker logs web", "docker help run"),
    aliases=("도커",),
    options=(("command", "opt.docker.command"),),
)


def owner_of(inv: Invocation) -> LabOwner:
    """A member has one lab per server (per DM channel outside servers)."""
    return LabOwner(member=inv.actor.id, server=scope_key(inv.place))


class BuildProgress:
    """:class:`~bot.sandbox.lab.port.LabEvents` shown in chat: a build's output so far, in one message edited
    in place (coalesced and spaced by :class:`~bot.notice.Notice`)."""

    def __init__(self, inv: Invocation, argv: tuple[str, ...]) -> None:
        self.lang = inv.lang
        self.argv = argv
        self.notice = Notice(inv.responder)

    async def output(self, text: str) -> None:
        self.notice.update(progress_reply(self.lang, self.argv, text[-MAX_LAB_OUTPUT_BYTES:]))

    async def finish(self) -> None:
        await self.notice.finish(Reply(blocks=[Text(t(self.lang, "lab.built"))]))


class DockerCommand:
    """The handler of ``!docker``, ``/docker`` and ``도커``: one command at a time per member, every outcome a reply."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.busy: set[tuple[str, str]] = set()  # (platform, member) with a command under way

    async def handle(self, inv: Invocation, text: str) -> None:
        request = parse_input(inv.lang, text)
        if request.word == "help":
            words = request.argv
            reply = command_help(words) if words else overview(inv.lang, inv.prefix)
            await inv.responder.send(reply)
            return
        if request.word is not None and request.argv:
            raise CommandError(t(inv.lang, "lab.err.extra_words", prefix=inv.prefix, word=request.word),
                               show_usage=False)
        lab = self.core.open_lab()
        if lab is None:
            raise CommandError(t(inv.lang, "lab.err.disabled", prefix=inv.prefix), show_usage=False)
        key = (inv.place.platform, inv.actor.id)
        if key in self.busy:
            raise CommandError(t(inv.lang, "lab.err.busy", prefix=inv.prefix), show_usage=False)
        self.busy.add(key)
        try:
            await inv.responder.send(await self.answer(lab, inv, request))
        finally:
            self.busy.discard(key)

    async def answer(self, lab: LabService, inv: Invocation, request: LabInput) -> Reply:
        owner = owner_of(inv)
        progress: BuildProgress | None = None
        try:
            async with inv.responder.typing():
                if request.word == "status":
                    return state_reply(inv.lang, inv.prefix, await lab.state(owner))
                if request.word == "reset":
                    return reset_reply(inv.lang, await lab.reset(owner))
                if command_words(request.argv)[-1:] == ("build",) or command_words(request.argv) == ("compose",):
                    progress = BuildProgress(inv, request.argv)
                answer = await lab.docker(LabRequest(owner, request.argv, request.files), progress)
                return answer_reply(inv.lang, inv.prefix, request.argv, answer)
        except SandboxRefusal as exc:
            return Reply.error(failure_text(inv.lang, inv.prefix, exc))
        finally:
            if progress is not None and progress.notice.shown:
                await progress.finish()


async def install(core: Core) -> None:
    core.add_command(Command(SPEC, DockerCommand(core).handle))
    if not core.one_shot:
        core.open_lab()  # a running bot sets its sandbox up at start, as !run does
